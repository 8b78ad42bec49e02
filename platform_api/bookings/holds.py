"""Holding places: ticket and hotel booking requests become ``held`` bookings, atomically.

Validation first (slot or room type, categories, real-name documents, phone), then one write
transaction: the conditional inventory UPDATE, the booking, its visitors and the provider's order.
The same ``Idempotency-Key`` with the same body answers the first booking again; with another
body it is refused (409 ``idempotency_key_reused``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from common.logsafe import event
from platform_api.bookings import inventory
from platform_api.bookings.errors import ApiError
from platform_api.bookings.identity import normalise_document
from platform_api.bookings.localtime import CHECK_IN_TIME, LOCAL_TZ, local_moment, local_today
from platform_api.bookings.models import Booking, BookingKind, BookingStatus, BookingVisitor
from platform_api.bookings.schemas import HotelBookingIn, TicketBookingIn, VisitorIn
from platform_api.bookings.service import BookingContext, expire_due, phone_or_422, refresh_status
from platform_api.partners.models import RoomNight, RoomType, TimeSlot, Venue

logger = logging.getLogger("platform_api.bookings")
_REFERENCE_ATTEMPTS = 5


def new_reference(prefix: str, now: dt.datetime) -> str:
    """``BK-YYYYMMDD-NNNNNNNN``: the China date and 8 random digits (not guessable, not a count)."""
    return f"{prefix}-{now.astimezone(LOCAL_TZ):%Y%m%d}-{secrets.randbelow(10**8):08d}"


def request_hash(body: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a request body (idempotency check)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_SQLITE_WRITERS: dict[str, threading.Lock] = {}
_SQLITE_WRITERS_GUARD = threading.Lock()


def writer_turn(session: Session) -> AbstractContextManager[Any]:
    """On SQLite, one booking write transaction at a time in this process; elsewhere nothing.

    SQLite has one writer anyway; queueing on a lock here instead of in SQLite's busy handler
    (which sleeps up to 100 ms between retries) keeps tail latency low under parallel holds.
    Correctness does not depend on it: the conditional UPDATE is atomic on its own.
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return nullcontext()
    key = str(bind.engine.url)
    with _SQLITE_WRITERS_GUARD:
        lock = _SQLITE_WRITERS.setdefault(key, threading.Lock())
    return lock


def _visitors(visitors: list[VisitorIn], label: str) -> list[tuple[str, str, str]]:
    """(name, id_type, normalised number) per visitor; 422 naming the first bad one."""
    seen: set[tuple[str, str]] = set()
    result: list[tuple[str, str, str]] = []
    for index, visitor in enumerate(visitors):
        try:
            number = normalise_document(visitor.id_type, visitor.id_number)
        except ValueError as error:
            raise ApiError(422, "invalid_id_number", f"{label}[{index}]: {error}") from None
        if (visitor.id_type, number) in seen:
            raise ApiError(
                422, "duplicate_visitor", f"{label}[{index}]: one document, one place per booking"
            )
        seen.add((visitor.id_type, number))
        result.append((visitor.name, visitor.id_type, number))
    return result


def _existing_for_key(
    session: Session, key: str | None, digest: str, kind: BookingKind
) -> Booking | None:
    """The booking already made with ``key`` (same body), None if none; 409 for another body."""
    if not key:
        return None
    booking = session.scalar(select(Booking).where(Booking.idempotency_key == key))
    if booking is None:
        return None
    if booking.request_hash != digest or booking.kind != kind:
        raise ApiError(
            409,
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different booking request",
        )
    return booking


