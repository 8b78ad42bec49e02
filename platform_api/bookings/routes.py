"""Booking routes (service token): tickets, hotels, lookup by reference or phone, cancellation.

* ``POST /api/bookings`` (``Idempotency-Key`` header) → 201 ``{"reference", "status": "held",
  "amount_fen", "pay_url", "expires_at"}``; 409 ``sold_out`` / ``slot_closed`` /
  ``idempotency_key_reused``; 404 ``unknown_slot``; 422 ``invalid_id_number``, ``invalid_phone``,
  ``duplicate_visitor``, ``category_unavailable``, ``slot_over``, ``validation_error``.
  The same key with the same body answers the same booking again and holds nothing more.
* ``GET /api/bookings/{reference}`` → the booking (masked ID numbers and phone), with
  ``cancel_refund_fen``: what a cancellation now would refund (to state before confirming).
* ``POST /api/bookings/{reference}/cancel`` → the booking with ``status: cancelled`` and
  ``refund_fen``; repeating it changes nothing; an expired booking is 409 ``not_cancellable``.
* ``GET /api/bookings?phone=...`` → ``{"bookings": [...], "count"}`` (newest first).
* ``GET /api/venues/{venue_id}/slots?date=YYYY-MM-DD`` (public, rate-limited for callers without
  a token) → ``{"slots": [{"slot_id", "start", "end", "capacity", "remaining", "prices"}]}``.
* ``GET /api/hotels?city=&near=&check_in=&check_out=&guests=&rooms=`` → hotels with room types
  free for every night, and their prices; ``POST /api/hotel-bookings`` (as tickets, ``HB-``
  references), ``GET /api/hotel-bookings/{reference}``, ``POST .../cancel``.

Hold expiry: ``PLATFORM_BOOKING_HOLD_MINUTES`` (15). Amounts are fen. Dates are China time.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, status
from sqlalchemy import select

from platform_api.api.deps import CurrentBot, SessionDep
from platform_api.bookings import holds, service
from platform_api.bookings.deps import ContextDep, NowDep
from platform_api.bookings.errors import ApiError, StructuredErrorRoute
from platform_api.bookings.models import Booking, BookingKind
from platform_api.bookings.schemas import (
    REFERENCE_PATTERN,
    BookingCreated,
    BookingPublic,
    BookingsPublic,
    HotelBookingIn,
    TicketBookingIn,
)
from platform_api.bookings.sweeper import sweeper_lifespan
from platform_api.bookings.views import booking_public
from platform_api.core.ratelimit import check_public_rate_limit
from platform_api.partners.catalog import VENUE_ID_PATTERN
from platform_api.partners.models import RoomNight, RoomType, TimeSlot, Venue

router = APIRouter(tags=["bookings"], route_class=StructuredErrorRoute, lifespan=sweeper_lifespan)

ReferencePath = Annotated[str, Path(pattern=REFERENCE_PATTERN, max_length=32)]
VenuePath = Annotated[str, Path(pattern=VENUE_ID_PATTERN)]
IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=128)
]


def _created(ctx: service.BookingContext, booking: Booking) -> BookingCreated:
    return BookingCreated(
        reference=booking.reference,
        status=booking.status.value,
        amount_fen=booking.amount_fen,
        pay_url=ctx.provider.pay_url(booking.reference) if booking.status.value == "held" else None,
        expires_at=booking.expires_at,
    )


@router.post(
    "/api/bookings",
    status_code=status.HTTP_201_CREATED,
    response_model=BookingCreated,
    dependencies=[CurrentBot],
)
def create_booking(
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    body: TicketBookingIn,
    idempotency_key: IdempotencyKey = None,
) -> BookingCreated:
    """Hold tickets of one time slot for real-name visitors; pay at ``pay_url`` before
    ``expires_at`` or the places go back."""
    booking = holds.create_ticket_booking(
        session, ctx, body, idempotency_key=idempotency_key, now=now
    )
    return _created(ctx, booking)


@router.get("/api/bookings", response_model=BookingsPublic, dependencies=[CurrentBot])
def list_bookings(
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    phone: Annotated[str, Query(min_length=3, max_length=32)],
) -> BookingsPublic:
    """A phone's ticket and hotel bookings, newest first (ID numbers and phone masked)."""
    rows = service.list_by_phone(session, ctx, phone, now)
    return BookingsPublic(
        bookings=[booking_public(session, ctx, row, now) for row in rows], count=len(rows)
    )


def _kind_check(booking: Booking, kind: BookingKind) -> Booking:
    if booking.kind != kind:
        raise ApiError(404, "unknown_booking", "no booking with this reference")
    return booking


@router.get("/api/bookings/{reference}", response_model=BookingPublic, dependencies=[CurrentBot])
def get_booking(
    session: SessionDep, ctx: ContextDep, now: NowDep, reference: ReferencePath
) -> BookingPublic:
    """One booking by reference (ticket or hotel)."""
    booking = service.get_booking(session, ctx, reference, now)
    return booking_public(session, ctx, booking, now)


@router.post(
    "/api/bookings/{reference}/cancel", response_model=BookingPublic, dependencies=[CurrentBot]
)
def cancel_booking(
    session: SessionDep, ctx: ContextDep, now: NowDep, reference: ReferencePath
) -> BookingPublic:
    """Cancel: places go back; ``refund_fen`` follows the venue's refund rule."""
    booking = service.cancel_booking(session, ctx, reference, now)
    return booking_public(session, ctx, booking, now)


