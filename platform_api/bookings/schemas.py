"""Request and response bodies of the booking routes (tickets and hotels)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from common.languages import SUPPORTED_LANGUAGES
from platform_api.partners.schemas import TicketCategory

PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
"""No control characters (PostgreSQL refuses NUL in text; none belongs in these fields)."""
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=PRINTABLE)
]
DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]
REFERENCE_PATTERN = r"^(BK|HB)-\d{8}-\d{4,}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VisitorIn(_Strict):
    """A real-name visitor: name and document (mainland ID card or passport)."""

    name: Name
    id_type: Literal["cn_id", "passport"]
    id_number: Annotated[str, Field(min_length=1, max_length=32, pattern=PRINTABLE)]


class TicketIn(_Strict):
    """One ticket: its category and its holder."""

    category: TicketCategory
    visitor: VisitorIn


class _Contact(_Strict):
    phone: Annotated[str, Field(min_length=3, max_length=32, pattern=PRINTABLE)]
    language: str = "zh"
    channel: Annotated[str, Field(max_length=32, pattern=PRINTABLE)] = ""
    user_id: Annotated[str, Field(max_length=128, pattern=PRINTABLE)] = ""

    @field_validator("language")
    @classmethod
    def _supported(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value


class TicketBookingIn(_Contact):
    """``POST /api/bookings``."""

    venue_id: Annotated[str, Field(min_length=1, max_length=64, pattern=PRINTABLE)]
    slot_id: DbId
    tickets: Annotated[list[TicketIn], Field(min_length=1, max_length=100)]


class HotelBookingIn(_Contact):
    """``POST /api/hotel-bookings``."""

    hotel_id: Annotated[str, Field(min_length=1, max_length=64, pattern=PRINTABLE)]
    room_type: Annotated[str, Field(min_length=1, max_length=32, pattern=PRINTABLE)]
    check_in: dt.date
    check_out: dt.date
    rooms: Annotated[int, Field(ge=1, le=20)] = 1
    guests: Annotated[list[VisitorIn], Field(min_length=1, max_length=100)]


class BookingCreated(BaseModel):
    """The 201 answer of a new (or idempotently repeated) booking."""

    reference: str
    status: str
    amount_fen: int
    pay_url: str | None
    expires_at: dt.datetime


class VisitorPublic(BaseModel):
    """A visitor as responses show it: document number masked."""

    name: str
    id_type: str
    id_number: str
    """Masked, e.g. ``510***********1234``."""


class TicketPublic(BaseModel):
    """One ticket of a booking."""

    category: str
    amount_fen: int
    visitor: VisitorPublic


class BookingPublic(BaseModel):
    """A booking as the conversation shows it (personal numbers masked)."""

    reference: str
    kind: str
    status: str
    venue_id: str
    venue_name: str
    amount_fen: int
    refund_fen: int
    """Refunded so far (after a cancellation)."""
    cancel_refund_fen: int | None
    """What a cancellation now would refund (None when it cannot be cancelled)."""
    pay_url: str | None
    """Only while the booking is held."""
    expires_at: dt.datetime | None
    date: dt.date | None = None
    start: str | None = None
    end: str | None = None
    check_in: dt.date | None = None
    check_out: dt.date | None = None
    room_type: str | None = None
    rooms: int | None = None
    tickets: list[TicketPublic] = []
    guests: list[VisitorPublic] = []
    phone: str
    """Masked, e.g. ``+86138****5678``."""
    language: str
    channel: str
    created_at: dt.datetime
    paid_at: dt.datetime | None


class BookingsPublic(BaseModel):
    """A phone's bookings, newest first."""

    bookings: list[BookingPublic]
    count: int
