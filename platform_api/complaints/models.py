"""Tables of complaint cases: the case, its evidence, its timeline, and per-day reference counters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.core.db import Base
from platform_api.models import UTCDateTime, utcnow


class ReferenceCounter(Base):
    """Last sequence number handed out per reference prefix (``TS-20261207``, ``ESC-20261207``)."""

    __tablename__ = "reference_counter"

    prefix: Mapped[str] = mapped_column(String(24), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Complaint(Base):
    """A tourist's complaint; ``status`` is ``open`` → ``in_progress`` → ``resolved`` (reopenable)."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    venue_id: Mapped[str | None] = mapped_column(String(100), index=True, default=None)
    merchant: Mapped[str | None] = mapped_column(String(200), default=None)
    occurred_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    amount_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    """E.164 (``+8613812345678``); empty once erased."""
    language: Mapped[str] = mapped_column(String(16), index=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    """The conversation's sender id: replies go to this conversation's outbox."""
    booking_references: Mapped[str] = mapped_column(String(500), default="")
    escalation_reference: Mapped[str | None] = mapped_column(String(32), default=None)
    transcript: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of ``{"role", "text"}`` turns (from a handoff opened out of office hours)."""
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    outcome: Mapped[str | None] = mapped_column(Text, default=None)
    assigned_to: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    resolve_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    first_reply_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ComplaintEvidence(Base):
    """An image uploaded for a complaint (stored file) or a URL the channel gave."""

    __tablename__ = "complaint_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    url: Mapped[str | None] = mapped_column(String(1000), default=None)
    stored_name: Mapped[str | None] = mapped_column(String(100), default=None)
    content_type: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseEntry(Base):
    """One line of a case's history (complaint or escalation).

    ``kind``: ``created``, ``reply`` (staff → tourist, visible to the tourist), ``note``
    (internal), ``status``, ``assign``, ``tourist_message`` (during a handoff), ``evidence``,
    ``handoff_ended``.
    """

    __tablename__ = "case_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_reference: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    visible_to_tourist: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
