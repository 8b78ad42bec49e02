"""Sandbox notifications: forged, replayed, duplicated, wrong-amount and out-of-order cases."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from platform_api.bookings.sweeper import sweep_once
from platform_api.payments.models import Payment
from tests.platform_api.bookings.kit import (
    DAY,
    HOLD_MINUTES,
    START,
    VENUE,
    FakeClock,
    notify,
    push_slots,
    sign,
    ticket_body,
)


def _hold(api: TestClient, count: int = 2, first: int = 1) -> dict[str, object]:
    slot = push_slots(api)[0]
    response = api.post("/api/bookings", json=ticket_body(slot["slot_id"], count, first=first))
    assert response.status_code == 201
    data: dict[str, object] = response.json()
    return data


def _status(api: TestClient, reference: object) -> str:
    return str(api.get(f"/api/bookings/{reference}").json()["status"])


def _payments(app: FastAPI) -> list[Payment]:
    with app.state.session_factory() as session:
        return list(session.scalars(select(Payment).order_by(Payment.id)))


def _remaining(api: TestClient) -> int:
    slots = api.get(f"/api/venues/{VENUE}/slots", params={"date": str(DAY)}).json()["slots"]
    return int(slots[0]["remaining"])


def test_notify_confirms_a_held_booking(api: TestClient, booking_app: FastAPI) -> None:
    held = _hold(api)

    response = notify(api, str(held["reference"]), int(str(held["amount_fen"])))

    assert response.status_code == 200
    assert response.json() == {"result": "confirmed"}
    booking = api.get(f"/api/bookings/{held['reference']}").json()
    assert booking["status"] == "confirmed" and booking["pay_url"] is None
    assert [p.outcome for p in _payments(booking_app)] == ["confirmed"]


@pytest.mark.security
@pytest.mark.parametrize(
    "forge",
    [
        {"secret": "another-secret-0123456789"},
        {"signature": ""},
        {"signature": "0" * 64},
        {"signature": "not-hex"},
    ],
)
def test_notify_forged_signature_changes_nothing(
    api: TestClient, booking_app: FastAPI, forge: dict[str, str]
) -> None:
    held = _hold(api)

    response = notify(api, str(held["reference"]), int(str(held["amount_fen"])), **forge)  # type: ignore[arg-type]

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert _status(api, held["reference"]) == "held"
    assert _payments(booking_app) == []


@pytest.mark.security
def test_notify_non_ascii_signature_is_401_not_500(api: TestClient) -> None:
    held = _hold(api)
    raw = json.dumps({"reference": held["reference"], "amount_fen": 1}).encode()

    response = api.post(
        "/api/payments/sandbox/notify",
        content=raw,
        headers={"X-Sandbox-Signature": "é".encode("latin-1") * 64},  # type: ignore[dict-item]
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"


@pytest.mark.security
def test_notify_signature_covers_the_raw_body(api: TestClient, booking_app: FastAPI) -> None:
    held = _hold(api)
    raw = json.dumps(
        {
            "reference": held["reference"],
            "amount_fen": 1,
            "transaction_id": "TX-1",
            "paid_at": START.isoformat(),
        }
    ).encode()
    signature = sign(raw)
    tampered = raw.replace(b'"amount_fen": 1', b'"amount_fen": 16000')

    response = api.post(
        "/api/payments/sandbox/notify",
        content=tampered,
        headers={"X-Sandbox-Signature": signature, "Content-Type": "application/json"},
    )

    assert response.status_code == 401
    assert _status(api, held["reference"]) == "held"


def test_notify_wrong_amount_is_refused_and_changes_nothing(
    api: TestClient, booking_app: FastAPI
) -> None:
    held = _hold(api)

    response = notify(api, str(held["reference"]), int(str(held["amount_fen"])) - 1)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "amount_mismatch"
    assert _status(api, held["reference"]) == "held"
    assert _payments(booking_app) == []


def test_notify_replayed_is_absorbed_with_no_second_effect(
    api: TestClient, booking_app: FastAPI
) -> None:
    held = _hold(api)
    reference, amount = str(held["reference"]), int(str(held["amount_fen"]))
    first = notify(api, reference, amount, "TX-replay")

    replays = [notify(api, reference, amount, "TX-replay") for _ in range(3)]

    assert first.json() == {"result": "confirmed"}
    assert [r.status_code for r in replays] == [200, 200, 200]
    assert all(r.json() == {"result": "confirmed"} for r in replays)
    assert len(_payments(booking_app)) == 1
    order = api.get(f"/api/payments/orders/{reference}").json()
    assert order["refunded_fen"] == 0


def test_notify_second_transaction_for_a_paid_booking_is_refunded(
    api: TestClient, booking_app: FastAPI
) -> None:
    held = _hold(api)
    reference, amount = str(held["reference"]), int(str(held["amount_fen"]))
    notify(api, reference, amount, "TX-first")

    response = notify(api, reference, amount, "TX-second")

    assert response.json() == {"result": "refunded_duplicate"}
    payments = _payments(booking_app)
    assert [(p.transaction_id, p.outcome, p.refund_fen) for p in payments] == [
        ("TX-first", "confirmed", 0),
        ("TX-second", "refunded_duplicate", amount),
    ]
    booking = api.get(f"/api/bookings/{reference}").json()
    assert (booking["status"], booking["refund_fen"]) == ("confirmed", 0)


def test_notify_after_cancellation_is_refunded_and_keeps_the_booking_cancelled(
    api: TestClient, booking_app: FastAPI
) -> None:
    held = _hold(api)
    reference, amount = str(held["reference"]), int(str(held["amount_fen"]))
    api.post(f"/api/bookings/{reference}/cancel")

    response = notify(api, reference, amount, "TX-late")

    assert response.json() == {"result": "refunded_late"}
    assert _status(api, reference) == "cancelled"
    assert _remaining(api) == 5  # the places stay given back
    order = api.get(f"/api/payments/orders/{reference}").json()
    assert order["refunded_fen"] == amount


def test_notify_late_for_a_payment_made_in_time_confirms_if_places_remain(
    api: TestClient, booking_app: FastAPI, clock: FakeClock
) -> None:
    held = _hold(api)
    reference, amount = str(held["reference"]), int(str(held["amount_fen"]))
    paid_at = START + dt.timedelta(minutes=HOLD_MINUTES - 1)
    clock.advance(minutes=HOLD_MINUTES + 5)
    assert _status(api, reference) == "expired"
    assert _remaining(api) == 5

    response = notify(api, reference, amount, "TX-in-time", paid_at=paid_at)

    assert response.json() == {"result": "confirmed"}
    assert _status(api, reference) == "confirmed"
    assert _remaining(api) == 3


def test_notify_late_payment_is_refunded_when_the_places_went_to_others(
    api: TestClient, booking_app: FastAPI, clock: FakeClock
) -> None:
    held = _hold(api, count=2)
    reference, amount = str(held["reference"]), int(str(held["amount_fen"]))
    clock.advance(minutes=HOLD_MINUTES + 1)
    slot_id = api.get(f"/api/venues/{VENUE}/slots", params={"date": str(DAY)}).json()["slots"][0][
        "slot_id"
    ]
    assert api.post("/api/bookings", json=ticket_body(slot_id, 4, first=30)).status_code == 201

    response = notify(
        api, reference, amount, "TX-too-late", paid_at=START + dt.timedelta(minutes=1)
    )

    assert response.json() == {"result": "refunded_late"}
    assert _status(api, reference) == "expired"
    assert _remaining(api) == 1


def test_notify_after_expiry_for_a_payment_made_later_is_refunded(
    api: TestClient, booking_app: FastAPI, clock: FakeClock
) -> None:
    held = _hold(api)
    reference, amount = str(held["reference"]), int(str(held["amount_fen"]))
    clock.advance(minutes=HOLD_MINUTES + 5)

    response = notify(api, reference, amount, "TX-after", paid_at=clock.now)

    assert response.json() == {"result": "refunded_late"}
    assert _status(api, reference) == "expired"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"[]",
        b"{",
        b'{"reference": "BK-20300501-00000001"}',
        b'{"reference": 1, "amount_fen": "x"}',
        b'{"reference": "BK-20300501-0001\\u0000", "amount_fen": 1, "transaction_id": "T",'
        b' "paid_at": "2030-05-01T00:00:00Z"}',
        b'{"reference": "BK-20300501-0001", "amount_fen": 1, "transaction_id": "T\\u0000",'
        b' "paid_at": "2030-05-01T00:00:00Z"}',
    ],
)
def test_notify_malformed_signed_body_is_422(api: TestClient, raw: bytes) -> None:
    response = api.post(
        "/api/payments/sandbox/notify",
        content=raw,
        headers={"X-Sandbox-Signature": sign(raw), "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_notification"


def test_notify_unknown_reference_is_404(api: TestClient) -> None:
    response = notify(api, "BK-20300501-12345678", 100)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_booking"


def test_pay_page_needs_its_link_token_and_pays_once(api: TestClient, booking_app: FastAPI) -> None:
    held = _hold(api)
    pay_url = str(held["pay_url"])
    forged = pay_url.rsplit("t=", 1)[0] + "t=" + "0" * 32
    assert api.get(forged).status_code == 403
    assert api.post(forged).status_code == 403

    page = api.get(pay_url)
    assert page.status_code == 200 and "SANDBOX" in page.text and "id='pay'" in page.text
    assert api.post(pay_url).status_code == 200
    again = api.post(pay_url)

    assert again.status_code == 409
    assert "data-code='order_not_payable'" in again.text
    assert len(_payments(booking_app)) == 1


def test_pay_after_the_hold_expired_is_refused(api: TestClient, clock: FakeClock) -> None:
    held = _hold(api)
    clock.advance(minutes=HOLD_MINUTES + 1)

    response = api.post(str(held["pay_url"]))

    assert response.status_code == 409
    assert _status(api, held["reference"]) == "expired"


def test_notify_is_retried_until_the_platform_acknowledges(
    api: TestClient, booking_app: FastAPI, clock: FakeClock
) -> None:
    held = _hold(api)
    reference = str(held["reference"])
    # The provider's network to the platform is down: every delivery fails (true boundary).
    down = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    booking_app.state.payment_http = down

    paid = api.post(str(held["pay_url"]))

    assert paid.status_code == 202  # paid at the provider, not yet confirmed here
    assert _status(api, reference) == "held"
    clock.advance(seconds=1)
    assert sweep_once(booking_app) == (0, 0)  # second attempt fails too
    booking_app.state.payment_http = api  # the network is back
    clock.advance(seconds=1)
    assert sweep_once(booking_app) == (0, 0)  # the third attempt is due 2 s after the second
    clock.advance(seconds=1)
    assert sweep_once(booking_app) == (0, 1)
    assert _status(api, reference) == "confirmed"
    clock.advance(seconds=60)
    assert sweep_once(booking_app) == (0, 0)  # acknowledged: never sent again
    with booking_app.state.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 1
