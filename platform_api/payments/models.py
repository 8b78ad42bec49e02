"""Payment tables: the platform's ledger of received payments and the sandbox provider's orders.

``payment`` is the merchant side: one row per provider transaction (unique), so a replayed or
duplicated notification cannot be counted twice. ``sandbox_order`` is the sandbox provider's own
state (what a real provider keeps on its side): order status, transaction, refunds and the
delivery state of its notification.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.core.db import Base
from platform_api.models import UTCDateTime, utcnow


class Payment(Base):
    """A payment the platform accepted from a provider notification, and what became of it."""

    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("provider", "transaction_id", name="uq_payment_provider_transaction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    provider: Mapped[str] = mapped_column(String(16))
    transaction_id: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(Integer)
    refund_fen: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(32))
    """``confirmed`` (it paid the booking), ``refunded_late`` (booking already cancelled/expired),
    ``refunded_duplicate`` (booking already paid by another transaction)."""
    paid_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SandboxOrder(Base):
    """An order at the sandbox provider (``out_trade_no`` = booking reference)."""

    __tablename__ = "sandbox_order"

    out_trade_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="NOTPAY")
    """NOTPAY, SUCCESS, REFUND (partly or wholly refunded) or CLOSED (unpaid and closed)."""
    transaction_id: Mapped[str | None] = mapped_column(String(64), default=None)
    paid_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    time_expire: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    notify_url: Mapped[str] = mapped_column(String(500))
    notify_body: Mapped[str | None] = mapped_column(Text, default=None)
    notify_attempts: Mapped[int] = mapped_column(Integer, default=0)
    notify_acknowledged: Mapped[bool] = mapped_column(default=False)
    next_notify_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PaymentRefund(Base):
    """A refund the platform owes: written with the cancellation (or the refunded notification),
    sent to the provider after the commit and re-sent by the sweep until the provider accepts it.

    ``refund_no`` is the provider's idempotency key (``out_refund_no``), so a retry after a lost
    answer never refunds twice.
    """

    __tablename__ = "payment_refund"

    refund_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), index=True)
    transaction_id: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    """``pending`` until the provider accepted it, then ``done``."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
