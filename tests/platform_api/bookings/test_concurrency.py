"""Parallel requests for the last places, on a SQLite file and on PostgreSQL (real threads).

50 threads each try to hold one ticket of a slot with 5 places left: exactly 5 holds, 45
``sold_out``, and the slot's counter says 5. The same for one Idempotency-Key sent 10 times at
once (one booking) and for one payment notification delivered 10 times at once (one payment).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from platform_api.bookings.config import BookingSettings
from platform_api.bookings.errors import ApiError
from platform_api.bookings.holds import create_ticket_booking
from platform_api.bookings.models import Booking, BookingStatus
from platform_api.bookings.schemas import TicketBookingIn
from platform_api.bookings.service import BookingContext
from platform_api.core.db import make_engine, make_session_factory, migrate
from platform_api.partners.models import TimeSlot
from platform_api.partners.schemas import SlotsPut
from platform_api.partners.service import put_slots
from platform_api.payments.models import Payment
from platform_api.payments.provider import PaymentNotification
from platform_api.payments.sandbox import SandboxProvider
from platform_api.payments.service import apply_notification
from tests.platform_api.bookings.kit import DAY, START, VENUE, slots_body, ticket_body

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ATTEMPTS = 50
PLACES = 5


def _sqlite(tmp_path: Any) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    yield engine
    engine.dispose()


def _postgres() -> Iterator[Engine]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"t_book_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable on loopback: {type(error).__name__}")
    engine = create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", pool_size=20, max_overflow=40
    )
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.scaleout)])
def factory(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[sessionmaker[Session]]:
    engines = _sqlite(tmp_path) if request.param == "sqlite" else _postgres()
    engine = next(engines)
    migrate(engine)
    yield make_session_factory(engine)
    next(engines, None)


@pytest.fixture
def ctx() -> BookingContext:
    return BookingContext(
        provider=SandboxProvider(b"race-test-secret-0123456789", "http://testserver"),
        settings=BookingSettings(_env_file=None, sweep_seconds=0),  # type: ignore[call-arg]
    )


@pytest.fixture
def slot_id(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        slots = put_slots(session, VENUE, DAY, SlotsPut.model_validate(slots_body(PLACES)), START)
        return slots[0].id


def _run_parallel(count: int, job: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(count)

    def start(index: int) -> Any:
        barrier.wait()
        try:
            return job(index)
        except ApiError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


def test_concurrency_last_places_have_exactly_as_many_winners(
    factory: sessionmaker[Session], ctx: BookingContext, slot_id: int
) -> None:
    def book(index: int) -> str:
        body = TicketBookingIn.model_validate(ticket_body(slot_id, 1, first=100 + index))
        with factory() as session:
            return create_ticket_booking(session, ctx, body, idempotency_key=None, now=START).status

    outcomes = _run_parallel(ATTEMPTS, book)

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

    references = _run_parallel(10, book)

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

    outcomes = _run_parallel(10, deliver)

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

    outcomes = _run_parallel(20, book)

    assert outcomes.count(BookingStatus.HELD) == 3
    assert outcomes.count("sold_out") == 17
    with factory() as session:
        reserved = sorted((row.day, row.reserved) for row in session.scalars(select(RoomNight)))
    middle = DAY + dt.timedelta(days=1)
    assert dict(reserved)[middle] == 3
    assert all(0 <= count <= 3 for _, count in reserved)
