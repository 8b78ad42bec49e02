"""The freshest partner data about a venue, with its age and whether it is stale.

Knowledge answers call :func:`latest_venue_data` to prefer a venue's fresh partner data over the
curated facts (and to say which they used); ``GET /api/venues/{venue_id}/live`` serves the same
dictionary to the action server (``ask_crowd``, ``ask_weather``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.bookings.localtime import local_today
from platform_api.partners.models import SOURCE_DEMO, LiveReading, TimeSlot, Venue

STALE_AFTER: dict[str, dt.timedelta] = {
    "crowd": dt.timedelta(minutes=15),
    "weather": dt.timedelta(hours=3),
    "slots": dt.timedelta(hours=24),
}
"""How old each kind of data may be before it is reported as stale."""


def _freshness(
    kind: str, observed_at: dt.datetime, now: dt.datetime, source: str
) -> dict[str, Any]:
    age = max((now - observed_at).total_seconds(), 0.0)
    return {
        "observed_at": observed_at.isoformat(),
        "age_seconds": int(age),
        "stale": age > STALE_AFTER[kind].total_seconds(),
        "source": source,
        "demo": source == SOURCE_DEMO,
    }


def _slots_block(
    session: Session, venue_id: str, day: dt.date, now: dt.datetime
) -> dict[str, Any] | None:
    slots = list(
        session.scalars(
            select(TimeSlot)
            .where(TimeSlot.venue_id == venue_id, TimeSlot.day == day, TimeSlot.is_open.is_(True))
            .order_by(TimeSlot.start)
        )
    )
    if not slots:
        return None
    updated = max(slot.updated_at for slot in slots)
    sources = {slot.source for slot in slots}
    source = SOURCE_DEMO if SOURCE_DEMO in sources else sources.pop()
    prices: dict[str, int] = {}
    for slot in slots:
        for category, amount in slot.prices.items():
            prices[category] = min(prices.get(category, amount), int(amount))
    return {
        "date": day.isoformat(),
        "items": [
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
            }
            for slot in slots
        ],
        "remaining_total": sum(slot.remaining for slot in slots),
        "prices_fen": prices,
        **_freshness("slots", updated, now, source),
    }


def latest_venue_data(
    session: Session, venue_id: str, now: dt.datetime, day: dt.date | None = None
) -> dict[str, Any]:
    """The freshest partner data about ``venue_id`` at ``now``.

    Returns ``{"venue_id", "known", "as_of", "slots", "prices", "crowd", "weather"}``:

    * ``known``: whether any partner ever pushed anything for the venue;
    * ``slots``: ``day``'s (default: today, China time) open slots — ``{"date", "items": [{"slot_id",
      "start", "end", "capacity", "remaining", "prices"}], "remaining_total", "prices_fen"}`` —
      or None when none were pushed;
    * ``prices``: the lowest price per category that day (``{"adult": 8000}``, fen) or None;
    * ``crowd``: ``{"visitors", "capacity"}``; ``weather``: ``{"condition", "temperature_c",
      "humidity_percent", "wind_kph", "aqi", "warning"}``; each None when never pushed.

    Every non-None block (and ``prices``, through ``slots``) also carries ``observed_at`` (ISO 8601),
    ``age_seconds``, ``stale`` (older than :data:`STALE_AFTER`: 15 min crowd, 3 h weather, 24 h
    slots), ``source`` (``partner`` or ``sandbox demo``) and ``demo`` (True for sandbox demo data,
    which must never be presented as a real price). Stale data must be presented as stale
    ("as of 10:05, 3 hours ago"), never as current.
    """
    day = day or local_today(now)
    venue = session.get(Venue, venue_id)
    result: dict[str, Any] = {
        "venue_id": venue_id,
        "known": venue is not None,
        "as_of": now.isoformat(),
        "slots": None,
        "prices": None,
        "crowd": None,
        "weather": None,
    }
    if venue is None:
        return result
    slots = _slots_block(session, venue_id, day, now)
    if slots is not None:
        result["slots"] = slots
        result["prices"] = {
            "amount_fen": slots["prices_fen"],
            **{
                key: slots[key] for key in ("observed_at", "age_seconds", "stale", "source", "demo")
            },
        }
    for reading in session.scalars(select(LiveReading).where(LiveReading.venue_id == venue_id)):
        if reading.kind in ("crowd", "weather"):
            result[reading.kind] = {
                **reading.data,
                **_freshness(reading.kind, reading.observed_at, now, reading.source),
            }
    return result


def venues_with_data(session: Session) -> list[str]:
    """Ids of venues that have partner slots or readings (for listings and checks)."""
    slot_ids = select(TimeSlot.venue_id).group_by(TimeSlot.venue_id)
    reading_ids = select(LiveReading.venue_id).group_by(LiveReading.venue_id)
    ids = set(session.scalars(slot_ids)) | set(session.scalars(reading_ids))
    return sorted(ids)
