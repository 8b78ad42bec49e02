"""Table of the conversation events the analytics consumer keeps (no message text)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.core.db import Base
from platform_api.models import UTCDateTime, utcnow


class ConversationEvent(Base):
    """One tracker event as Rasa's broker published it, reduced to what the dashboards need.

    ``conversation`` is a pseudonym of the sender id (``common.logsafe.pseudonym``), never the id
    itself; ``fingerprint`` makes a redelivered message a no-op (RabbitMQ delivers at least once).
    """

    __tablename__ = "conversation_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    conversation: Mapped[str] = mapped_column(String(32), index=True)
    event: Mapped[str] = mapped_column(String(32), index=True)
    intent: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    confidence: Mapped[float | None] = mapped_column(Float, default=None)
    action: Mapped[str | None] = mapped_column(String(64), default=None)
    language: Mapped[str | None] = mapped_column(String(8), default=None, index=True)
    channel: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
