"""The payment-provider interface the bookings use, whatever the provider (sandbox, WeChat Pay, …).

Amounts are integer fen, as WeChat Pay's ``amount.total`` is. A provider keeps its own order state;
the platform's booking state changes only through a verified notification
(:mod:`platform_api.payments.service`) or a cancellation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class PaymentNotification:
    """A verified "order paid" notification."""

    reference: str
    amount_fen: int
    transaction_id: str
    paid_at: dt.datetime


@dataclass(frozen=True)
class OrderState:
    """What the provider says about an order (``query``)."""

    reference: str
    status: str
    """NOTPAY, SUCCESS, REFUND or CLOSED (WeChat Pay's trade states)."""
    amount_fen: int
    transaction_id: str | None
    refunded_fen: int


class PaymentProvider(Protocol):
    """Create an order, give its pay page, verify notifications, query, refund, close."""

    name: str

    def create_order(
        self,
        session: Session,
        *,
        reference: str,
        amount_fen: int,
        description: str,
        time_expire: dt.datetime,
    ) -> None:
        """Open an unpaid order for ``reference`` (in the caller's transaction)."""

    def pay_url(self, reference: str) -> str:
        """Where the tourist pays the order."""

    def verify_notification(self, raw_body: bytes, signature: str | None) -> PaymentNotification:
        """The notification in ``raw_body`` if its signature is right; ApiError otherwise."""

    def query(self, session: Session, reference: str) -> OrderState | None:
        """The provider's state of the order, or None when it has none."""

    def refund(
        self, session: Session, *, reference: str, transaction_id: str, amount_fen: int
    ) -> None:
        """Refund ``amount_fen`` of a paid transaction (0 does nothing)."""

    def close_order(self, session: Session, reference: str) -> None:
        """Make an unpaid order unpayable (cancellation, expiry)."""
