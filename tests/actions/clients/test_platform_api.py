"""``actions.clients.platform_api`` against the real FastAPI app (in-process ASGI transport)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from actions.clients.platform_api import (
    DEFAULT_TIMEOUT_S,
    DEFAULT_URL,
    MAX_MESSAGE_CHARS,
    PlatformApiClient,
    PlatformApiError,
    get_platform_api_client,
    get_platform_api_settings,
)
from platform_api.core.config import Settings
from platform_api.core.db import create_all
from platform_api.main import create_app

STAFF_TOKEN = "client-test-staff-token"
BOT_TOKEN = "client-test-bot-token"


@pytest.fixture
def platform_app(tmp_path: Path) -> Iterator[FastAPI]:
    """The real platform app on a throwaway SQLite database (tables created up front,
    because ``ASGITransport`` does not run the lifespan)."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'platform.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
    )
    app = create_app(settings)
    create_all(app.state.engine)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def api(platform_app: FastAPI) -> PlatformApiClient:
    return PlatformApiClient(
        "http://platform.test", transport=httpx.ASGITransport(app=platform_app), bot_token=BOT_TOKEN
    )


@pytest.mark.security
async def test_platform_api_without_the_bot_token_is_refused(platform_app: FastAPI) -> None:
    anonymous = PlatformApiClient(
        "http://platform.test", transport=httpx.ASGITransport(app=platform_app), bot_token=""
    )
    with pytest.raises(PlatformApiError) as caught:
        await anonymous.create_escalation(
            sender_id="s",
            channel="rest",
            language="en",
            reason="human_handoff",
            last_user_message="hi",
        )
    assert caught.value.status_code == 401
    assert BOT_TOKEN not in str(caught.value)


async def _listed(app: FastAPI) -> list[dict[str, object]]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://platform.test"
    ) as client:
        response = await client.get(
            "/api/escalations", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}
        )
    response.raise_for_status()
    data: list[dict[str, object]] = response.json()["data"]
    return data


async def test_platform_api_create_escalation_returns_reference(
    api: PlatformApiClient, platform_app: FastAPI
) -> None:
    reference = await api.create_escalation(
        sender_id="wx-oAbc123",
        channel="wechat",
        language="zh",
        reason="human_handoff",
        last_user_message="转人工",
    )

    assert re.fullmatch(r"ESC-\d{8}-0001", reference)
    [stored] = await _listed(platform_app)
    assert stored["reference"] == reference
    assert stored["sender_id"] == "wx-oAbc123"
    assert stored["last_user_message"] == "转人工"


async def test_platform_api_truncates_overlong_message(
    api: PlatformApiClient, platform_app: FastAPI
) -> None:
    await api.create_escalation(
        sender_id="web-1",
        channel="web_widget",
        language="en",
        reason="human_handoff",
        last_user_message="a" * (MAX_MESSAGE_CHARS + 50),
    )

    [stored] = await _listed(platform_app)
    assert stored["last_user_message"] == "a" * MAX_MESSAGE_CHARS


async def test_platform_api_validation_error_raises_with_status(api: PlatformApiClient) -> None:
    with pytest.raises(PlatformApiError) as caught:
        await api.create_escalation(
            sender_id="",
            channel="wechat",
            language="zh",
            reason="human_handoff",
            last_user_message="",
        )

    assert caught.value.status_code == 422
    assert "HTTP 422" in str(caught.value)


async def test_platform_api_server_error_raises_without_secrets(platform_app: FastAPI) -> None:
    platform_app.state.session_factory = None  # every DB access now fails inside the app
    api = PlatformApiClient(
        "http://platform.test",
        transport=httpx.ASGITransport(app=platform_app, raise_app_exceptions=False),
        bot_token=BOT_TOKEN,
    )

    with pytest.raises(PlatformApiError) as caught:
        await api.create_escalation(
            sender_id="s", channel="rest", language="en", reason="r", last_user_message=""
        )

    assert caught.value.status_code == 500
    assert STAFF_TOKEN not in str(caught.value) and BOT_TOKEN not in str(caught.value)


async def test_platform_api_timeout_raises_without_status() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    api = PlatformApiClient("http://platform.test", transport=httpx.MockTransport(slow))

    with pytest.raises(PlatformApiError, match="timed out") as caught:
        await api.create_escalation(
            sender_id="s", channel="rest", language="en", reason="r", last_user_message=""
        )

    assert caught.value.status_code is None