@router.get("/api/venues/{venue_id}/slots", dependencies=[Depends(check_public_rate_limit)])
def list_slots(
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    venue_id: VenuePath,
    date: Annotated[dt.date, Query(description="YYYY-MM-DD, China time")],
) -> dict[str, Any]:
    """A day's open slots with remaining places and prices (fen); ``source`` says whether the
    partner or the sandbox demo pushed them."""
    slot_ids = list(
        session.scalars(
            select(TimeSlot.id).where(TimeSlot.venue_id == venue_id, TimeSlot.day == date)
        )
    )
    for slot_id in slot_ids:
        service.expire_due(session, ctx, now, slot_id=slot_id)
    slots = session.scalars(
        select(TimeSlot)
        .where(TimeSlot.venue_id == venue_id, TimeSlot.day == date, TimeSlot.is_open.is_(True))
        .order_by(TimeSlot.start)
        .execution_options(populate_existing=True)
    )
    return {
        "venue_id": venue_id,
        "date": date.isoformat(),
        "slots": [
            {
                "slot_id": slot.id,
                "start": slot.start,
                "end": slot.end,
                "capacity": slot.capacity,
                "remaining": slot.remaining,
                "prices": [
                    {"category": category, "amount_fen": int(amount)}
                    for category, amount in slot.prices.items()
                ],
                "source": slot.source,
                "updated_at": slot.updated_at.isoformat(),
            }
            for slot in slots
        ],
    }


# -- hotels ----------------------------------------------------------------------------------------


@router.get("/api/hotels", dependencies=[Depends(check_public_rate_limit)])
def search_hotels(
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    check_in: dt.date,
    check_out: dt.date,
    city: Annotated[str | None, Query(max_length=100)] = None,
    near: Annotated[str | None, Query(pattern=VENUE_ID_PATTERN)] = None,
    guests: Annotated[int, Query(ge=1, le=100)] = 1,
    rooms: Annotated[int, Query(ge=1, le=20)] = 1,
) -> dict[str, Any]:
    """Hotels in ``city`` (case-insensitive) or near the attraction ``near`` (knowledge-base id)
    with a room type free for every night of the stay for ``guests`` in ``rooms`` rooms.

    Each hotel lists its bookable room types with ``nightly_fen`` and ``total_fen`` (all rooms,
    all nights) and ``available_rooms`` (the smallest number free on any night).
    """
    if not city and not near:
        raise ApiError(422, "missing_filter", "give city or near")
    nights = (check_out - check_in).days
    if nights < 1 or nights > 30:
        raise ApiError(422, "bad_dates", "check_out must be 1 to 30 nights after check_in")
    query = select(Venue).where(Venue.kind == "hotel").order_by(Venue.name)
    hotels = [
        hotel
        for hotel in session.scalars(query)
        if (not city or city.strip().lower() == hotel.city.lower())
        and (not near or near in hotel.near.split(","))
    ]
    result = []
    for hotel in hotels:
        room_types = []
        for room in session.scalars(select(RoomType).where(RoomType.hotel_id == hotel.id)):
            if room.max_guests * rooms < guests:
                continue
            service.expire_due(session, ctx, now, room_type_id=room.id)
            rows = list(
                session.scalars(
                    select(RoomNight)
                    .where(
                        RoomNight.room_type_id == room.id,
                        RoomNight.day >= check_in,
                        RoomNight.day < check_out,
                    )
                    .order_by(RoomNight.day)
                    .execution_options(populate_existing=True)
                )
            )
            if len(rows) != nights or min(row.remaining for row in rows) < rooms:
                continue
            room_types.append(
                {
                    "code": room.code,
                    "name": room.name,
                    "max_guests": room.max_guests,
                    "available_rooms": min(row.remaining for row in rows),
                    "nightly_fen": [row.price_fen for row in rows],
                    "total_fen": sum(row.price_fen for row in rows) * rooms,
                    "source": rows[0].source,
                }
            )
        if room_types:
            result.append(
                {
                    "hotel_id": hotel.id,
                    "name": hotel.name,
                    "city": hotel.city,
                    "near": [item for item in hotel.near.split(",") if item],
                    "source": hotel.source,
                    "room_types": room_types,
                }
            )
    return {"check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "hotels": result}


@router.post(
    "/api/hotel-bookings",
    status_code=status.HTTP_201_CREATED,
    response_model=BookingCreated,
    dependencies=[CurrentBot],
)
def create_hotel_booking(
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    body: HotelBookingIn,
    idempotency_key: IdempotencyKey = None,
) -> BookingCreated:
    """Hold rooms for a stay (``HB-`` reference); pay and cancel as ticket bookings."""
    booking = holds.create_hotel_booking(
        session, ctx, body, idempotency_key=idempotency_key, now=now
    )
    return _created(ctx, booking)


@router.get(
    "/api/hotel-bookings/{reference}", response_model=BookingPublic, dependencies=[CurrentBot]
)
def get_hotel_booking(
    session: SessionDep, ctx: ContextDep, now: NowDep, reference: ReferencePath
) -> BookingPublic:
    """One hotel booking."""
    booking = _kind_check(service.get_booking(session, ctx, reference, now), BookingKind.HOTEL)
    return booking_public(session, ctx, booking, now)


@router.post(
    "/api/hotel-bookings/{reference}/cancel",
    response_model=BookingPublic,
    dependencies=[CurrentBot],
)
def cancel_hotel_booking(
    session: SessionDep, ctx: ContextDep, now: NowDep, reference: ReferencePath
) -> BookingPublic:
    """Cancel a hotel booking (the hotel's refund rule, counted from check-in at 14:00)."""
    _kind_check(service.get_booking(session, ctx, reference, now), BookingKind.HOTEL)
    booking = service.cancel_booking(session, ctx, reference, now)
    return booking_public(session, ctx, booking, now)
