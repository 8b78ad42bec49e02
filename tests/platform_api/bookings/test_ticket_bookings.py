"""Ticket bookings over HTTP: hold, validation, idempotency, expiry, cancellation, masking."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_api.bookings.sweeper import sweep_once
from tests.platform_api.bookings.kit import (
    DAY,
    HOLD_MINUTES,
    START,
    VENUE,
    FakeClock,
    cn_id,
    partner_headers,
    push_slots,
    ticket_body,
)


def _remaining(api: TestClient, index: int = 0) -> int:
    slots = api.get(f"/api/venues/{VENUE}/slots", params={"date": str(DAY)}).json()["slots"]
    return int(slots[index]["remaining"])


def _book(api: TestClient, slot_id: int, count: int = 1, key: str | None = None, **extra: object):
    headers = {"Idempotency-Key": key} if key else {}
    return api.post("/api/bookings", json=ticket_body(slot_id, count, **extra), headers=headers)


def test_booking_hold_answers_the_contract(api: TestClient) -> None:
    slot = push_slots(api)[0]

    response = _book(api, slot["slot_id"], 2, key="contract-1")

    assert response.status_code == 201
    data = response.json()
    assert set(data) >= {"reference", "status", "amount_fen", "pay_url", "expires_at"}
    assert re.fullmatch(r"BK-20300501-\d{4,}", data["reference"])
    assert data["status"] == "held"
    assert data["amount_fen"] == 2 * 8000
    assert data["pay_url"].startswith("http://testserver/api/payments/sandbox/pay/")
    expires = dt.datetime.fromisoformat(data["expires_at"])
    assert expires == START + dt.timedelta(minutes=HOLD_MINUTES)
    assert _remaining(api) == 3


def test_booking_slots_list_remaining_and_prices(api: TestClient) -> None:
    push_slots(api)

    slots = api.get(f"/api/venues/{VENUE}/slots", params={"date": str(DAY)}).json()["slots"]

    assert [(s["start"], s["end"], s["capacity"], s["remaining"]) for s in slots] == [
        ("09:00", "10:00", 5, 5),
        ("10:00", "11:00", 20, 20),
    ]
    assert {"category": "child", "amount_fen": 4000} in slots[0]["prices"]
    assert all(isinstance(s["slot_id"], int) for s in slots)


def test_booking_more_than_remaining_is_sold_out_and_holds_nothing(api: TestClient) -> None:
    slot = push_slots(api, capacity=3)[0]
    assert _book(api, slot["slot_id"], 2).status_code == 201

    response = _book(api, slot["slot_id"], 2, first=10)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "sold_out"
    assert _remaining(api) == 1


def test_booking_same_key_same_body_returns_the_same_booking(api: TestClient) -> None:
    slot = push_slots(api)[0]
    first = _book(api, slot["slot_id"], 2, key="same-key").json()

    again = _book(api, slot["slot_id"], 2, key="same-key")

    assert again.status_code == 201
    assert again.json()["reference"] == first["reference"]
    assert _remaining(api) == 3


def test_booking_same_key_other_body_is_refused(api: TestClient) -> None:
    slot = push_slots(api)[0]
    _book(api, slot["slot_id"], 2, key="reused-key")

    response = _book(api, slot["slot_id"], 1, key="reused-key")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert _remaining(api) == 3


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


@pytest.mark.security
@pytest.mark.parametrize(
    "visitor",
    [
        {"name": "张三", "id_type": "cn_id", "id_number": _wrong_check_digit(cn_id(7))},
        {"name": "张三", "id_type": "cn_id", "id_number": "110105199002301234"},  # 30 February
        {"name": "张三", "id_type": "cn_id", "id_number": "11010519900307123"},  # 17 digits
        {"name": "Jane Doe", "id_type": "passport", "id_number": "12"},
        {"name": "Jane Doe", "id_type": "passport", "id_number": "E1234567<script>"},
    ],
)
def test_booking_refuses_invalid_documents(api: TestClient, visitor: dict[str, str]) -> None:
    slot = push_slots(api)[0]
    body = ticket_body(slot["slot_id"])
    body["tickets"][0]["visitor"] = visitor

    response = api.post("/api/bookings", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_id_number"
    assert visitor["id_number"] not in error["message"]
    assert _remaining(api) == 5


def test_booking_accepts_a_passport_and_an_international_phone(api: TestClient) -> None:
    slot = push_slots(api)[0]
    body = ticket_body(slot["slot_id"], phone="+33 6 12 34 56 78")
    body["tickets"][0]["visitor"] = {
        "name": "Jane Doe",
        "id_type": "passport",
        "id_number": "X1234567",
    }

    response = api.post("/api/bookings", json=body)

    assert response.status_code == 201
    booking = api.get(f"/api/bookings/{response.json()['reference']}").json()
    assert booking["phone"] == "+33612**5678"
    assert booking["tickets"][0]["visitor"]["id_number"] == "X*****67"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"phone": "12345"}, 422, "invalid_phone"),
        ({"slot_id": 99999}, 404, "unknown_slot"),
        ({"venue_id": "leshan-giant-buddha"}, 404, "unknown_slot"),
        ({"language": "xx"}, 422, "validation_error"),
        ({"tickets": []}, 422, "validation_error"),
    ],
)
def test_booking_bad_input_is_a_structured_4xx(
    api: TestClient, change: dict[str, object], status: int, code: str
) -> None:
    slot = push_slots(api)[0]

    body = ticket_body(slot["slot_id"])
    body.update(change)
    response = api.post("/api/bookings", json=body)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert _remaining(api) == 5


def test_booking_duplicate_visitor_and_unsold_category_are_refused(api: TestClient) -> None:
    slot = push_slots(api)[1]  # 10:00 slot sells adult tickets only
    body = ticket_body(slot["slot_id"], 2)
    body["tickets"][1]["visitor"] = body["tickets"][0]["visitor"]
    assert api.post("/api/bookings", json=body).json()["error"]["code"] == "duplicate_visitor"

    child = ticket_body(slot["slot_id"])
    child["tickets"][0]["category"] = "child"
    assert api.post("/api/bookings", json=child).json()["error"]["code"] == "category_unavailable"


def test_booking_malformed_json_and_missing_token_are_structured(api: TestClient) -> None:
    malformed = api.post(
        "/api/bookings", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "validation_error"

    anonymous = api.post("/api/bookings", json={}, headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthorized"

    partner = api.get(
        "/api/bookings/BK-20300501-00000001", headers={"Authorization": "", **partner_headers()}
    )
    assert partner.status_code == 401


def test_booking_unpaid_hold_expires_lazily_and_gives_places_back(
    api: TestClient, clock: FakeClock
) -> None:
    slot = push_slots(api)[0]
    reference = _book(api, slot["slot_id"], 3).json()["reference"]
    assert _remaining(api) == 2

    clock.advance(minutes=HOLD_MINUTES, seconds=1)

    assert api.get(f"/api/bookings/{reference}").json()["status"] == "expired"
    assert _remaining(api) == 5
    assert api.get(f"/api/bookings/{reference}").json()["status"] == "expired"
    assert _remaining(api) == 5  # given back once


def test_booking_sweep_expires_due_holds(
    api: TestClient, booking_app: FastAPI, clock: FakeClock
) -> None:
    slot = push_slots(api)[0]
    _book(api, slot["slot_id"], 2)
    clock.advance(minutes=HOLD_MINUTES - 1)
    assert sweep_once(booking_app) == (0, 0)

    clock.advance(minutes=2)

    assert sweep_once(booking_app) == (1, 0)
    assert _remaining(api) == 5


def test_booking_new_request_sees_places_of_expired_holds(
    api: TestClient, clock: FakeClock
) -> None:
    slot = push_slots(api)[0]
    assert _book(api, slot["slot_id"], 5).status_code == 201
    assert _book(api, slot["slot_id"], 1, first=20).status_code == 409

    clock.advance(minutes=HOLD_MINUTES + 1)

    assert _book(api, slot["slot_id"], 5, first=30).status_code == 201


def test_booking_cancel_held_refunds_nothing_and_gives_places_back(api: TestClient) -> None:
    slot = push_slots(api)[0]
    created = _book(api, slot["slot_id"], 2).json()

    response = api.post(f"/api/bookings/{created['reference']}/cancel")

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["refund_fen"], data["amount_fen"]) == ("cancelled", 0, 16000)
    assert _remaining(api) == 5
    assert api.get(created["pay_url"]).text.count("cancelled") >= 1
    refused = api.post(created["pay_url"])
    assert refused.status_code == 409 and "data-code='order_not_payable'" in refused.text


def _paid(api: TestClient, slot_id: int, count: int = 2) -> str:
    created = _book(api, slot_id, count).json()
    assert api.post(created["pay_url"]).status_code == 200
    reference: str = created["reference"]
    assert api.get(f"/api/bookings/{reference}").json()["status"] == "confirmed"
    return reference


def test_booking_cancel_confirmed_follows_the_venue_refund_rule(
    api: TestClient, clock: FakeClock
) -> None:
    rule = api.put(
        f"/api/partners/venues/{VENUE}/refund-rule",
        json={"full_refund_hours_before": 2, "late_refund_percent": 50},
        headers=partner_headers(),
    )
    assert rule.status_code == 200
    slot = push_slots(api)[0]  # starts 09:00 China time = 01:00 UTC; clock is 00:00 UTC
    early = _paid(api, slot["slot_id"])
    late = _paid(api, slot["slot_id"], 1)
    assert api.get(f"/api/bookings/{late}").json()["cancel_refund_fen"] == 4000  # 1 h before

    assert api.post(f"/api/bookings/{late}/cancel").json()["refund_fen"] == 4000
    clock.advance(hours=-2)  # 3 hours before the slot (a cancellation made earlier)
    early_cancel = api.post(f"/api/bookings/{early}/cancel").json()

    assert (early_cancel["status"], early_cancel["refund_fen"]) == ("cancelled", 16000)
    assert _remaining(api) == 5
    order = api.get(f"/api/payments/orders/{early}").json()
    assert (order["status"], order["refunded_fen"]) == ("REFUND", 16000)


def test_booking_cancel_twice_refunds_once_and_expired_is_not_cancellable(
    api: TestClient, clock: FakeClock
) -> None:
    slot = push_slots(api)[0]
    reference = _paid(api, slot["slot_id"])
    first = api.post(f"/api/bookings/{reference}/cancel").json()
    second = api.post(f"/api/bookings/{reference}/cancel").json()
    assert first == second
    assert api.get(f"/api/payments/orders/{reference}").json()["refunded_fen"] == 16000
    assert _remaining(api) == 5

    held = _book(api, slot["slot_id"], 1, first=40).json()["reference"]
    clock.advance(minutes=HOLD_MINUTES + 1)
    response = api.post(f"/api/bookings/{held}/cancel")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_cancellable"


def test_booking_unknown_reference_is_404_and_bad_reference_422(api: TestClient) -> None:
    assert api.get("/api/bookings/BK-20300501-99999999").json()["error"]["code"] == (
        "unknown_booking"
    )
    assert api.get("/api/bookings/DROP TABLE").status_code in (404, 422)
    assert api.post("/api/bookings/BK-1/cancel").status_code == 422


def test_booking_lookup_by_phone_masks_personal_numbers(api: TestClient) -> None:
    slot = push_slots(api)[0]
    reference = _book(api, slot["slot_id"], 2).json()["reference"]
    _book(api, slot["slot_id"], 1, first=50, phone="13900139000")

    response = api.get("/api/bookings", params={"phone": "+86 138 0013 8000"})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    booking = data["bookings"][0]
    assert booking["reference"] == reference
    assert booking["phone"] == "+86138****8000"
    numbers = [t["visitor"]["id_number"] for t in booking["tickets"]]
    assert numbers == [
        cn_id(1)[:3] + "*" * 11 + cn_id(1)[-4:],
        cn_id(2)[:3] + "*" * 11 + cn_id(2)[-4:],
    ]
    assert cn_id(1) not in response.text and "13800138000" not in response.text


def test_booking_logs_carry_no_personal_numbers(
    api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    slot = push_slots(api)[0]
    with caplog.at_level(logging.INFO):
        created = _book(api, slot["slot_id"], 2).json()
        api.post(created["pay_url"])
        api.post(f"/api/bookings/{created['reference']}/cancel")
    text = caplog.text
    assert created["reference"] in text
    assert cn_id(1) not in text and "13800138000" not in text and "测试游客" not in text


def test_booking_slot_over_and_closed_slots_are_refused(api: TestClient, clock: FakeClock) -> None:
    slots = push_slots(api)
    only_second = {
        "slots": [
            {
                "start": "10:00",
                "end": "11:00",
                "capacity": 20,
                "prices": [{"category": "adult", "amount_fen": 8000}],
            }
        ]
    }
    assert (
        api.put(
            f"/api/partners/venues/{VENUE}/slots/{DAY}", json=only_second, headers=partner_headers()
        ).status_code
        == 200
    )
    closed = _book(api, slots[0]["slot_id"])
    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "slot_closed")

    clock.advance(hours=3)  # 11:00 China time: the 10:00-11:00 slot is over
    over = _book(api, slots[1]["slot_id"])
    assert (over.status_code, over.json()["error"]["code"]) == (422, "slot_over")


@pytest.mark.security
@pytest.mark.parametrize(
    "change",
    [
        {"slot_id": 10**30},
        {"user_id": "u\x00"},
        {"channel": "rest\n"},
    ],
)
def test_booking_out_of_range_ids_and_control_characters_are_422(
    api: TestClient, change: dict[str, object]
) -> None:
    slot = push_slots(api)[0]
    body = ticket_body(slot["slot_id"])
    body.update(change)

    response = api.post("/api/bookings", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_booking_visitor_name_with_a_nul_is_422(api: TestClient) -> None:
    slot = push_slots(api)[0]
    body = ticket_body(slot["slot_id"])
    body["tickets"][0]["visitor"]["name"] = "张\x00三"

    assert api.post("/api/bookings", json=body).status_code == 422
