"""Request and response bodies (pydantic), separate from the ORM tables."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from platform_api.core.privacy import strip_personal_numbers
from platform_api.models import EscalationStatus

REFERENCE_PATTERN = r"^ESC-\d{8}-\d{4,}$"

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class EscalationCreate(BaseModel):
    """What the bot's ``human_handoff`` action sends."""

    model_config = ConfigDict(extra="forbid")

    sender_id: Annotated[NonBlank, Field(max_length=128)]
    channel: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]{0,31}$")]
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", max_length=16)]
    reason: Annotated[NonBlank, Field(max_length=500)]
    last_user_message: Annotated[str, Field(max_length=4000)] = ""

    @field_validator("channel", "language", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class EscalationUpdate(BaseModel):
    """Staff changes: status and/or who handles it."""

    model_config = ConfigDict(extra="forbid")

    status: EscalationStatus | None = None
    assigned_to: Annotated[str | None, Field(max_length=128)] = None

    @field_validator("status")
    @classmethod
    def _status_not_null(cls, value: EscalationStatus | None) -> EscalationStatus:
        if value is None:
            raise ValueError("status cannot be null; omit it to leave it unchanged")
        return value

    @field_validator("assigned_to")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class EscalationCreated(BaseModel):
    """Answer to the bot: the reference to quote to the tourist."""

    reference: str
    status: EscalationStatus


class EscalationPublic(BaseModel):
    """One escalation as shown to staff."""

    model_config = ConfigDict(from_attributes=True)

    reference: str
    sender_id: str
    channel: str
    language: str
    reason: str
    last_user_message: str
    status: EscalationStatus
    assigned_to: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class EscalationsPublic(BaseModel):
    """A page of escalations plus the total matching count."""

    data: list[EscalationPublic]
    count: int


class LocalizedName(BaseModel):
    """Chinese and English name of a knowledge-base entry."""

    zh: str
    en: str


class KbSearchResult(BaseModel):
    """One knowledge-base hit."""

    id: str
    name: LocalizedName
    score: float
    type: str


class KbSearchResponse(BaseModel):
    """Answer of ``GET /api/kb/search``."""

    query: str
    lang: str | None
    results: list[KbSearchResult]


class KbStatus(BaseModel):
    """Knowledge-base part of the health check."""

    loaded: bool


class HealthResponse(BaseModel):
    """Answer of ``GET /api/health``: status and readiness booleans, nothing internal."""

    status: str
    database: bool
    kb: KbStatus


class KbEntityMention(BaseModel):
    """An entity the bot's NLU found in the message (``attraction``/``topic`` -> entry id)."""

    entity: Annotated[str, Field(max_length=64)]
    value: Annotated[str, Field(max_length=100)]


class KbResolveRequest(BaseModel):
    """What the knowledge action asks: which entries does this message mean?"""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(max_length=4000)]
    lang: Annotated[str | None, Field(max_length=8)] = None
    entities: Annotated[list[KbEntityMention], Field(max_length=50)] = []
    previous: Annotated[str | None, Field(max_length=100)] = None
    """Entry of the previous turn, used when the message names none (follow-ups)."""
    follow_previous: bool = True
    k: Annotated[int, Field(ge=1, le=20)] = 1


class KbResolvedEntry(BaseModel):
    """One resolved entry with all its facts (the knowledge base's entry JSON)."""

    score: float
    entry: dict[str, Any]


class KbResolveResponse(BaseModel):
    """Answer of ``POST /api/kb/resolve``: how the entries were found, best first.

    ``kind`` is the place decision (``named``, ``carried_over``, ``unknown``, ``topic``,
    ``searched``, ``none``); for ``unknown`` the results are empty and ``unknown_place`` holds the
    words of the message that name a place the knowledge base does not have.
    """

    match: Literal["entity", "alias", "previous", "search", "none"]
    results: list[KbResolvedEntry]
    kind: Literal["named", "carried_over", "unknown", "topic", "searched", "none"] = "none"
    unknown_place: str | None = None
    mention: str | None = None


class KbUpcomingEvent(BaseModel):
    """A dated event expected soon, with the date projected onto the coming weeks."""

    date: dt.date
    entry: dict[str, Any]


class KbUpcomingEventsResponse(BaseModel):
    """Answer of ``GET /api/kb/upcoming-events``, soonest first."""

    today: dt.date
    events: list[KbUpcomingEvent]


class ReadyResponse(BaseModel):
    """Answer of ``GET /api/health/ready``: ``ready``, else ``starting``/``warming``/``failed``."""

    status: str


class UnansweredCreate(BaseModel):
    """What the knowledge action files when it cannot answer (bot token)."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(pattern=r"^[a-z][a-z_]{0,31}$")] = "unknown_place"
    place: Annotated[str, StringConstraints(strip_whitespace=True), Field(max_length=200)] = ""
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", max_length=16)]
    question: Annotated[str, Field(max_length=1000)] = ""

    @field_validator("language", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("question", "place")
    @classmethod
    def _no_personal_numbers(cls, value: str) -> str:
        return strip_personal_numbers(value).strip()


class UnansweredPublic(BaseModel):
    """One unanswered question as content editors see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reason: str
    place: str
    language: str
    question: str
    created_at: dt.datetime


class UnansweredPlace(BaseModel):
    """How often a place nobody has written about was asked for."""

    place: str
    count: int


class UnansweredList(BaseModel):
    """A page of unanswered questions (newest first), the total, and the most-asked places."""

    data: list[UnansweredPublic]
    count: int
    top_places: list[UnansweredPlace]
