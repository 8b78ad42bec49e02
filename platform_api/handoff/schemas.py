"""Bodies of the handoff routes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from platform_api.complaints.schemas import Turn

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class HandoffCreate(BaseModel):
    """What the bot sends when the tourist asks for a person (``POST /api/escalations``)."""

    model_config = ConfigDict(extra="forbid")

    sender_id: Annotated[NonBlank, Field(max_length=128)]
    channel: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]{0,31}$")]
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", max_length=16)]
    reason: Annotated[NonBlank, Field(max_length=500)]
    last_user_message: Annotated[str, Field(max_length=4000)] = ""
    transcript: Annotated[list[Turn], Field(max_length=200)] = []

    @field_validator("channel", "language", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class HandoffOpened(BaseModel):
    """``active``: the bot must pause and relay; false out of office hours (open a complaint)."""

    reference: str
    status: str
    active: bool
    in_office_hours: bool
    office_hours: str
    existing: bool


class HandoffState(BaseModel):
    """Whether a conversation is currently handed off to staff."""

    active: bool
    reference: str | None = None
    language: str | None = None
    since: dt.datetime | None = None


class TextBody(BaseModel):
    """A message or reply."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[NonBlank, Field(max_length=4000)]


class OutboxItem(BaseModel):
    """One message for the tourist."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    reference: str
    status: str
    language: str
    text: str
    created_at: dt.datetime


class OutboxPage(BaseModel):
    """Messages for one conversation, oldest first."""

    messages: list[OutboxItem]