def _insert_booking(
    session: Session,
    ctx: BookingContext,
    *,
    booking: Booking,
    visitors: list[BookingVisitor],
    prefix: str,
    description: str,
    now: dt.datetime,
    reserve: Any,
) -> Booking | None:
    """Reserve places and insert the booking with a fresh reference, in one transaction.

    ``reserve`` is a no-argument callable doing the conditional UPDATE (False → 409 sold_out).
    Returns None when another request with the same idempotency key won the race.
    """
    for attempt in range(1, _REFERENCE_ATTEMPTS + 1):
        try:
            with writer_turn(session):
                if not reserve():
                    session.rollback()
                    raise ApiError(409, "sold_out", "not enough places remain for this request")
                booking.reference = new_reference(prefix, now)
                booking.visitors = visitors
                session.add(booking)
                ctx.provider.create_order(
                    session,
                    reference=booking.reference,
                    amount_fen=booking.amount_fen,
                    description=description,
                    time_expire=booking.expires_at,
                )
                session.commit()
        except OperationalError:  # deadlock (PostgreSQL) or lock timeout (SQLite): try again
            session.rollback()
            if attempt == _REFERENCE_ATTEMPTS:
                raise ApiError(503, "busy", "bookings are busy; try again shortly") from None
            session.expunge_all()
            continue
        except IntegrityError:
            session.rollback()
            if booking.idempotency_key and session.scalar(
                select(Booking.id).where(Booking.idempotency_key == booking.idempotency_key)
            ):
                return None
            if attempt == _REFERENCE_ATTEMPTS:
                raise
            session.expunge_all()
            continue
        logger.info(
            event(
                "booking.held",
                reference=booking.reference,
                kind=booking.kind.value,
                venue=booking.venue_id,
                places=booking.quantity,
                amount_fen=booking.amount_fen,
            )
        )
        return booking
    raise AssertionError("unreachable")  # pragma: no cover


def create_ticket_booking(
    session: Session,
    ctx: BookingContext,
    body: TicketBookingIn,
    *,
    idempotency_key: str | None,
    now: dt.datetime,
) -> Booking:
    """Hold places of a slot for real-name visitors; the booking waits for payment until expiry.

    Errors (ApiError): 404 ``unknown_slot``; 409 ``slot_closed``, ``sold_out``,
    ``idempotency_key_reused``; 422 ``slot_over``, ``too_many_tickets``, ``category_unavailable``,
    ``invalid_id_number``, ``duplicate_visitor``, ``invalid_phone``.
    """
    digest = request_hash(body.model_dump(mode="json"))
    existing = _existing_for_key(session, idempotency_key, digest, BookingKind.TICKET)
    if existing is not None:
        return refresh_status(session, ctx, existing, now)
    if len(body.tickets) > ctx.settings.max_tickets:
        raise ApiError(
            422, "too_many_tickets", f"at most {ctx.settings.max_tickets} tickets per booking"
        )
    slot = session.get(TimeSlot, body.slot_id)
    if slot is None or slot.venue_id != body.venue_id:
        raise ApiError(404, "unknown_slot", "no such slot for this venue")
    if not slot.is_open:
        raise ApiError(409, "slot_closed", "the venue no longer offers this slot")
    if local_moment(slot.day, slot.end) <= now:
        raise ApiError(422, "slot_over", "this slot is already over")
    amounts = []
    for index, ticket in enumerate(body.tickets):
        if ticket.category not in slot.prices:
            raise ApiError(
                422,
                "category_unavailable",
                f"tickets[{index}]: the venue sells no {ticket.category} ticket for this slot",
            )
        amounts.append(int(slot.prices[ticket.category]))
    people = _visitors([ticket.visitor for ticket in body.tickets], "tickets")
    phone = phone_or_422(body.phone)
    venue = session.get(Venue, slot.venue_id)
    expire_due(session, ctx, now, slot_id=slot.id)
    places = len(body.tickets)
    booking = Booking(
        kind=BookingKind.TICKET,
        venue_id=slot.venue_id,
        slot_id=slot.id,
        quantity=places,
        status=BookingStatus.HELD,
        amount_fen=sum(amounts),
        refund_fen=0,
        visit_start=local_moment(slot.day, slot.start),
        phone=phone,
        language=body.language,
        channel=body.channel,
        user_id=body.user_id,
        idempotency_key=idempotency_key,
        request_hash=digest,
        created_at=now,
        updated_at=now,
        expires_at=now + dt.timedelta(minutes=ctx.settings.hold_minutes),
    )
    visitors = [
        BookingVisitor(category=t.category, amount_fen=a, name=n, id_type=k, id_number=d)
        for t, a, (n, k, d) in zip(body.tickets, amounts, people, strict=True)
    ]
    description = f"{venue.name if venue else slot.venue_id} {slot.day} {slot.start}-{slot.end}"
    slot_id = slot.id
    created = _insert_booking(
        session,
        ctx,
        booking=booking,
        visitors=visitors,
        prefix="BK",
        description=description,
        now=now,
        reserve=lambda: inventory.reserve_slot(session, slot_id, places),
    )
    if created is None:  # the same key won concurrently
        winner = _existing_for_key(session, idempotency_key, digest, BookingKind.TICKET)
        assert winner is not None
        return winner
    return created


