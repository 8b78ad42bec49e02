"""Hold → pay through the sandbox page → confirmed → cancel, over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.platform_api.bookings.kit import push_slots, ticket_body


def test_booking_full_flow_through_the_sandbox_pay_page(api: TestClient) -> None:
    slots = push_slots(api)
    created = api.post(
        "/api/bookings", json=ticket_body(slots[0]["slot_id"], 2), headers={"Idempotency-Key": "k1"}
    )
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["status"] == "held" and data["amount_fen"] == 16000
    page = api.get(data["pay_url"])
    assert page.status_code == 200 and "¥160.00" in page.text
    paid = api.post(data["pay_url"])
    assert paid.status_code == 200, paid.text
    booking = api.get(f"/api/bookings/{data['reference']}").json()
    assert booking["status"] == "confirmed"
    cancelled = api.post(f"/api/bookings/{data['reference']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["refund_fen"] == 16000
