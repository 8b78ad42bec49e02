"""Booking tables: one row per booking (ticket or hotel) and one per visitor or guest.

Full ID numbers and phones are stored (the venue checks them at the gate); every API response and
log line shows them masked (:mod:`platform_api.bookings.masking`).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_api.core.db import Base
from platform_api.models import UTCDateTime, utcnow


class BookingStatus(enum.StrEnum):
    """Life cycle: held → confirmed (paid) → cancelled; held → expired or cancelled."""

    HELD = "held"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class BookingKind(enum.StrEnum):
    """Time-slot tickets or hotel rooms."""

    TICKET = "ticket"
    HOTEL = "hotel"


def _enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Booking(Base):
    """A ticket or hotel booking and its payment state."""

    __tablename__ = "booking"
    __table_args__ = (Index("ix_booking_status_expires_at", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    """``BK-YYYYMMDD-NNNNNNNN`` (tickets) or ``HB-…`` (hotels); date in China Standard Time."""
    kind: Mapped[BookingKind] = mapped_column(_enum(BookingKind, "booking_kind"))
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("time_slot.id"), default=None)
    room_type_id: Mapped[int | None] = mapped_column(ForeignKey("room_type.id"), default=None)
    check_in: Mapped[dt.date | None] = mapped_column(Date, default=None)
    check_out: Mapped[dt.date | None] = mapped_column(Date, default=None)
    quantity: Mapped[int] = mapped_column(Integer)
    """Places held: tickets, or rooms per night."""
    status: Mapped[BookingStatus] = mapped_column(
        _enum(BookingStatus, "booking_status"), default=BookingStatus.HELD
    )
    amount_fen: Mapped[int] = mapped_column(Integer)
    refund_fen: Mapped[int] = mapped_column(Integer, default=0)
    visit_start: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    """Start of the slot or check-in time: what the refund rule counts back from."""
    phone: Mapped[str] = mapped_column(String(32), index=True)
    """E.164, e.g. ``+8613800138000``."""
    language: Mapped[str] = mapped_column(String(16), default="zh")
    channel: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[str] = mapped_column(String(128), default="", index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True, default=None)
    request_hash: Mapped[str] = mapped_column(String(64), default="")
    transaction_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    """When it was cancelled or expired."""
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    visitors: Mapped[list[BookingVisitor]] = relationship(
        back_populates="booking", order_by="BookingVisitor.id", lazy="selectin"
    )


class BookingVisitor(Base):
    """One ticket holder (real name and document) or one hotel guest."""

    __tablename__ = "booking_visitor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    category: Mapped[str] = mapped_column(String(16))
    """Ticket category (adult, concession, child, senior) or ``guest``."""
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    id_type: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(String(32))

    booking: Mapped[Booking] = relationship(back_populates="visitors")
