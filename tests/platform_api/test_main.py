"""``platform_api.main``: app factory, CORS, JSON errors."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from platform_api.core.config import get_settings

ROOT = Path(__file__).resolve().parents[2]


def test_main_cors_allows_configured_origin(client: TestClient) -> None:
    response = client.options(
        "/api/escalations",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_main_cors_ignores_other_origins(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": "https://evil.example"})

    assert "access-control-allow-origin" not in response.headers


def test_main_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/api/nope")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_main_wrong_method_is_json_405(client: TestClient) -> None:
    response = client.delete("/api/escalations")

    assert response.status_code == 405
    assert "detail" in response.json()


def _import_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    """``server`` imported afresh with the environment as it is now."""
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.setenv("PLATFORM_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.delitem(sys.modules, "server", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(sys, "path", [str(ROOT), *sys.path])
    try:
        return importlib.import_module("server")
    finally:
        get_settings.cache_clear()


def test_main_module_app_is_importable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", "server-test-staff-token")
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", "server-test-bot-token-1")

    app = _import_server(monkeypatch, tmp_path).app

    assert set(app.openapi()["paths"]) == {
        "/api/health",
        "/api/health/ready",
        "/api/escalations",
        "/api/escalations/{reference}",
        "/api/kb/search",
        "/api/kb/entries/{entry_id}",
        "/api/kb/entries",
        "/api/kb/cities",
        "/api/kb/resolve",
        "/api/kb/upcoming-events",
        "/api/kb/unanswered",
        # conversation analytics from the event broker (issue 16)
        "/api/analytics/summary",
        # guide devices and nearby places (issue 11)
        "/api/devices",
        "/api/devices/{device_id}",
        "/api/devices/verify",
        "/api/devices/faq",
        "/api/places/nearby",
        # web widget and cross-channel identity (issue 11)
        "/widget/widget.js",
        "/widget/demo",
        "/api/identity/challenges",
        "/api/identity/challenges/{challenge_id}/confirm",
        "/api/identity/conversations/{sender_id}/records",
        "/api/identity/sandbox/sms",
        # bookings, payments and partner data (issue 9)
        "/api/bookings",
        "/api/bookings/{reference}",
        "/api/bookings/{reference}/cancel",
        "/api/venues/{venue_id}/slots",
        "/api/venues/{venue_id}/live",
        "/api/hotels",
        "/api/hotel-bookings",
        "/api/hotel-bookings/{reference}",
        "/api/hotel-bookings/{reference}/cancel",
        "/api/partners/venues/{venue_id}/slots/{date}",
        "/api/partners/venues/{venue_id}/refund-rule",
        "/api/partners/venues/{venue_id}/visitors",
        "/api/partners/venues/{venue_id}/weather",
        "/api/partners/venues/{venue_id}/bookings",
        "/api/partners/hotels/{hotel_id}",
        "/api/partners/hotels/{hotel_id}/inventory",
        "/api/payments/sandbox/notify",
        "/api/payments/sandbox/pay/{reference}",
        "/api/payments/orders/{reference}",
        # complaints, handoff and the staff API (issue 10)
        "/api/complaints",
        "/api/complaints/{reference}",
        "/api/complaints/{reference}/evidence",
        "/api/complaints/{reference}/evidence/url",
        "/api/privacy/erase",
        "/api/conversations/{sender_id}/handoff",
        "/api/conversations/{sender_id}/handoff/messages",
        "/api/conversations/{sender_id}/handoff/end",
        "/api/conversations/{sender_id}/outbox",
        "/api/conversations/{sender_id}/outbox/claim",
        "/api/staff/login",
        "/api/staff/logout",
        "/api/staff/me",
        "/api/staff/complaints",
        "/api/staff/complaints/{reference}",
        "/api/staff/complaints/{reference}/replies",
        "/api/staff/complaints/{reference}/notes",
        "/api/staff/complaints/{reference}/assign",
        "/api/staff/complaints/{reference}/start",
        "/api/staff/complaints/{reference}/resolve",
        "/api/staff/complaints/{reference}/reopen",
        "/api/staff/evidence/{evidence_id}",
        "/api/staff/escalations",
        "/api/staff/escalations/{reference}",
        "/api/staff/escalations/{reference}/messages",
        "/api/staff/escalations/{reference}/notes",
        "/api/staff/escalations/{reference}/assign",
        "/api/staff/escalations/{reference}/hand-back",
        "/api/staff/canned-replies",
        "/api/staff/dashboard",
        "/api/staff/users",
        "/api/staff/audit",
        "/api/staff/privacy/erase",
    }


@pytest.mark.security
@pytest.mark.parametrize("token", [None, "changeme"])
def test_main_server_refuses_to_start_without_real_secrets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, token: str | None
) -> None:
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", "server-test-bot-token-1")
    if token is None:
        monkeypatch.delenv("PLATFORM_STAFF_API_TOKEN", raising=False)
    else:
        monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", token)

    with pytest.raises(SystemExit) as raised:
        _import_server(monkeypatch, tmp_path)

    message = str(raised.value.code)
    assert message.startswith("invalid platform configuration")
    assert "PLATFORM_STAFF_API_TOKEN" in message
    assert "server-test-bot-token-1" not in message
