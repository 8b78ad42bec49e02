"""Writes from partners: venue rows, a day's slots, refund rules, hotels, room nights, readings.

Callers check the partner key first (:mod:`platform_api.partners.auth`); these functions commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_api.bookings.errors import ApiError
from platform_api.bookings.localtime import local_today
from platform_api.partners.catalog import entry_info
from platform_api.partners.models import LiveReading, RoomNight, RoomType, TimeSlot, Venue
from platform_api.partners.schemas import (
    HotelPut,
    InventoryPut,
    RefundRulePut,
    SlotsPut,
    VisitorsPut,
    WeatherPut,
)

MAX_DAYS_AHEAD = 366
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def attraction_venue(session: Session, venue_id: str, now: dt.datetime) -> Venue:
    """The venue row of a knowledge-base attraction, created on first use; 404 if no such entry."""
    venue = session.get(Venue, venue_id)
    if venue is not None:
        if venue.kind != "attraction":
            raise ApiError(404, "unknown_venue", f"{venue_id!r} is a hotel, not an attraction")
        return venue
    info = entry_info(venue_id)
    if info is None:
        raise ApiError(404, "unknown_venue", f"no knowledge-base attraction with id {venue_id!r}")
    venue = Venue(id=venue_id, kind="attraction", name=info.name, city=info.city, updated_at=now)
    session.add(venue)
    try:
        session.commit()
    except IntegrityError:  # created concurrently by another push
        session.rollback()
        existing = session.get(Venue, venue_id)
        if existing is None:  # pragma: no cover - the row must exist after the conflict
            raise
        return existing
    return venue


def check_push_date(day: dt.date, now: dt.datetime) -> None:
    """Partners push today and future days (up to a year), not the past."""
    today = local_today(now)
    if day < today:
        raise ApiError(422, "date_in_past", "slots can be pushed for today and later days only")
    if day > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ApiError(422, "date_too_far", "slots can be pushed for the next 366 days only")


def put_slots(
    session: Session, venue_id: str, day: dt.date, body: SlotsPut, now: dt.datetime
) -> list[TimeSlot]:
    """Replace ``day``'s slots: listed ones are created or updated (capacity, end, prices), the
    others close. Places already held or sold stay counted (``reserved`` is never reset)."""
    check_push_date(day, now)
    attraction_venue(session, venue_id, now)
    existing = {
        slot.start: slot
        for slot in session.scalars(
            select(TimeSlot).where(TimeSlot.venue_id == venue_id, TimeSlot.day == day)
        )
    }
    pushed = {slot.start for slot in body.slots}
    for slot_in in body.slots:
        prices: dict[str, Any] = {price.category: price.amount_fen for price in slot_in.prices}
        slot = existing.get(slot_in.start)
        if slot is None:
            session.add(
                TimeSlot(
                    venue_id=venue_id,
                    day=day,
                    start=slot_in.start,
                    end=slot_in.end,
                    capacity=slot_in.capacity,
                    reserved=0,
                    prices=prices,
                    is_open=True,
                    source=body.source,
                    updated_at=now,
                )
            )
        else:
            slot.end, slot.capacity, slot.prices = slot_in.end, slot_in.capacity, prices
            slot.is_open, slot.source, slot.updated_at = True, body.source, now
    for start, slot in existing.items():
        if start not in pushed:
            slot.is_open, slot.updated_at = False, now
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ApiError(
            409, "concurrent_update", "another push for this day ran at the same time; retry"
        ) from None
    return list(
        session.scalars(
            select(TimeSlot)
            .where(TimeSlot.venue_id == venue_id, TimeSlot.day == day, TimeSlot.is_open.is_(True))
            .order_by(TimeSlot.start)
            .execution_options(populate_existing=True)
        )
    )


def put_refund_rule(session: Session, venue: Venue, body: RefundRulePut, now: dt.datetime) -> Venue:
    """Set the venue's (or hotel's) refund rule."""
    venue.refund_cutoff_hours = body.full_refund_hours_before
    venue.refund_late_percent = body.late_refund_percent
    venue.updated_at = now
    session.commit()
    return venue


def _observed(value: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if value > now + FUTURE_TOLERANCE:
        raise ApiError(422, "observed_in_future", "observed_at is in the future")
    return value


def put_reading(
    session: Session,
    venue_id: str,
    kind: str,
    data: dict[str, Any],
    observed_at: dt.datetime | None,
    source: str,
    now: dt.datetime,
) -> tuple[LiveReading, bool]:
    """Keep the newest reading of ``kind``; an older one arriving late is ignored.

    Returns the stored reading and whether this push replaced it.
    """
    observed = _observed(observed_at, now)
    reading = session.get(LiveReading, (venue_id, kind))
    if reading is not None and reading.observed_at > observed:
        return reading, False
    if reading is None:
        reading = LiveReading(venue_id=venue_id, kind=kind)
        session.add(reading)
    reading.data, reading.observed_at, reading.received_at, reading.source = (
        data,
        observed,
        now,
        source,
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ApiError(
            409, "concurrent_update", "another push ran at the same time; retry"
        ) from None
    return reading, True


def put_visitors(
    session: Session, venue_id: str, body: VisitorsPut, now: dt.datetime
) -> tuple[LiveReading, bool]:
    """Store a visitor count (crowd reading)."""
    attraction_venue(session, venue_id, now)
    data = {"visitors": body.count, "capacity": body.capacity}
    return put_reading(session, venue_id, "crowd", data, body.observed_at, body.source, now)


def put_weather(
    session: Session, venue_id: str, body: WeatherPut, now: dt.datetime
) -> tuple[LiveReading, bool]:
    """Store current weather conditions."""
    attraction_venue(session, venue_id, now)
    data = body.model_dump(exclude={"observed_at", "source"})
    return put_reading(session, venue_id, "weather", data, body.observed_at, body.source, now)


def put_hotel(session: Session, hotel_id: str, body: HotelPut, now: dt.datetime) -> Venue:
    """Create or update a hotel and its room types (room types are never deleted: bookings use them)."""
    venue = session.get(Venue, hotel_id)
    if venue is not None and venue.kind != "hotel":
        raise ApiError(409, "not_a_hotel", f"{hotel_id!r} is an attraction")
    if entry_info(hotel_id) is not None and venue is None:
        raise ApiError(409, "not_a_hotel", f"{hotel_id!r} is a knowledge-base attraction id")
    if venue is None:
        venue = Venue(id=hotel_id, kind="hotel")
        session.add(venue)
    venue.name, venue.city, venue.near = body.name, body.city, ",".join(body.near)
    venue.source, venue.updated_at = body.source, now
    existing = {
        room.code: room
        for room in session.scalars(select(RoomType).where(RoomType.hotel_id == hotel_id))
    }
    for room_in in body.room_types:
        room = existing.get(room_in.code)
        if room is None:
            session.add(
                RoomType(
                    hotel_id=hotel_id,
                    code=room_in.code,
                    name=room_in.name,
                    max_guests=room_in.max_guests,
                )
            )
        else:
            room.name, room.max_guests = room_in.name, room_in.max_guests
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ApiError(
            409, "concurrent_update", "another push ran at the same time; retry"
        ) from None
    return venue


def put_inventory(session: Session, hotel_id: str, body: InventoryPut, now: dt.datetime) -> int:
    """Create or update room nights (rooms and price; booked rooms stay counted). Returns the count."""
    venue = session.get(Venue, hotel_id)
    if venue is None or venue.kind != "hotel":
        raise ApiError(
            404,
            "unknown_hotel",
            "push the hotel profile first (PUT /api/partners/hotels/{hotel_id})",
        )
    room_types = {
        room.code: room
        for room in session.scalars(select(RoomType).where(RoomType.hotel_id == hotel_id))
    }
    for night in body.nights:
        if night.room_type not in room_types:
            raise ApiError(
                422, "unknown_room_type", f"no room type {night.room_type!r} for this hotel"
            )
        check_push_date(night.date, now)
    for night in body.nights:
        room = room_types[night.room_type]
        row = session.scalar(
            select(RoomNight).where(RoomNight.room_type_id == room.id, RoomNight.day == night.date)
        )
        if row is None:
            session.add(
                RoomNight(
                    room_type_id=room.id,
                    day=night.date,
                    rooms=night.rooms,
                    reserved=0,
                    price_fen=night.price_fen,
                    source=body.source,
                    updated_at=now,
                )
            )
        else:
            row.rooms, row.price_fen, row.source, row.updated_at = (
                night.rooms,
                night.price_fen,
                body.source,
                now,
            )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ApiError(
            409, "concurrent_update", "another push ran at the same time; retry"
        ) from None
    return len(body.nights)
