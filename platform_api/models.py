"""ORM tables (SQLAlchemy 2 typed mappings)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Boolean, DateTime, Dialect, Enum, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.core.db import Base


def utcnow() -> dt.datetime:
    """Timezone-aware current UTC time."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        """Store UTC; naive values are taken to be UTC already."""
        if value is None:
            return None
        value = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """Attach UTC to the naive values SQLite returns."""
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class EscalationStatus(enum.StrEnum):
    """Life cycle of a hand-off to human staff."""

    OPEN = "open"
    ASSIGNED = "assigned"
    CLOSED = "closed"


class Escalation(Base):
    """A conversation the bot handed over to a human (``human_handoff``)."""

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    """Human-readable, e.g. ``ESC-20261129-0001`` (date in China Standard Time)."""
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    last_user_message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EscalationStatus] = mapped_column(
        Enum(
            EscalationStatus,
            name="escalation_status",
            native_enum=False,
            length=16,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        default=EscalationStatus.OPEN,
        index=True,
    )
    assigned_to: Mapped[str | None] = mapped_column(String(128), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    transcript: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of ``{"role": "user"|"bot", "text"}`` turns before the handoff."""
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    """True while the bot is paused for ``sender_id`` and staff talk to the tourist."""
    in_office_hours: Mapped[bool] = mapped_column(Boolean, default=True)
    first_reply_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    ended_by: Mapped[str | None] = mapped_column(String(64), default=None)


class UnansweredQuestion(Base):
    """A tourist question the knowledge base could not answer, for content editors.

    ``place`` is the place the tourist named that no entry covers (e.g. 春熙路, "the Great Wall");
    ``question`` the wording with phone, ID and passport numbers removed.
    """

    __tablename__ = "unanswered_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reason: Mapped[str] = mapped_column(String(32), default="unknown_place", index=True)
    place: Mapped[str] = mapped_column(String(200), default="", index=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    question: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
