"""Partner-fed tables: venues (knowledge-base ids) and hotels, time slots, room nights, live readings.

Inventory is ``capacity``/``rooms`` minus ``reserved``; ``reserved`` only moves by conditional
``UPDATE ... WHERE capacity - reserved >= n`` (see :mod:`platform_api.bookings.inventory`), so it never
exceeds what was free at that moment, and the check constraints keep it from going below zero.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.core.db import Base
from platform_api.models import UTCDateTime, utcnow

SOURCE_PARTNER = "partner"
SOURCE_DEMO = "sandbox demo"


class Venue(Base):
    """A bookable place: an attraction keyed by its knowledge-base entry id, or a partner hotel."""

    __tablename__ = "venue"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="attraction", index=True)
    """``attraction`` (id = knowledge-base entry id) or ``hotel`` (id chosen by the partner)."""
    name: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="", index=True)
    near: Mapped[str] = mapped_column(String(500), default="")
    """Hotels: comma-separated knowledge-base ids of the attractions they are near."""
    refund_cutoff_hours: Mapped[int] = mapped_column(Integer, default=0)
    """Full refund when cancelled at least this many hours before the visit (check-in) starts."""
    refund_late_percent: Mapped[int] = mapped_column(Integer, default=0)
    """Share of the amount refunded when cancelled later than that."""
    source: Mapped[str] = mapped_column(String(32), default=SOURCE_PARTNER)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TimeSlot(Base):
    """One admission period of one day (分时预约) with its capacity and per-category prices."""

    __tablename__ = "time_slot"
    __table_args__ = (
        UniqueConstraint("venue_id", "day", "start", name="uq_time_slot_venue_day_start"),
        CheckConstraint("reserved >= 0", name="ck_time_slot_reserved_nonnegative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    """Places held or sold (held ones come back when they expire or are cancelled)."""
    prices: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """``{"adult": 8000, "child": 4000}``: amounts in fen per ticket category."""
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once the partner's latest push for the day no longer lists the slot."""
    source: Mapped[str] = mapped_column(String(32), default=SOURCE_PARTNER)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def remaining(self) -> int:
        """Places still free (never negative, even after the partner lowered the capacity)."""
        return max(self.capacity - self.reserved, 0)


class RoomType(Base):
    """A hotel's room type (e.g. ``twin``) and how many guests it sleeps."""

    __tablename__ = "room_type"
    __table_args__ = (UniqueConstraint("hotel_id", "code", name="uq_room_type_hotel_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hotel_id: Mapped[str] = mapped_column(ForeignKey("venue.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    max_guests: Mapped[int] = mapped_column(Integer, default=2)


class RoomNight(Base):
    """Rooms of one type for one night, with the nightly price in fen."""

    __tablename__ = "room_night"
    __table_args__ = (
        UniqueConstraint("room_type_id", "day", name="uq_room_night_type_day"),
        CheckConstraint("reserved >= 0", name="ck_room_night_reserved_nonnegative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_type.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    rooms: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    price_fen: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32), default=SOURCE_PARTNER)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def remaining(self) -> int:
        """Rooms still free."""
        return max(self.rooms - self.reserved, 0)


class LiveReading(Base):
    """The latest pushed value of one kind (``crowd`` or ``weather``) for one venue."""

    __tablename__ = "live_reading"

    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    observed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    """When the partner measured it (what freshness is judged on)."""
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(32), default=SOURCE_PARTNER)
