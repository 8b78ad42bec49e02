"""What a verified payment notification does to a booking — at most once per transaction.

Cases (the notification's signature was already checked by the provider):

* unknown reference → 404 ``unknown_booking``; amount different from the booking's → 409
  ``amount_mismatch``. Nothing changes, so the provider keeps retrying (a real mismatch needs a
  person).
* the transaction was already recorded (replay, duplicate delivery, retry after a lost answer) →
  absorbed: 200 with the first outcome, nothing more happens.
* booking held → confirmed (``confirmed``).
* booking expired, but paid before the hold ran out (a late notification) → the places are taken
  again if they are still free and the booking is confirmed; otherwise refunded
  (``refunded_late``).
* booking cancelled, or expired and paid after its hold → the payment is refunded in full
  (``refunded_late``); the booking stays as it is.
* booking already confirmed by another transaction (the tourist paid twice) → the second
  payment is refunded in full (``refunded_duplicate``).

The ledger row (``payment``, unique per provider and transaction) is written in the same
transaction as the booking change, so two deliveries racing each other cannot both count. A
refund is owed in that transaction too and sent after it (:mod:`platform_api.payments.refunds`):
a provider that is down then only delays it.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.logsafe import event
from platform_api.bookings.errors import ApiError
from platform_api.bookings.models import Booking, BookingStatus
from platform_api.bookings.service import BookingContext, refresh_status, retake_places, transition
from platform_api.payments import refunds
from platform_api.payments.models import Payment
from platform_api.payments.provider import PaymentNotification

logger = logging.getLogger("platform_api.payments")


def _recorded(session: Session, provider: str, transaction_id: str) -> Payment | None:
    return session.scalar(
        select(Payment).where(
            Payment.provider == provider, Payment.transaction_id == transaction_id
        )
    )


def apply_notification(
    session: Session, ctx: BookingContext, note: PaymentNotification, now: dt.datetime
) -> str:
    """Apply a verified notification; returns the outcome (see the module docstring)."""
    provider = ctx.provider.name
    booking = session.scalar(select(Booking).where(Booking.reference == note.reference))
    if booking is None:
        raise ApiError(404, "unknown_booking", "no booking with this reference")
    if note.amount_fen != booking.amount_fen:
        raise ApiError(409, "amount_mismatch", "the amount does not match the booking")
    previous = _recorded(session, provider, note.transaction_id)
    if previous is not None:
        if previous.booking_id != booking.id:
            raise ApiError(409, "transaction_mismatch", "this transaction paid another booking")
        return previous.outcome
    booking = refresh_status(session, ctx, booking, now)
    outcome = _decide(session, ctx, booking, note, now)
    session.add(
        Payment(
            booking_id=booking.id,
            provider=provider,
            transaction_id=note.transaction_id,
            amount_fen=note.amount_fen,
            refund_fen=0 if outcome == "confirmed" else note.amount_fen,
            outcome=outcome,
            paid_at=note.paid_at,
            created_at=now,
        )
    )
    owed = None
    if outcome != "confirmed":
        owed = refunds.owe(
            session,
            reference=booking.reference,
            transaction_id=note.transaction_id,
            amount_fen=note.amount_fen,
            now=now,
        )
    try:
        session.commit()
    except IntegrityError:  # the same transaction was recorded concurrently: absorb
        session.rollback()
        recorded = _recorded(session, provider, note.transaction_id)
        if recorded is None:  # pragma: no cover - the conflict means the row exists
            raise
        return recorded.outcome
    logger.info(event("payment.notified", reference=booking.reference, outcome=outcome))
    if owed is not None:
        refunds.send(session, ctx.provider, owed, now)
    return outcome


def _decide(
    session: Session,
    ctx: BookingContext,
    booking: Booking,
    note: PaymentNotification,
    now: dt.datetime,
) -> str:
    """Change the booking for this payment (uncommitted) and name the outcome."""
    values = {"paid_at": note.paid_at, "transaction_id": note.transaction_id}
    if booking.status == BookingStatus.HELD:
        if transition(
            session, booking.id, BookingStatus.HELD, BookingStatus.CONFIRMED, now, **values
        ):
            return "confirmed"
        session.rollback()
        booking = refresh_status(session, ctx, booking, now)
    if booking.status == BookingStatus.EXPIRED and note.paid_at <= booking.expires_at:
        if transition(
            session,
            booking.id,
            BookingStatus.EXPIRED,
            BookingStatus.CONFIRMED,
            now,
            closed_at=None,
            **values,
        ):
            if retake_places(session, booking):
                return "confirmed"
            session.rollback()
            session.refresh(booking)
    if booking.status == BookingStatus.CONFIRMED and booking.transaction_id == note.transaction_id:
        return "confirmed"  # pragma: no cover - recorded with the ledger row, caught above
    if booking.status == BookingStatus.CONFIRMED:
        return "refunded_duplicate"
    return "refunded_late"
