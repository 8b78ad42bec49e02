"""Schema of a knowledge-base entry.

Every entry lives in its own YAML file under ``knowledge_base/data/entries/`` and is validated
against these models by ``python -m knowledge_base.validate`` (and by the test suite).

A *fact* is anything a tourist may act on (a price, an opening time, a phone number, a reservation
rule). Every fact carries the public ``source`` page that states it, the date that page gives
(``published``) and the day it was read (``checked``, formerly ``last_verified``), optionally a second
independent page (``cross_check``). A fact that could not be sourced, or whose sources conflict
(``conflict: true``), has ``value: null``; answers then tell the tourist to verify it with the venue
instead of guessing. The loader accepts the older, shorter facts; ``knowledge_base.validate`` enforces
the sourcing rules (see ``knowledge_base/data/README.md``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    model_validator,
)

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


class LocalizedText(_Strict):
    """Free text shown to tourists, one value per supported language.

    Every key is optional here so that the bot still loads an entry that is being translated;
    ``python -m knowledge_base.validate`` refuses a text that misses a language
    (see :func:`LocalizedText.missing`).
    """

    zh: str | None = None
    en: str | None = None
    ja: str | None = None
    ko: str | None = None
    fr: str | None = None
    de: str | None = None
    es: str | None = None
    ru: str | None = None

    def get(self, lang: str) -> str:
        """Text in ``lang`` (stripped), or an empty string when that language is missing."""
        value = getattr(self, lang, None) if lang in LANGUAGES else None
        return (value or "").strip()

    def missing(self) -> list[str]:
        """Supported languages without a (non-blank) text, in catalogue order."""
        return [lang for lang in LANGUAGES if not self.get(lang)]


_SOURCE_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _source_date(value: Any) -> Any:
    """Accept a date, a year (int) or 'YYYY' / 'YYYY-MM' / 'YYYY-MM-DD'; keep it as text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        found = _SOURCE_DATE.match(value.strip())
        if found is None:
            raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else 1 for g in found.groups())
        dt.date(year, month, day)  # raises ValueError on a month/day out of range
        return value.strip()
    return value


SourceDate = Annotated[str, BeforeValidator(_source_date)]
"""The date a source page gives: 'YYYY-MM-DD', or 'YYYY-MM' / 'YYYY' when it gives only that."""


def source_date_start(value: str) -> dt.date:
    """First day of a :data:`SourceDate` ('2025-07' -> 2025-07-01)."""
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def source_date_precision(value: str) -> Literal["year", "month", "day"]:
    """How precise a :data:`SourceDate` is."""
    return ("year", "month", "day")[value.count("-")]


SourceKind = Literal["official", "government", "media", "guide", "dataset", "other"]


class CrossCheck(_Strict):
    """A second, independent page that was read to confirm (or contradict) a fact."""

    url: HttpUrl
    published: SourceDate | None = None
    checked: dt.date | None = Field(
        default=None, validation_alias=AliasChoices("checked", "last_verified")
    )
    agrees: bool = True


class LiveData(_Strict):
    """Fresher data a venue's partner system pushed; set by the platform, never in entry files.

    When present it replaced the curated value, and answers name the partner system and its time.
    """

    system: Literal["partner"] = "partner"
    observed_at: dt.datetime
    stale: bool = False


class Fact(_Strict, Generic[T]):
    """A sourced value. ``value`` is None when no public source could confirm it."""

    value: T | None = None
    source: HttpUrl | None = None
    source_kind: SourceKind | None = None
    """What kind of publisher the source is: the venue's own site, a government page, ..."""
    publisher: LocalizedText | None = None
    """Who publishes the source page, as told to tourists ("the Sichuan Museum's site")."""
    published: SourceDate | None = None
    """The date the source page itself gives (not the day it was read)."""
    last_verified: dt.date | None = Field(
        default=None, validation_alias=AliasChoices("checked", "last_verified")
    )
    """The day the source was read; written ``checked`` (or, in older entries, ``last_verified``)."""
    cross_check: CrossCheck | None = None
    conflict: bool = False
    """True when sources disagree; the value is then left empty and ``note`` gives both values."""
    note: str | None = None
    """Internal editor's note (English); never shown to tourists."""
    caveat: LocalizedText | None = None
    """Warning told to the tourist with this fact (e.g. "this price is from 2021"), in every language."""
    live: LiveData | None = None
    """Set by the platform when a partner's fresher data replaced ``value`` (never in YAML)."""

    @property
    def checked(self) -> dt.date | None:
        """The day the source was read (alias of ``last_verified``)."""
        return self.last_verified

    def as_of(self) -> tuple[dt.date, Literal["year", "month", "day"], bool] | None:
        """(date, precision, is_published) the fact is valid as of: the source's own date, else
        the day it was checked; None when neither is known."""
        if self.published:
            return source_date_start(self.published), source_date_precision(self.published), True
        if self.last_verified:
            return self.last_verified, "day", False
        return None

    @model_validator(mode="after")
    def _sourced(self) -> Fact[T]:
        if self.live is not None:
            return self
        if self.value is not None and (self.source is None or self.last_verified is None):
            raise ValueError("a fact with a value needs both 'source' and 'last_verified'")
        return self


class Names(_Strict):
    """Names of an entry. zh and en are required; a missing other language falls back to English."""

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
        "adult",
        "child",
        "senior",
        "student",
        "disabled",
        "military",
        "teacher",
        "concession",
        "other",
    ] = "adult"
    season: Literal["all_year", "peak", "off_peak"] = "all_year"
    from_date: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    to_date: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    amount: float = Field(ge=0)
    label: LocalizedText | None = None
    conditions: LocalizedText | None = None


class Ticket(_Strict):
    """Ticket prices plus the free/concession rules as text."""

    free: bool = False
    prices: list[Price] = []
    includes: LocalizedText | None = None
    concessions: LocalizedText | None = None


class Reservation(_Strict):
    """Whether real-name reservation is required, and how to make it."""

    required: bool
    channels: LocalizedText | None = None
    rules: LocalizedText | None = None


class Entry(_Strict):
    """One attraction, venue, practical topic or dated event."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    type: EntryType
    names: Names
    aliases: list[str] = []
    city: LocalizedText | None = None
    county: LocalizedText | None = None
    a_level: Literal["5A", "4A", "3A", "first_grade", "none"] | None = None
    address: Fact[LocalizedText] = Fact()
    coordinates: Fact[Coordinates] = Fact()
    phone: Fact[str] = Fact()
    opening_hours: Fact[list[OpeningPeriod]] = Fact()
    ticket: Fact[Ticket] = Fact()
    reservation: Fact[Reservation] = Fact()
    transport: Fact[LocalizedText] = Fact()
    """Route from Chengdu and from the nearest station (not the address)."""
    accessibility: Fact[LocalizedText] = Fact()
    """Wheelchair/step-free access, lifts, cable cars, difficulty for the elderly and children."""
    best_season: Fact[LocalizedText] = Fact()
    """Best months to visit and the climate then."""
    elevation_m: Fact[float] = Fact()
    """Altitude in metres (the main visitor area, or the range in the fact's caveat)."""
    food_nearby: Fact[LocalizedText] = Fact()
    """What to eat near the place."""
    visit_duration: Fact[LocalizedText] = Fact()
    """How long a visit usually takes."""
    details: Fact[LocalizedText] = Fact()
    """Sourced practical text (rules, procedures) for topics and events; optional for venues."""
    description: LocalizedText
    tips: LocalizedText | None = None
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
