"""Phone challenges (hashed codes that expire) and verified conversation ↔ phone links."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.core.db import Base
from platform_api.models import UTCDateTime, utcnow


class PhoneChallenge(Base):
    """A code sent by SMS to ``phone`` for the conversation ``sender_id``.

    Only ``code_hash`` (SHA-256 of a per-challenge salt and the code) is kept, never the code.
    """

    __tablename__ = "identity_challenge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    """Random, unguessable: what the conversation refers to when it confirms."""
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(32), index=True)
    """E.164."""
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)


class VerifiedPhone(Base):
    """The conversation ``sender_id`` proved it holds ``phone`` (until ``expires_at``)."""

    __tablename__ = "identity_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(32), index=True)
    verified_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
