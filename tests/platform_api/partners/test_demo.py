"""The demo-data command: labelled sandbox demo data only, local only."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from platform_api.core.config import Settings, get_settings
from platform_api.partners import demo
from tests.platform_api.bookings.kit import PARTNER_KEYS, START, VENUE, ticket_body

TODAY = START.astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def test_demo_data_is_pushed_through_the_partner_api_and_labelled(
    api: TestClient, settings: Settings
) -> None:
    for path, body in demo.demo_payloads(settings, TODAY, days=2):
        venue = path.split("/")[4]
        response = api.put(path, json=body, headers={"X-Partner-Key": PARTNER_KEYS[venue]})
        assert response.status_code == 200, (path, response.text)

    tomorrow = TODAY + dt.timedelta(days=1)
    slots = api.get(f"/api/venues/{VENUE}/slots", params={"date": str(tomorrow)}).json()["slots"]
    live = api.get(f"/api/venues/{VENUE}/live").json()
    hotels = api.get(
        "/api/hotels",
        params={"near": VENUE, "check_in": str(TODAY), "check_out": str(tomorrow)},
    ).json()["hotels"]

    assert len(slots) == 4 and {s["source"] for s in slots} == {"sandbox demo"}
    assert all(p["amount_fen"] <= 100 for s in slots for p in s["prices"])
    assert live["prices"]["demo"] is True
    assert live["crowd"]["demo"] is True and live["weather"]["demo"] is True
    assert hotels[0]["source"] == "sandbox demo"
    booked = api.post("/api/bookings", json=ticket_body(slots[0]["slot_id"], 1))
    assert booked.status_code == 201 and booked.json()["amount_fen"] == 100


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"PLATFORM_ENVIRONMENT": "production"}, ["--base-url", "http://127.0.0.1:8000"]),
        ({}, ["--base-url", "https://platform.example.com"]),
    ],
)
def test_demo_refuses_production_and_remote_targets(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    args: list[str],
) -> None:
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", "demo-test-staff-token-1")
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", "demo-test-bot-token-12")
    monkeypatch.setenv("PLATFORM_PARTNER_KEYS", f"{VENUE}:{PARTNER_KEYS[VENUE]}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert demo.main(args) == 2
    finally:
        get_settings.cache_clear()
    assert "refused" in capsys.readouterr().out
