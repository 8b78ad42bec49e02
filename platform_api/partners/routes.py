"""Partner docking routes (``X-Partner-Key``) and the live-data view (service token).

* ``PUT /api/partners/venues/{venue_id}/slots/{date}`` — the day's slots, capacity and prices
  (``{"slots": [{"start", "end", "capacity", "prices": [{"category", "amount_fen"}]}]}``).
* ``PUT /api/partners/venues/{venue_id}/refund-rule`` — ``{"full_refund_hours_before",
  "late_refund_percent"}``.
* ``PUT /api/partners/venues/{venue_id}/visitors`` — ``{"count", "capacity"?, "observed_at"?}``.
* ``PUT /api/partners/venues/{venue_id}/weather`` — ``{"condition", "temperature_c", ...}``.
* ``PUT /api/partners/hotels/{hotel_id}`` — profile and room types;
  ``PUT /api/partners/hotels/{hotel_id}/inventory`` — ``{"nights": [{"date", "room_type",
  "rooms", "price_fen"}]}``.
* ``GET /api/partners/venues/{venue_id}/bookings?date=`` — the day's confirmed bookings with full
  names and document numbers, for the venue's own real-name check at the gate.
* ``GET /api/venues/{venue_id}/live`` (service token) — :func:`latest_venue_data`.

A key writes only the venues it is configured for (401 unknown key, 403 another venue's).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from platform_api.api.deps import CurrentBot, SessionDep
from platform_api.bookings.deps import NowDep
from platform_api.bookings.errors import StructuredErrorRoute
from platform_api.bookings.models import Booking, BookingStatus
from platform_api.partners import service
from platform_api.partners.auth import HotelPartner, VenuePartner
from platform_api.partners.catalog import VENUE_ID_PATTERN
from platform_api.partners.live import latest_venue_data
from platform_api.partners.models import LiveReading, TimeSlot, Venue
from platform_api.partners.schemas import (
    HotelPut,
    InventoryPut,
    RefundRulePut,
    SlotsPut,
    VisitorsPut,
    WeatherPut,
)

router = APIRouter(tags=["partners"], route_class=StructuredErrorRoute)
VenuePath = Annotated[str, Path(pattern=VENUE_ID_PATTERN)]


def _reading(reading: LiveReading, stored: bool) -> dict[str, Any]:
    return {
        "venue_id": reading.venue_id,
        "kind": reading.kind,
        "stored": stored,
        "observed_at": reading.observed_at.isoformat(),
        "data": reading.data,
    }


@router.put("/api/partners/venues/{venue_id}/slots/{date}", dependencies=[VenuePartner])
def put_slots(
    session: SessionDep,
    now: NowDep,
    venue_id: VenuePath,
    date: dt.date,
    body: SlotsPut,
) -> dict[str, Any]:
    """Replace the day's slots (slots left out close; places already sold stay valid)."""
    slots = service.put_slots(session, venue_id, date, body, now)
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
                "prices": [{"category": c, "amount_fen": int(a)} for c, a in slot.prices.items()],
                "source": slot.source,
            }
            for slot in slots
        ],
    }


@router.put("/api/partners/venues/{venue_id}/refund-rule", dependencies=[VenuePartner])
def put_refund_rule(
    session: SessionDep,
    now: NowDep,
    venue_id: VenuePath,
    body: RefundRulePut,
) -> dict[str, Any]:
    """Full refund until N hours before the visit, a percentage after (hotels: before check-in)."""
    venue = session.get(Venue, venue_id) or service.attraction_venue(session, venue_id, now)
    service.put_refund_rule(session, venue, body, now)
    return {
        "venue_id": venue_id,
        "full_refund_hours_before": venue.refund_cutoff_hours,
        "late_refund_percent": venue.refund_late_percent,
    }


@router.put("/api/partners/venues/{venue_id}/visitors", dependencies=[VenuePartner])
def put_visitors(
    session: SessionDep,
    now: NowDep,
    venue_id: VenuePath,
    body: VisitorsPut,
) -> dict[str, Any]:
    """The current visitor count; a reading older than the stored one is ignored (``stored``)."""
    return _reading(*service.put_visitors(session, venue_id, body, now))


@router.put("/api/partners/venues/{venue_id}/weather", dependencies=[VenuePartner])
def put_weather(
    session: SessionDep,
    now: NowDep,
    venue_id: VenuePath,
    body: WeatherPut,
) -> dict[str, Any]:
    """Current weather at the venue; an older reading than the stored one is ignored."""
    return _reading(*service.put_weather(session, venue_id, body, now))


@router.put("/api/partners/hotels/{hotel_id}", dependencies=[HotelPartner])
def put_hotel(
    session: SessionDep,
    now: NowDep,
    hotel_id: VenuePath,
    body: HotelPut,
) -> dict[str, Any]:
    """Create or update a hotel (name, city, nearby attractions, room types)."""
    hotel = service.put_hotel(session, hotel_id, body, now)
    return {"hotel_id": hotel.id, "name": hotel.name, "city": hotel.city}


@router.put("/api/partners/hotels/{hotel_id}/inventory", dependencies=[HotelPartner])
def put_inventory(
    session: SessionDep,
    now: NowDep,
    hotel_id: VenuePath,
    body: InventoryPut,
) -> dict[str, Any]:
    """Rooms and nightly prices per room type and night."""
    return {"hotel_id": hotel_id, "nights": service.put_inventory(session, hotel_id, body, now)}


@router.get("/api/partners/venues/{venue_id}/bookings", dependencies=[VenuePartner])
def venue_bookings(
    session: SessionDep,
    venue_id: VenuePath,
    date: dt.date,
) -> dict[str, Any]:
    """Confirmed ticket bookings of one day, unmasked: only the venue's own key may read them."""
    rows = session.execute(
        select(Booking, TimeSlot)
        .join(TimeSlot, Booking.slot_id == TimeSlot.id)
        .where(
            Booking.venue_id == venue_id,
            TimeSlot.day == date,
            Booking.status == BookingStatus.CONFIRMED,
        )
        .order_by(TimeSlot.start, Booking.id)
    ).all()
    return {
        "venue_id": venue_id,
        "date": date.isoformat(),
        "bookings": [
            {
                "reference": booking.reference,
                "start": slot.start,
                "end": slot.end,
                "phone": booking.phone,
                "tickets": [
                    {
                        "category": v.category,
                        "name": v.name,
                        "id_type": v.id_type,
                        "id_number": v.id_number,
                    }
                    for v in booking.visitors
                ],
            }
            for booking, slot in rows
        ],
    }


@router.get("/api/venues/{venue_id}/live", dependencies=[CurrentBot])
def live(
    session: SessionDep,
    now: NowDep,
    venue_id: VenuePath,
    date: Annotated[dt.date | None, Query(description="slots of this day (default today)")] = None,
) -> dict[str, Any]:
    """Freshest slots, prices, crowd and weather with their age and ``stale`` flag."""
    return latest_venue_data(session, venue_id, now, date)
