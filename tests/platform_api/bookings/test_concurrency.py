"""Parallel requests for the last places, on a SQLite file and on PostgreSQL (real threads).

50 threads each try to hold one ticket of a slot with 5 places left: exactly 5 holds, 45
``sold_out``, and the slot's counter says 5. The same for one Idempotency-Key sent 10 times at
once (one booking) and for one payment notification delivered 10 times at once (one payment).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from platform_api.bookings.holds import create_ticket_booking
from platform_api.bookings.models import Booking, BookingStatus
from platform_api.bookings.schemas import TicketBookingIn
from platform_api.bookings.service import BookingContext
from platform_api.partners.models import TimeSlot
from platform_api.payments.models import Payment
from platform_api.payments.provider import PaymentNotification
from platform_api.payments.service import apply_notification
from tests.platform_api.bookings.kit import DAY, START, run_parallel, ticket_body

ATTEMPTS = 50
PLACES = 5


def test_concurrency_last_places_have_exactly_as_many_winners(
    factory: sessionmaker[Session], ctx: BookingContext, slot_id: int
) -> None:
    def book(index: int) -> str:
        body = TicketBookingIn.model_validate(ticket_body(slot_id, 1, first=100 + index))
        with factory() as session:
            return create_ticket_booking(session, ctx, body, idempotency_key=None, now=START).status

    outcomes = run_parallel(ATTEMPTS, book)

    assert outcomes.count(BookingStatus.HELD) == PLACES
    assert outcomes.count("sold_out") == ATTEMPTS - PLACES
    with factory() as session:
        slot = session.get(TimeSlot, slot_id)
        assert slot is not None and (slot.reserved, slot.remaining) == (PLACES, 0)
        assert session.scalar(select(func.count()).select_from(Booking)) == PLACES


def test_concurrency_one_idempotency_key_makes_one_booking(
    factory: sessionmaker[Session], ctx: BookingContext, slot_id: int
) -> None:
    body = TicketBookingIn.model_validate(ticket_body(slot_id, 2))

    def book(index: int) -> str:
        with factory() as session:
            booking = create_ticket_booking(
                session, ctx, body, idempotency_key="race-key", now=START
            )
            return booking.reference

    references = run_parallel(10, book)

    assert len(set(references)) == 1 and references[0].startswith("BK-")
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 1
        slot = session.get(TimeSlot, slot_id)
        assert slot is not None and slot.reserved == 2


def test_concurrency_one_notification_delivered_ten_times_pays_once(
    factory: sessionmaker[Session], ctx: BookingContext, slot_id: int
) -> None:
    body = TicketBookingIn.model_validate(ticket_body(slot_id, 1))
    with factory() as session:
        booking = create_ticket_booking(session, ctx, body, idempotency_key=None, now=START)
    note = PaymentNotification(
        reference=booking.reference,
        amount_fen=booking.amount_fen,
        transaction_id="TX-race-1",
        paid_at=START,
    )

    def deliver(index: int) -> str:
        with factory() as session:
            return apply_notification(session, ctx, note, START)

    outcomes = run_parallel(10, deliver)

    assert outcomes == ["confirmed"] * 10
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 1
        stored = session.scalar(select(Booking))
        assert stored is not None and stored.status == BookingStatus.CONFIRMED
        assert stored.refund_fen == 0


def test_concurrency_hotel_stays_take_every_night_or_nothing(
    factory: sessionmaker[Session], ctx: BookingContext
) -> None:
    from platform_api.bookings.holds import create_hotel_booking
    from platform_api.bookings.schemas import HotelBookingIn
    from platform_api.partners.models import RoomNight
    from platform_api.partners.schemas import HotelPut, InventoryPut
    from platform_api.partners.service import put_hotel, put_inventory
    from tests.platform_api.bookings.kit import visitor

    with factory() as session:
        put_hotel(
            session,
            "hotel-race",
            HotelPut.model_validate(
                {"name": "Race Inn", "city": "Chengdu",
                 "room_types": [{"code": "twin", "name": "Twin", "max_guests": 2}]}
            ),
            START,
        )  # fmt: skip
        nights = [
            {"date": str(DAY + dt.timedelta(days=i)), "room_type": "twin", "rooms": 3, "price_fen": 100}
            for i in range(3)
        ]  # fmt: skip
        put_inventory(session, "hotel-race", InventoryPut.model_validate({"nights": nights}), START)

    def book(index: int) -> str:
        # Overlapping stays: nights 1-2 or nights 2-3, so every winner needs the middle night.
        check_in = DAY + dt.timedelta(days=index % 2)
        body = HotelBookingIn.model_validate(
            {
                "hotel_id": "hotel-race", "room_type": "twin", "rooms": 1,
                "check_in": str(check_in), "check_out": str(check_in + dt.timedelta(days=2)),
                "guests": [visitor(200 + index)], "phone": "13800138000",
            }
        )  # fmt: skip
        with factory() as session:
            return create_hotel_booking(session, ctx, body, idempotency_key=None, now=START).status

    outcomes = run_parallel(20, book)

    assert outcomes.count(BookingStatus.HELD) == 3
    assert outcomes.count("sold_out") == 17
    with factory() as session:
        reserved = sorted((row.day, row.reserved) for row in session.scalars(select(RoomNight)))
    middle = DAY + dt.timedelta(days=1)
    assert dict(reserved)[middle] == 3
    assert all(0 <= count <= 3 for _, count in reserved)
