"""Refunds owed to tourists: recorded with the change that owes them, sent after the commit.

:func:`owe` adds a ``payment_refund`` row (``pending``) to the caller's transaction, so a
cancellation is recorded even when the provider is down. :func:`send` claims the row (one
conditional UPDATE, so two processes never send it at the same time), calls the provider with
the row's ``refund_no`` (the provider's idempotency key) and marks it ``done``; on a 503
``payment_unavailable`` (or any refusal, logged as an error for a person to look at) it stays
``pending`` with the next attempt scheduled; it is never given up. :func:`send_due`
is the sweep's part.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from common.logsafe import event
from platform_api.bookings.errors import ApiError
from platform_api.payments.models import PaymentRefund
from platform_api.payments.provider import UNAVAILABLE, PaymentProvider

logger = logging.getLogger("platform_api.payments")

CLAIM_SECONDS = 120.0
"""A claimed refund is left alone this long by other senders (longer than any provider call)."""
MAX_BACKOFF_SECONDS = 900.0


def refund_no(transaction_id: str) -> str:
    """The refund's idempotency key: one refund per transaction (a cancellation refunds the
    transaction that paid the booking, a refused notification its own transaction)."""
    return f"RF{transaction_id}"[:64]


def backoff(attempts: int) -> float:
    """Seconds before the next attempt: 10, 20, 40 … at most 15 minutes (never given up)."""
    return float(min(MAX_BACKOFF_SECONDS, 10.0 * 2 ** max(0, attempts - 1)))


def owe(
    session: Session, *, reference: str, transaction_id: str, amount_fen: int, now: dt.datetime
) -> str | None:
    """Record a refund (uncommitted); its ``refund_no``, or None when nothing is owed."""
    if amount_fen <= 0:
        return None
    number = refund_no(transaction_id)
    if session.get(PaymentRefund, number) is None:
        session.add(
            PaymentRefund(
                refund_no=number,
                reference=reference,
                transaction_id=transaction_id,
                amount_fen=amount_fen,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return number


def _claim(session: Session, number: str, now: dt.datetime) -> bool:
    result = session.execute(
        update(PaymentRefund)
        .where(
            PaymentRefund.refund_no == number,
            PaymentRefund.status == "pending",
            or_(PaymentRefund.next_attempt_at.is_(None), PaymentRefund.next_attempt_at <= now),
        )
        .values(
            next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS),
            attempts=PaymentRefund.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return cast(CursorResult[Any], result).rowcount == 1


def send(session: Session, provider: PaymentProvider, number: str, now: dt.datetime) -> bool:
    """Send one owed refund if it is due and nobody else is sending it; True once it is done."""
    if not _claim(session, number, now):
        row = session.get(PaymentRefund, number)
        return row is not None and row.status == "done"
    row = session.get(PaymentRefund, number)
    assert row is not None
    session.refresh(row)
    try:
        provider.refund(
            session,
            reference=row.reference,
            transaction_id=row.transaction_id,
            amount_fen=row.amount_fen,
            refund_no=row.refund_no,
        )
    except ApiError as error:
        session.rollback()
        row = session.get(PaymentRefund, number)
        assert row is not None
        row.next_attempt_at = now + dt.timedelta(seconds=backoff(row.attempts))
        session.commit()
        log = logger.warning if error.code == UNAVAILABLE else logger.error
        log(
            event(
                "payment.refund_pending",
                reference=row.reference,
                code=error.code,
                attempt=row.attempts,
                retry_in_s=int(backoff(row.attempts)),
            )
        )
        return False
    row.status, row.done_at, row.next_attempt_at = "done", now, None
    session.commit()
    return True


def send_due(session: Session, provider: PaymentProvider, now: dt.datetime) -> int:
    """Send every owed refund whose attempt is due; how many the provider accepted."""
    numbers = session.scalars(
        select(PaymentRefund.refund_no)
        .where(PaymentRefund.status == "pending", PaymentRefund.next_attempt_at <= now)
        .order_by(PaymentRefund.created_at)
        .limit(100)
    ).all()
    return sum(send(session, provider, number, now) for number in numbers)
