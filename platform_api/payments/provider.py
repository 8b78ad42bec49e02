"""The payment-provider interface the bookings use, whatever the provider (sandbox, WeChat Pay, …).

Amounts are integer fen, as WeChat Pay's ``amount.total`` is. A provider keeps its own order state;
the platform's booking state changes only through a verified notification
(:mod:`platform_api.payments.service`), the reconciliation query
(:mod:`platform_api.payments.reconcile`) or a cancellation.

A provider that cannot be reached (refused connection, 5xx, no answer within
``PLATFORM_PAYMENT_PROVIDER_TIMEOUT_SECONDS``) raises :func:`unavailable`'s 503
``payment_unavailable``: a hold is then not taken (its transaction rolls back), a refund stays
pending and is retried (:mod:`platform_api.payments.refunds`), a query is tried again next sweep.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from platform_api.bookings.errors import ApiError

UNAVAILABLE = "payment_unavailable"


def unavailable(detail: str) -> ApiError:
    """The error a provider raises when it cannot be reached or does not answer in time."""
    return ApiError(503, UNAVAILABLE, f"the payment provider is not answering ({detail})")


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
    paid_at: dt.datetime | None = None
    """When the provider took the money (what reconciliation confirms a booking with)."""


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
        self,
        session: Session,
        *,
        reference: str,
        transaction_id: str,
        amount_fen: int,
        refund_no: str,
    ) -> None:
        """Refund ``amount_fen`` of a paid transaction (0 does nothing). ``refund_no`` is the
        idempotency key (WeChat Pay's ``out_refund_no``): the same number never refunds twice."""

    def close_order(self, session: Session, reference: str) -> None:
        """Make an unpaid order unpayable (cancellation, expiry); best effort."""
