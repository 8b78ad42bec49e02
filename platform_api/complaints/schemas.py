"""Request and response bodies of complaint cases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import phonenumbers
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from common.languages import SUPPORTED_LANGUAGES
from platform_api.complaints.calendar import CST

Category = Literal[
    "overcharging",
    "forced_shopping",
    "service_quality",
    "safety",
    "false_advertising",
    "refund_dispute",
    "other",
]
Language = Literal["zh", "en", "ja", "ko", "fr", "de", "es", "ru"]
assert set(Language.__args__) == set(SUPPORTED_LANGUAGES)  # type: ignore[attr-defined]
Status = Literal["open", "in_progress", "resolved"]
COMPLAINT_REFERENCE = r"^TS-\d{8}-\d{4,}$"
ESCALATION_REFERENCE = r"^ESC-\d{8}-\d{4,}$"
Stripped = Annotated[str, StringConstraints(strip_whitespace=True)]
Channel = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]{0,31}$")]


def normalize_phone(value: str) -> str:
    """E.164 form of a phone number (mainland China when no country code); ValueError if invalid."""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException as error:
        raise ValueError("not a valid phone number") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Turn(BaseModel):
    """One turn of a transcript."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "bot", "staff"]
    text: Annotated[str, Field(max_length=4000)]
    at: dt.datetime | None = None


class ComplaintCreate(BaseModel):
    """What the bot's complaint form files (service token)."""

    model_config = ConfigDict(extra="forbid")

    category: Category
    venue_id: Annotated[str | None, Field(pattern=r"^[a-z0-9][a-z0-9_\-]{0,99}$")] = None
    merchant: Annotated[Stripped | None, Field(max_length=200)] = None
    description: Annotated[Stripped, Field(min_length=1, max_length=4000)]
    occurred_on: dt.date | None = None
    amount_fen: Annotated[int | None, Field(ge=0, le=10**10)] = None
    phone: Annotated[str, Field(min_length=3, max_length=32)]
    language: Language
    channel: Channel
    user_id: Annotated[Stripped, Field(min_length=1, max_length=128)]
    booking_references: Annotated[
        list[Annotated[str, Field(pattern=r"^[A-Za-z0-9\-]{4,40}$")]], Field(max_length=10)
    ] = []
    escalation_reference: Annotated[str | None, Field(pattern=ESCALATION_REFERENCE)] = None
    transcript: Annotated[list[Turn], Field(max_length=200)] = []
    evidence_urls: Annotated[
        list[Annotated[str, Field(pattern=r"^https?://\S{1,990}$")]], Field(max_length=10)
    ] = []

    @field_validator("channel", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalize_phone(value)

    @field_validator("occurred_on")
    @classmethod
    def _not_future(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and value > dt.datetime.now(CST).date() + dt.timedelta(days=1):
            raise ValueError("occurred_on is in the future")
        return value

    @model_validator(mode="after")
    def _where(self) -> ComplaintCreate:
        if not self.venue_id and not self.merchant:
            raise ValueError("give venue_id (a knowledge-base id) or merchant (free text)")
        return self


class ComplaintCreated(BaseModel):
    """Answer to the bot: the reference and promised response time to tell the tourist."""

    reference: str
    status: Status
    due_at: dt.datetime
    resolve_due_at: dt.datetime


class ReplyPublic(BaseModel):
    """A staff reply as the tourist sees it."""

    text: str
    at: dt.datetime


class ComplaintStatusPublic(BaseModel):
    """``GET /api/complaints/{reference}?phone=``: what the tourist may know about their case."""

    reference: str
    status: Status
    category: str
    language: str
    due_at: dt.datetime
    replies: list[ReplyPublic]
    latest_reply: ReplyPublic | None
    outcome: str | None
    updated_at: dt.datetime


class EvidenceUrl(BaseModel):
    """An image the channel already hosts (e.g. a WeChat media URL)."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, Field(pattern=r"^https?://\S{1,990}$")]


class EvidencePublic(BaseModel):
    """Stored evidence, by reference."""

    id: int
    url: str | None
    content_type: str
    size: int
    sha256: str


class ErasureRequest(BaseModel):
    """Erase or anonymise everything stored about one tourist (deletion request, unsubscribe)."""

    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[Stripped, Field(min_length=1, max_length=128)]


class ErasureResult(BaseModel):
    """How many records were anonymised or deleted."""

    complaints: int
    escalations: int
    outbox_messages: int
    evidence_files: int
