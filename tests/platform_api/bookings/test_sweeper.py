"""The background sweep runs with the app (the booking router's lifespan) and expires holds."""

from __future__ import annotations

import time

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from platform_api.bookings.config import BookingSettings
from platform_api.bookings.models import Booking, BookingStatus
from platform_api.partners.models import TimeSlot
from tests.platform_api.bookings.kit import (
    BOT_TOKEN,
    HOLD_MINUTES,
    FakeClock,
    push_slots,
    ticket_body,
)


def test_sweeper_thread_expires_unpaid_holds_without_any_request(
    app: FastAPI, clock: FakeClock
) -> None:
    app.state.clock = clock
    app.state.booking_settings = BookingSettings(
        _env_file=None,  # type: ignore[call-arg]
        hold_minutes=HOLD_MINUTES,
        sweep_seconds=0.1,
    )
    with TestClient(app, headers={"Authorization": f"Bearer {BOT_TOKEN}"}) as client:
        slot = push_slots(client)[0]
        assert client.post("/api/bookings", json=ticket_body(slot["slot_id"], 3)).status_code == 201
        clock.advance(minutes=HOLD_MINUTES + 1)

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with app.state.session_factory() as session:
                booking = session.scalar(select(Booking))
                if booking is not None and booking.status == BookingStatus.EXPIRED:
                    break
            time.sleep(0.05)
        with app.state.session_factory() as session:
            stored = session.scalar(select(Booking))
            slot_row = session.get(TimeSlot, slot["slot_id"])
        assert stored is not None and stored.status == BookingStatus.EXPIRED
        assert slot_row is not None and slot_row.reserved == 0
