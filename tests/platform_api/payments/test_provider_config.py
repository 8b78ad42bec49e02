"""Which key the sandbox provider signs with, by environment."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from platform_api.core.config import Settings
from platform_api.main import create_app
from tests.platform_api.bookings.kit import BOT_TOKEN, STAFF_TOKEN, ticket_body


def _settings(tmp_path: Path, environment: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment=environment,  # type: ignore[arg-type]
        database_url=f"sqlite:///{tmp_path / 'p.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
    )


def test_production_without_a_sandbox_secret_refuses_bookings(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, "production"))
    with TestClient(app, headers={"Authorization": f"Bearer {BOT_TOKEN}"}) as client:
        response = client.post("/api/bookings", json=ticket_body(1))

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "payments_unavailable"


def test_local_without_a_sandbox_secret_signs_with_a_process_key(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, "local"))
    with TestClient(app, headers={"Authorization": f"Bearer {BOT_TOKEN}"}) as client:
        response = client.post("/api/bookings", json=ticket_body(1))

    assert response.status_code == 404  # got as far as looking for the slot
    assert len(app.state.payment_provider.secret) == 32
