"""Schema of a knowledge-base entry.

Every entry lives in its own YAML file under ``knowledge_base/data/entries/`` and is validated
against these models by ``python -m knowledge_base.validate`` (and by the test suite).

A *fact* is anything a tourist may act on (a price, an opening time, a phone number, a reservation
rule). Every fact carries the public ``source`` it was taken from and the date it was
``last_verified``. A fact that could not be sourced has ``value: null``; answers then tell the
tourist to verify it with the venue instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from common.languages import SUPPORTED_LANGUAGES

# Re-exported for the schema's users; the definition lives in common.languages.
LANGUAGES: tuple[str, ...] = SUPPORTED_LANGUAGES

EntryType = Literal[
    "scenic_area",
    "museum",
    "library",
    "culture_centre",
    "historic_site",
    "temple",
    "street",
    "park",
    "topic",
    "event",
]

T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fact(_Strict, Generic[T]):
    """A sourced value. ``value`` is None when no public source could confirm it."""

    value: T | None = None
    source: HttpUrl | None = None
    last_verified: dt.date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Fact[T]:
        if self.value is not None and (self.source is None or self.last_verified is None):
            raise ValueError("a fact with a value needs both 'source' and 'last_verified'")
        return self


class Names(_Strict):
    """Names of an entry. zh and en are required; the other six languages are optional."""

    zh: str
    en: str
    ja: str | None = None
    ko: str | None = None
    fr: str | None = None
    de: str | None = None
    es: str | None = None
    ru: str | None = None

    def get(self, lang: str) -> str:
        """Name in ``lang``, falling back to English, then Chinese."""
        return getattr(self, lang, None) or self.en or self.zh


class Bilingual(_Strict):
    """Free text in Chinese and English (descriptions, tips, addresses)."""

    zh: str | None = None
    en: str | None = None


class Coordinates(_Strict):
    """WGS-84 (or GCJ-02 where the source says so) latitude and longitude."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    datum: Literal["WGS84", "GCJ02", "BD09", "unknown"] = "unknown"


class OpeningPeriod(_Strict):
    """One seasonal period of opening hours. Dates are MM-DD, times HH:MM (local time)."""

    season: Literal["all_year", "peak", "off_peak", "summer", "winter"] = "all_year"
    from_date: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    to_date: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    opens: str = Field(pattern=r"^\d{2}:\d{2}$")
    closes: str = Field(pattern=r"^\d{2}:\d{2}$")
    last_entry: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    closed_weekdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = []


class Price(_Strict):
    """One ticket price in CNY. ``amount`` 0 means free."""

    category: Literal[
        "adult", "child", "senior", "student", "disabled", "military", "teacher", "other"
    ] = "adult"
    season: Literal["all_year", "peak", "off_peak"] = "all_year"
    amount: float = Field(ge=0)
    label: Bilingual | None = None
    conditions: Bilingual | None = None


class Ticket(_Strict):
    """Ticket prices plus the free/concession rules as text."""

    free: bool = False
    prices: list[Price] = []
    includes: Bilingual | None = None
    concessions: Bilingual | None = None


class Reservation(_Strict):
    """Whether real-name reservation is required, and how to make it."""

    required: bool
    channels: Bilingual | None = None
    rules: Bilingual | None = None


class Entry(_Strict):
    """One attraction, venue, practical topic or dated event."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    type: EntryType
    names: Names
    aliases: list[str] = []
    city: Bilingual | None = None
    county: Bilingual | None = None
    a_level: Literal["5A", "4A", "3A", "first_grade", "none"] | None = None
    address: Fact[Bilingual] = Fact()
    coordinates: Fact[Coordinates] = Fact()
    phone: Fact[str] = Fact()
    opening_hours: Fact[list[OpeningPeriod]] = Fact()
    ticket: Fact[Ticket] = Fact()
    reservation: Fact[Reservation] = Fact()
    transport: Fact[Bilingual] = Fact()
    details: Fact[Bilingual] = Fact()
    """Sourced practical text (rules, procedures) for topics and events; optional for venues."""
    description: Bilingual
    tips: Bilingual | None = None
    tags: list[str] = []
    event_dates: Fact[list[dt.date]] = Fact()
    sources: list[HttpUrl] = []
    last_verified: dt.date | None = None

    def all_names(self) -> list[str]:
        """Every name and alias, in every language, without duplicates."""
        seen: dict[str, None] = {}
        for value in self.names.model_dump().values():
            if value:
                seen.setdefault(value, None)
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return list(seen)
