"""Partner pushes: keys per venue, slots, readings (latest wins), live data with age and staleness."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_api.partners.live import latest_venue_data
from tests.platform_api.bookings.kit import (
    DAY,
    PARTNER_KEYS,
    START,
    VENUE,
    FakeClock,
    cn_id,
    partner_headers,
    push_slots,
    slots_body,
    ticket_body,
)

SLOTS_URL = f"/api/partners/venues/{VENUE}/slots/{DAY}"


@pytest.mark.security
@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "invalid_partner_key"),
        ({"X-Partner-Key": "not-a-partner-key-000"}, 401, "invalid_partner_key"),
        ({"X-Partner-Key": PARTNER_KEYS["leshan-giant-buddha"]}, 403, "forbidden_venue"),
    ],
)
def test_partner_writes_only_its_own_venue(
    api: TestClient, headers: dict[str, str], status: int, code: str
) -> None:
    for url, body in [
        (SLOTS_URL, slots_body()),
        (f"/api/partners/venues/{VENUE}/visitors", {"count": 10}),
        (f"/api/partners/venues/{VENUE}/weather", {"condition": "sunny", "temperature_c": 20}),
        (f"/api/partners/venues/{VENUE}/refund-rule", {"late_refund_percent": 100}),
    ]:
        response = api.put(url, json=body, headers=headers)
        assert response.status_code == status, url
        assert response.json()["error"]["code"] == code
    assert api.get(f"/api/venues/{VENUE}/slots", params={"date": str(DAY)}).json()["slots"] == []


def test_partner_push_for_an_unknown_or_non_venue_entry_is_404(api: TestClient) -> None:
    for venue in ("no-such-place", "topic-refunds"):
        response = api.put(
            f"/api/partners/venues/{venue}/slots/{DAY}",
            json=slots_body(),
            headers={"X-Partner-Key": PARTNER_KEYS[VENUE]},
        )
        assert response.status_code in (403, 404)
    response = api.put(
        "/api/partners/venues/no-such-place/slots/2030-05-01", json=slots_body(), headers={}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("date", "body", "code"),
    [
        ("2030-04-30", slots_body(), "date_in_past"),
        ("2030-13-01", slots_body(), "validation_error"),
        (
            str(DAY),
            {
                "slots": [
                    {
                        "start": "10:00",
                        "end": "09:00",
                        "capacity": 1,
                        "prices": [{"category": "adult", "amount_fen": 1}],
                    }
                ]
            },
            "validation_error",
        ),
        (
            str(DAY),
            {
                "slots": [
                    {
                        "start": "09:00",
                        "end": "10:00",
                        "capacity": -1,
                        "prices": [{"category": "adult", "amount_fen": 1}],
                    }
                ]
            },
            "validation_error",
        ),
        (
            str(DAY),
            {
                "slots": [
                    {
                        "start": "09:00",
                        "end": "10:00",
                        "capacity": 1,
                        "prices": [{"category": "vip", "amount_fen": 1}],
                    }
                ]
            },
            "validation_error",
        ),
        (
            str(DAY),
            {
                "slots": [
                    {
                        "start": "9am",
                        "end": "10:00",
                        "capacity": 1,
                        "prices": [{"category": "adult", "amount_fen": 1}],
                    }
                ]
            },
            "validation_error",
        ),
    ],
)
def test_partner_bad_slots_are_a_structured_4xx(
    api: TestClient, date: str, body: dict[str, object], code: str
) -> None:
    response = api.put(
        f"/api/partners/venues/{VENUE}/slots/{date}", json=body, headers=partner_headers()
    )

    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] == code


def test_partner_repush_keeps_sold_places_and_closes_missing_slots(api: TestClient) -> None:
    slots = push_slots(api, capacity=5)
    held = api.post("/api/bookings", json=ticket_body(slots[0]["slot_id"], 3))
    assert held.status_code == 201

    again = push_slots(api, capacity=4, adult=9000)

    assert again[0]["slot_id"] == slots[0]["slot_id"]
    assert (again[0]["capacity"], again[0]["remaining"]) == (4, 1)
    assert {"category": "adult", "amount_fen": 9000} in again[0]["prices"]
    only_late = {"slots": [slots_body()["slots"][1]]}
    assert api.put(SLOTS_URL, json=only_late, headers=partner_headers()).status_code == 200
    listed = api.get(f"/api/venues/{VENUE}/slots", params={"date": str(DAY)}).json()["slots"]
    assert [s["start"] for s in listed] == ["10:00"]
    booking = api.get(f"/api/bookings/{held.json()['reference']}").json()
    assert booking["status"] == "held"  # already-held places stay valid


def test_partner_readings_keep_the_newest(api: TestClient, clock: FakeClock) -> None:
    url = f"/api/partners/venues/{VENUE}/visitors"
    newer = (START - dt.timedelta(minutes=1)).isoformat()
    older = (START - dt.timedelta(minutes=10)).isoformat()

    first = api.put(
        url,
        json={"count": 1200, "capacity": 41000, "observed_at": newer},
        headers=partner_headers(),
    )
    late = api.put(url, json={"count": 50, "observed_at": older}, headers=partner_headers())
    future = api.put(
        url,
        json={"count": 1, "observed_at": (START + dt.timedelta(hours=1)).isoformat()},
        headers=partner_headers(),
    )

    assert first.json()["stored"] is True
    assert late.status_code == 200 and late.json()["stored"] is False
    assert future.status_code == 422 and future.json()["error"]["code"] == "observed_in_future"
    live = api.get(f"/api/venues/{VENUE}/live").json()
    assert live["crowd"]["visitors"] == 1200 and live["crowd"]["capacity"] == 41000
    assert live["crowd"]["age_seconds"] == 60 and live["crowd"]["stale"] is False


def test_partner_live_data_reports_age_and_staleness(
    api: TestClient, booking_app: FastAPI, clock: FakeClock
) -> None:
    push_slots(api)
    api.put(
        f"/api/partners/venues/{VENUE}/visitors", json={"count": 800}, headers=partner_headers()
    )
    api.put(
        f"/api/partners/venues/{VENUE}/weather",
        json={"condition": "light rain", "temperature_c": 14.5, "humidity_percent": 90},
        headers=partner_headers(),
    )
    clock.advance(minutes=20)

    live = api.get(f"/api/venues/{VENUE}/live", params={"date": str(DAY)}).json()

    assert live["known"] is True
    assert (live["crowd"]["visitors"], live["crowd"]["age_seconds"]) == (800, 1200)
    assert live["crowd"]["stale"] is True  # older than 15 minutes
    assert live["weather"]["condition"] == "light rain" and live["weather"]["stale"] is False
    assert live["slots"]["remaining_total"] == 25 and live["slots"]["stale"] is False
    assert live["prices"]["amount_fen"] == {"adult": 8000, "child": 4000}
    assert live["prices"]["source"] == "partner" and live["prices"]["demo"] is False

    clock.advance(hours=4)
    with booking_app.state.session_factory() as session:
        later = latest_venue_data(session, VENUE, clock.now, DAY)
    assert later["weather"]["stale"] is True and later["slots"]["stale"] is False


def test_partner_live_data_of_a_venue_nobody_pushed(api: TestClient) -> None:
    live = api.get("/api/venues/leshan-giant-buddha/live").json()

    assert live == {
        "venue_id": "leshan-giant-buddha",
        "known": False,
        "as_of": START.isoformat(),
        "slots": None,
        "prices": None,
        "crowd": None,
        "weather": None,
    }
    assert (
        api.get("/api/venues/leshan-giant-buddha/live", headers={"Authorization": ""}).status_code
        == 401
    )


def test_partner_demo_slots_are_labelled_as_demo(api: TestClient) -> None:
    push_slots(api, source="sandbox demo")

    listed = api.get(f"/api/venues/{VENUE}/slots", params={"date": str(DAY)}).json()["slots"]
    live = api.get(f"/api/venues/{VENUE}/live", params={"date": str(DAY)}).json()

    assert {s["source"] for s in listed} == {"sandbox demo"}
    assert live["prices"]["demo"] is True and live["slots"]["source"] == "sandbox demo"


@pytest.mark.security
def test_partner_reads_its_confirmed_bookings_unmasked_for_the_gate(api: TestClient) -> None:
    slot = push_slots(api)[0]
    held = api.post("/api/bookings", json=ticket_body(slot["slot_id"], 2)).json()
    unpaid = api.post("/api/bookings", json=ticket_body(slot["slot_id"], 1, first=9)).json()
    api.post(held["pay_url"])
    url = f"/api/partners/venues/{VENUE}/bookings"

    own = api.get(
        url, params={"date": str(DAY)}, headers={"Authorization": "", **partner_headers()}
    )
    other = api.get(
        url,
        params={"date": str(DAY)},
        headers={"Authorization": "", "X-Partner-Key": PARTNER_KEYS["leshan-giant-buddha"]},
    )
    bot = api.get(url, params={"date": str(DAY)})

    assert own.status_code == 200
    bookings = own.json()["bookings"]
    assert [b["reference"] for b in bookings] == [held["reference"]]  # not the unpaid hold
    assert unpaid["reference"] not in own.text
    assert [t["id_number"] for t in bookings[0]["tickets"]] == [cn_id(1), cn_id(2)]
    assert (other.status_code, bot.status_code) == (403, 401)
