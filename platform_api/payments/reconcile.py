"""Reconciliation: ask the provider about holds whose "paid" notification has not arrived.

A provider's notification can be lost (it gives up after its retries, or the platform was down
the whole time). WeChat Pay's advice is to query the order; :func:`reconcile_due` does that for
every hold older than ``PLATFORM_PAYMENT_RECONCILE_AFTER_SECONDS`` and every recently expired
booking without a payment, and applies a paid order exactly like its notification
(:func:`platform_api.payments.service.apply_notification`, at most once per transaction).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from common.logsafe import event
from platform_api.bookings.errors import ApiError
from platform_api.bookings.models import Booking, BookingStatus
from platform_api.bookings.service import BookingContext
from platform_api.payments.models import Payment
from platform_api.payments.provider import PaymentNotification
from platform_api.payments.service import apply_notification

logger = logging.getLogger("platform_api.payments")

PAID = frozenset({"SUCCESS", "REFUND"})
EXPIRED_LOOKBACK = dt.timedelta(hours=1)
"""An expired booking is still asked about this long (paid just before its hold ran out)."""
BATCH = 100


def due_references(session: Session, now: dt.datetime, after_seconds: float) -> list[str]:
    """Holds older than ``after_seconds`` and unpaid bookings expired within the lookback."""
    unpaid = ~exists().where(Payment.booking_id == Booking.id)
    return list(
        session.scalars(
            select(Booking.reference)
            .where(
                or_(
                    and_(
                        Booking.status == BookingStatus.HELD,
                        Booking.created_at <= now - dt.timedelta(seconds=after_seconds),
                    ),
                    and_(
                        Booking.status == BookingStatus.EXPIRED,
                        Booking.closed_at >= now - EXPIRED_LOOKBACK,
                        unpaid,
                    ),
                )
            )
            .order_by(Booking.created_at)
            .limit(BATCH)
        ).all()
    )


def reconcile_due(
    session: Session, ctx: BookingContext, now: dt.datetime, after_seconds: float
) -> int:
    """Query the provider for silent orders; how many bookings a paid order confirmed.

    Stops at the first 503 ``payment_unavailable`` (the next sweep asks again).
    """
    confirmed = 0
    for reference in due_references(session, now, after_seconds):
        try:
            state = ctx.provider.query(session, reference)
        except ApiError as error:
            logger.warning(event("payment.reconcile_failed", reference=reference, code=error.code))
            session.rollback()
            break
        if state is None or state.status not in PAID or not state.transaction_id:
            continue
        note = PaymentNotification(
            reference=reference,
            amount_fen=state.amount_fen,
            transaction_id=state.transaction_id,
            paid_at=state.paid_at or now,
        )
        try:
            outcome = apply_notification(session, ctx, note, now)
        except ApiError as error:  # amount or transaction mismatch: needs a person
            session.rollback()
            logger.error(event("payment.reconcile_refused", reference=reference, code=error.code))
            continue
        logger.info(event("payment.reconciled", reference=reference, outcome=outcome))
        confirmed += outcome == "confirmed"
    return confirmed
