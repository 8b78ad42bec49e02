"""``platform_api.core.ratelimit``: public routes are limited per client, tokens are not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from platform_api.core.config import Settings
from platform_api.main import create_app
from tests.platform_api.conftest import BOT_TOKEN, STAFF_TOKEN, FakeRetriever, make_entry

pytestmark = pytest.mark.security


@pytest.fixture
def limited_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'platform.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
        public_rate_limit="3/minute",
    )
    app = create_app(settings)
    app.state.kb_retriever = FakeRetriever([make_entry()])
    with TestClient(app) as client:
        yield client


def test_ratelimit_public_route_answers_429_with_retry_after_when_spent(
    limited_client: TestClient,
) -> None:
    codes = [
        limited_client.get("/api/kb/search", params={"q": "武侯祠"}).status_code for _ in range(4)
    ]

    assert codes == [200, 200, 200, 429]
    refused = limited_client.get("/api/health")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json() == {"detail": "too many requests; try again later"}


@pytest.mark.parametrize("token", [BOT_TOKEN, STAFF_TOKEN])
def test_ratelimit_callers_with_a_service_token_are_not_limited(
    limited_client: TestClient, token: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    codes = {limited_client.get("/api/health", headers=headers).status_code for _ in range(6)}

    assert codes == {200}


def test_ratelimit_a_wrong_token_is_limited_like_anyone(limited_client: TestClient) -> None:
    headers = {"Authorization": "Bearer not-the-bot-token-at-all"}

    codes = [limited_client.get("/api/health", headers=headers).status_code for _ in range(4)]

    assert codes[-1] == 429


def test_ratelimit_does_not_count_staff_routes(limited_client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {STAFF_TOKEN}"}
    for _ in range(5):
        assert limited_client.get("/api/escalations", headers=headers).status_code == 200

    assert limited_client.get("/api/health").status_code == 200