def create_hotel_booking(
    session: Session,
    ctx: BookingContext,
    body: HotelBookingIn,
    *,
    idempotency_key: str | None,
    now: dt.datetime,
) -> Booking:
    """Hold rooms of one type for every night of a stay (all nights or nothing).

    Errors as :func:`create_ticket_booking`, plus 404 ``unknown_hotel`` / ``unknown_room_type``,
    422 ``bad_dates`` and ``too_many_guests``.
    """
    digest = request_hash(body.model_dump(mode="json"))
    existing = _existing_for_key(session, idempotency_key, digest, BookingKind.HOTEL)
    if existing is not None:
        return refresh_status(session, ctx, existing, now)
    nights = (body.check_out - body.check_in).days
    if nights < 1 or nights > 30:
        raise ApiError(422, "bad_dates", "check_out must be 1 to 30 nights after check_in")
    if body.check_in < local_today(now):
        raise ApiError(422, "bad_dates", "check_in is in the past")
    if len(body.guests) > ctx.settings.max_tickets:
        raise ApiError(
            422, "too_many_guests", f"at most {ctx.settings.max_tickets} guests per booking"
        )
    venue = session.get(Venue, body.hotel_id)
    if venue is None or venue.kind != "hotel":
        raise ApiError(404, "unknown_hotel", "no such hotel")
    room = session.scalar(
        select(RoomType).where(RoomType.hotel_id == venue.id, RoomType.code == body.room_type)
    )
    if room is None:
        raise ApiError(404, "unknown_room_type", "no such room type at this hotel")
    if len(body.guests) > room.max_guests * body.rooms:
        raise ApiError(
            422,
            "too_many_guests",
            f"{body.rooms} room(s) of this type sleep {room.max_guests * body.rooms}",
        )
    rows = list(
        session.scalars(
            select(RoomNight).where(
                RoomNight.room_type_id == room.id,
                RoomNight.day >= body.check_in,
                RoomNight.day < body.check_out,
            )
        )
    )
    if len(rows) != nights:
        raise ApiError(409, "sold_out", "the hotel offers no rooms of this type for some nights")
    people = _visitors(body.guests, "guests")
    phone = phone_or_422(body.phone)
    expire_due(session, ctx, now, room_type_id=room.id)
    booking = Booking(
        kind=BookingKind.HOTEL,
        venue_id=venue.id,
        room_type_id=room.id,
        check_in=body.check_in,
        check_out=body.check_out,
        quantity=body.rooms,
        status=BookingStatus.HELD,
        amount_fen=sum(row.price_fen for row in rows) * body.rooms,
        refund_fen=0,
        visit_start=local_moment(body.check_in, CHECK_IN_TIME),
        phone=phone,
        language=body.language,
        channel=body.channel,
        user_id=body.user_id,
        idempotency_key=idempotency_key,
        request_hash=digest,
        created_at=now,
        updated_at=now,
        expires_at=now + dt.timedelta(minutes=ctx.settings.hold_minutes),
    )
    visitors = [
        BookingVisitor(category="guest", amount_fen=0, name=n, id_type=k, id_number=d)
        for n, k, d in people
    ]
    room_id, check_in, check_out, rooms = room.id, body.check_in, body.check_out, body.rooms
    created = _insert_booking(
        session,
        ctx,
        booking=booking,
        visitors=visitors,
        prefix="HB",
        description=f"{venue.name} {room.name} {check_in}-{check_out}",
        now=now,
        reserve=lambda: inventory.reserve_nights(session, room_id, check_in, check_out, rooms),
    )
    if created is None:
        winner = _existing_for_key(session, idempotency_key, digest, BookingKind.HOTEL)
        assert winner is not None
        return winner
    return created
