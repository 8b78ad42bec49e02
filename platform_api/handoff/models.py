"""Messages waiting for a conversation's channel (staff replies, case updates, handoff events)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.core.db import Base
from platform_api.models import UTCDateTime, utcnow


class OutboxMessage(Base):
    """A message for the tourist of ``sender_id``; the channel/action server claims it.

    ``kind``: ``complaint_reply``, ``complaint_status``, ``handoff_message``, ``handoff_ended``.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime(), default=None, index=True
    )
