"""Bounded mixed load (holds, payments, duplicate notifications, cancellations, expiry) from real
threads, then the database is reconciled: every slot's ``reserved`` equals the places of its held and
confirmed bookings, never more than its capacity, and each confirmed booking has exactly one
``confirmed`` payment. On a SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from platform_api.bookings.errors import ApiError
from platform_api.bookings.holds import create_ticket_booking
from platform_api.bookings.models import Booking, BookingStatus
from platform_api.bookings.schemas import TicketBookingIn
from platform_api.bookings.service import BookingContext, cancel_booking, expire_due
from platform_api.partners.models import TimeSlot
from platform_api.payments.models import Payment
from platform_api.payments.provider import PaymentNotification
from platform_api.payments.service import apply_notification
from tests.platform_api.bookings.kit import START, run_parallel, ticket_body

pytestmark = pytest.mark.load
WORKERS = 12
STEPS = 15


def test_mixed_load_leaves_a_consistent_database(
    factory: sessionmaker[Session], ctx: BookingContext, slot_id: int
) -> None:
    def worker(index: int) -> Counter[str]:
        rng = random.Random(index)
        outcomes: Counter[str] = Counter()
        for step in range(STEPS):
            count = rng.randint(1, 2)
            body = TicketBookingIn.model_validate(
                ticket_body(slot_id, count, first=1 + (index * STEPS + step) * 2)
            )
            now = START + dt.timedelta(minutes=rng.randint(0, 40))
            try:
                with factory() as session:
                    booking = create_ticket_booking(
                        session, ctx, body, idempotency_key=None, now=now
                    )
            except ApiError as error:
                outcomes[error.code] += 1
                continue
            action = rng.choice(["pay", "pay_twice", "cancel", "pay_cancel", "leave"])
            note = PaymentNotification(
                reference=booking.reference,
                amount_fen=booking.amount_fen,
                transaction_id=f"TX-{booking.reference}",
                paid_at=now,
            )
            with factory() as session:
                if action.startswith("pay"):
                    outcomes[apply_notification(session, ctx, note, now)] += 1
                if action == "pay_twice":
                    outcomes[apply_notification(session, ctx, note, now)] += 1
                if action.endswith("cancel"):
                    try:
                        cancel_booking(session, ctx, booking.reference, now)
                        outcomes["cancelled"] += 1
                    except ApiError as error:
                        outcomes[error.code] += 1
        return outcomes

    results = run_parallel(WORKERS, worker)
    with factory() as session:
        expire_due(session, ctx, START + dt.timedelta(hours=2))

    totals: Counter[str] = sum(results, Counter())
    assert totals["sold_out"] > 0 and totals["confirmed"] > 0 and totals["cancelled"] > 0
    with factory() as session:
        slot = session.get(TimeSlot, slot_id)
        bookings = list(session.scalars(select(Booking)))
        payments = list(session.scalars(select(Payment)))
    assert slot is not None
    live = [b for b in bookings if b.status in (BookingStatus.HELD, BookingStatus.CONFIRMED)]
    assert slot.reserved == sum(b.quantity for b in live) <= slot.capacity
    assert not [b for b in bookings if b.status == BookingStatus.HELD]  # all expired by now
    confirmed_payments = Counter(p.booking_id for p in payments if p.outcome == "confirmed")
    for booking in bookings:
        if booking.status == BookingStatus.CONFIRMED:
            assert confirmed_payments[booking.id] == 1
    assert len({p.transaction_id for p in payments}) == len(payments)