async def test_platform_api_unreachable_raises() -> None:
    api = PlatformApiClient("http://127.0.0.1:9", timeout_s=1.0)

    with pytest.raises(PlatformApiError, match="unreachable") as caught:
        await api.create_escalation(
            sender_id="s", channel="rest", language="en", reason="r", last_user_message=""
        )

    assert caught.value.status_code is None


@pytest.mark.parametrize(
    "response",
    [httpx.Response(201, text="not json"), httpx.Response(201, json={"status": "open"})],
)
async def test_platform_api_malformed_answer_raises(response: httpx.Response) -> None:
    api = PlatformApiClient(
        "http://platform.test", transport=httpx.MockTransport(lambda request: response)
    )

    with pytest.raises(PlatformApiError):
        await api.create_escalation(
            sender_id="s", channel="rest", language="en", reason="r", last_user_message=""
        )


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_platform_api_settings.cache_clear()
    yield
    get_platform_api_settings.cache_clear()


def test_platform_api_settings_defaults(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.delenv("PLATFORM_API_URL", raising=False)
    monkeypatch.delenv("PLATFORM_API_TIMEOUT", raising=False)

    client = PlatformApiClient()

    assert (client.base_url, client.timeout_s) == (DEFAULT_URL, DEFAULT_TIMEOUT_S)
    assert (DEFAULT_URL, DEFAULT_TIMEOUT_S) == ("http://localhost:8000", 5.0)


def test_platform_api_settings_from_env_read_once(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv("PLATFORM_API_URL", "http://platform:8000")
    monkeypatch.setenv("PLATFORM_API_TIMEOUT", "2.5")
    first = get_platform_api_settings()
    monkeypatch.setenv("PLATFORM_API_URL", "http://elsewhere:1")

    assert get_platform_api_settings() is first
    assert (first.base_url, first.timeout_s) == ("http://platform:8000", 2.5)


def test_platform_api_settings_reject_bad_timeout(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv("PLATFORM_API_TIMEOUT", "soon")

    with pytest.raises(ValueError, match="PLATFORM_API_TIMEOUT"):
        get_platform_api_settings()


@pytest.mark.parametrize(
    "answer",
    [
        {"match": "search"},
        {"match": "alias", "results": [{"score": 1.0, "entry": {"id": "x"}}]},
        ["not", "an", "object"],
    ],
)
async def test_platform_api_malformed_resolution_raises(answer: object) -> None:
    api = PlatformApiClient(
        "http://platform.test",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=answer)),
    )

    with pytest.raises(PlatformApiError, match="not a resolution"):
        await api.resolve_knowledge("九寨沟门票多少钱", lang="zh")


async def test_platform_api_resolve_sends_what_the_platform_expects() -> None:
    seen: list[httpx.Request] = []

    def platform(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"match": "none", "results": []})

    api = PlatformApiClient(
        "http://platform.test", transport=httpx.MockTransport(platform), bot_token=BOT_TOKEN
    )
    resolution = await api.resolve_knowledge(
        "x" * (MAX_MESSAGE_CHARS + 10),
        lang="en",
        entities=[("attraction", "jiuzhaigou")],
        previous="emeishan",
        follow_previous=False,
        k=3,
    )
    await api.resolve_knowledge("again", lang="en")
    await api.aclose()

    assert (resolution.match, resolution.matches) == ("none", [])
    [first, _] = seen
    assert (first.method, first.url.path) == ("POST", "/api/kb/resolve")
    assert first.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert json.loads(first.content) == {
        "text": "x" * MAX_MESSAGE_CHARS,
        "lang": "en",
        "entities": [{"entity": "attraction", "value": "jiuzhaigou"}],
        "previous": "emeishan",
        "follow_previous": False,
        "k": 3,
    }


async def test_platform_api_client_reopens_after_aclose(api: PlatformApiClient) -> None:
    first = await api.create_escalation(
        sender_id="s1", channel="rest", language="en", reason="r", last_user_message=""
    )
    await api.aclose()
    second = await api.create_escalation(
        sender_id="s2", channel="rest", language="en", reason="r", last_user_message=""
    )
    await api.aclose()

    assert first != second


def test_platform_api_shared_client_is_one_per_process(fresh_settings: None) -> None:
    get_platform_api_client.cache_clear()
    try:
        assert get_platform_api_client() is get_platform_api_client()
    finally:
        get_platform_api_client.cache_clear()
