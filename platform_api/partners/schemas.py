"""Bodies partners push (slots, hotels, room nights, visitor counts, weather, refund rules)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

TicketCategory = Literal["adult", "concession", "child", "senior"]
TICKET_CATEGORIES: tuple[str, ...] = ("adult", "concession", "child", "senior")
Source = Literal["partner", "sandbox demo"]
ClockTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Fen = Annotated[int, Field(ge=0, le=10_000_000)]
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
"""No control characters (PostgreSQL refuses NUL in text)."""
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=PRINTABLE)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PriceIn(_Strict):
    """One ticket category's price in fen."""

    category: TicketCategory
    amount_fen: Fen


class SlotIn(_Strict):
    """One admission period of the day."""

    start: ClockTime
    end: ClockTime
    capacity: Annotated[int, Field(ge=0, le=1_000_000)]
    prices: Annotated[list[PriceIn], Field(min_length=1, max_length=4)]

    @model_validator(mode="after")
    def _consistent(self) -> SlotIn:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        categories = [price.category for price in self.prices]
        if len(set(categories)) != len(categories):
            raise ValueError("each category may have one price")
        return self


class SlotsPut(_Strict):
    """The whole day's slots; slots not listed any more close (their sold places stay valid)."""

    slots: Annotated[list[SlotIn], Field(max_length=96)]
    source: Source = "partner"
    """``sandbox demo`` for the demo-data command's invented slots; never shown as real."""

    @model_validator(mode="after")
    def _unique_starts(self) -> SlotsPut:
        starts = [slot.start for slot in self.slots]
        if len(set(starts)) != len(starts):
            raise ValueError("two slots start at the same time")
        return self


class RefundRulePut(_Strict):
    """Full refund until ``full_refund_hours_before`` the visit, ``late_refund_percent`` after."""

    full_refund_hours_before: Annotated[int, Field(ge=0, le=24 * 90)] = 0
    late_refund_percent: Annotated[int, Field(ge=0, le=100)] = 0


class VisitorsPut(_Strict):
    """Visitors inside the venue now (and its instantaneous capacity, when it has one)."""

    count: Annotated[int, Field(ge=0, le=10_000_000)]
    capacity: Annotated[int | None, Field(ge=1, le=10_000_000)] = None
    observed_at: dt.datetime | None = None
    source: Source = "partner"


class WeatherPut(_Strict):
    """Current conditions at the venue."""

    condition: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=PRINTABLE),
    ]
    temperature_c: Annotated[float, Field(ge=-70, le=60)]
    humidity_percent: Annotated[int | None, Field(ge=0, le=100)] = None
    wind_kph: Annotated[float | None, Field(ge=0, le=400)] = None
    aqi: Annotated[int | None, Field(ge=0, le=1000)] = None
    warning: Annotated[str | None, Field(max_length=200, pattern=PRINTABLE)] = None
    observed_at: dt.datetime | None = None
    source: Source = "partner"


class RoomTypeIn(_Strict):
    """A room type of a hotel."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
    name: Text
    max_guests: Annotated[int, Field(ge=1, le=20)]


class HotelPut(_Strict):
    """A hotel's profile: where it is and its room types."""

    name: Text
    city: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=PRINTABLE),
    ]
    near: Annotated[
        list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]], Field(max_length=20)
    ] = []
    """Knowledge-base ids of attractions the hotel is near."""
    room_types: Annotated[list[RoomTypeIn], Field(min_length=1, max_length=50)]
    source: Source = "partner"


class NightIn(_Strict):
    """Rooms of one type for one night."""

    date: dt.date
    room_type: Annotated[str, Field(max_length=32)]
    rooms: Annotated[int, Field(ge=0, le=100_000)]
    price_fen: Fen


class InventoryPut(_Strict):
    """Nightly inventory and prices."""

    nights: Annotated[list[NightIn], Field(min_length=1, max_length=1000)]
    source: Source = "partner"
