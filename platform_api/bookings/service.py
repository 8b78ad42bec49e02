"""Booking life cycle after the hold: lookup, lazy and swept expiry, cancellation and refunds.

Every state change is a conditional ``UPDATE booking ... WHERE status = <expected>``, so a payment
notification, a cancellation and the expiry sweep racing for the same booking cannot both win.
Places come back exactly once: with the change that ends a hold (cancel or expiry) or a
confirmed booking (cancel). Holds are made by :mod:`platform_api.bookings.holds`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from common.logsafe import event
from platform_api.bookings import inventory
from platform_api.bookings.config import BookingSettings
from platform_api.bookings.errors import ApiError
from platform_api.bookings.identity import normalise_phone
from platform_api.bookings.models import Booking, BookingKind, BookingStatus
from platform_api.partners.models import Venue
from platform_api.payments import refunds
from platform_api.payments.models import Payment
from platform_api.payments.provider import PaymentProvider

logger = logging.getLogger("platform_api.bookings")


@dataclass(frozen=True)
class BookingContext:
    """What the booking functions need besides the session."""

    provider: PaymentProvider
    settings: BookingSettings


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


def phone_or_422(value: str) -> str:
    """E.164 form of ``value``; 422 ``invalid_phone`` when it is not a valid number."""
    try:
        return normalise_phone(value)
    except ValueError as error:
        raise ApiError(422, "invalid_phone", f"phone: {error}") from None


def release_places(session: Session, booking: Booking) -> None:
    """Give the booking's places back (inside the caller's transaction)."""
    if booking.kind == BookingKind.TICKET and booking.slot_id is not None:
        inventory.release_slot(session, booking.slot_id, booking.quantity)
    elif booking.room_type_id is not None and booking.check_in and booking.check_out:
        inventory.release_nights(
            session, booking.room_type_id, booking.check_in, booking.check_out, booking.quantity
        )


def retake_places(session: Session, booking: Booking) -> bool:
    """Take the booking's places again (a payment made in time for an expired hold)."""
    if booking.kind == BookingKind.TICKET and booking.slot_id is not None:
        return inventory.reserve_slot(session, booking.slot_id, booking.quantity)
    if booking.room_type_id is not None and booking.check_in and booking.check_out:
        return inventory.reserve_nights(
            session, booking.room_type_id, booking.check_in, booking.check_out, booking.quantity
        )
    return False


def transition(
    session: Session,
    booking_id: int,
    expected: BookingStatus,
    new: BookingStatus,
    now: dt.datetime,
    *extra_conditions: Any,
    **values: Any,
) -> bool:
    """``UPDATE booking SET status = new ... WHERE id = ? AND status = expected``; True if it won."""
    statement = (
        update(Booking)
        .where(Booking.id == booking_id, Booking.status == expected, *extra_conditions)
        .values(status=new, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(session.execute(statement)) == 1


def expire_booking(
    session: Session, ctx: BookingContext, booking: Booking, now: dt.datetime
) -> bool:
    """Expire one due hold: status, places back, provider order closed; commits. True if it did."""
    won = transition(
        session,
        booking.id,
        BookingStatus.HELD,
        BookingStatus.EXPIRED,
        now,
        Booking.expires_at <= now,
        closed_at=now,
    )
    if not won:
        session.rollback()
        return False
    release_places(session, booking)
    ctx.provider.close_order(session, booking.reference)
    session.commit()
    logger.info(event("booking.expired", reference=booking.reference))
    return True


def expire_due(
    session: Session,
    ctx: BookingContext,
    now: dt.datetime,
    *,
    slot_id: int | None = None,
    room_type_id: int | None = None,
    limit: int = 500,
) -> int:
    """Expire unpaid holds whose time is up (all, or one slot's / room type's); returns how many."""
    query = select(Booking).where(Booking.status == BookingStatus.HELD, Booking.expires_at <= now)
    if slot_id is not None:
        query = query.where(Booking.slot_id == slot_id)
    if room_type_id is not None:
        query = query.where(Booking.room_type_id == room_type_id)
    due = list(session.scalars(query.order_by(Booking.expires_at).limit(limit)))
    session.rollback()  # end the read before the writes (SQLite takes the write lock per UPDATE)
    return sum(expire_booking(session, ctx, booking, now) for booking in due)


def refresh_status(
    session: Session, ctx: BookingContext, booking: Booking, now: dt.datetime
) -> Booking:
    """Expire the booking if its hold is due (lazy expiry), then reload it."""
    if booking.status == BookingStatus.HELD and booking.expires_at <= now:
        expire_booking(session, ctx, booking, now)
        session.refresh(booking)  # committed (or rolled back) by another writer: reload
    return booking


def get_booking(session: Session, ctx: BookingContext, reference: str, now: dt.datetime) -> Booking:
    """The booking (lazily expired); 404 ``unknown_booking``."""
    booking = session.scalar(select(Booking).where(Booking.reference == reference))
    if booking is None:
        raise ApiError(404, "unknown_booking", "no booking with this reference")
    return refresh_status(session, ctx, booking, now)


def list_by_phone(
    session: Session, ctx: BookingContext, phone: str, now: dt.datetime, limit: int = 50
) -> list[Booking]:
    """A phone's bookings, newest first (lazily expired)."""
    normalised = phone_or_422(phone)
    rows = list(
        session.scalars(
            select(Booking)
            .where(Booking.phone == normalised)
            .order_by(Booking.created_at.desc(), Booking.id.desc())
            .limit(limit)
        )
    )
    return [refresh_status(session, ctx, booking, now) for booking in rows]


def refund_quote(session: Session, booking: Booking, now: dt.datetime) -> int | None:
    """What cancelling now would refund under the venue's rule; None when it cannot be cancelled.

    Held: 0 (nothing was paid). Confirmed: the full amount when at least ``refund_cutoff_hours``
    before the visit starts, else ``refund_late_percent`` of it (rounded down to the fen).
    """
    if booking.status == BookingStatus.HELD:
        return 0
    if booking.status != BookingStatus.CONFIRMED:
        return None
    venue = session.get(Venue, booking.venue_id)
    cutoff = dt.timedelta(hours=venue.refund_cutoff_hours if venue else 0)
    if now <= booking.visit_start - cutoff:
        return booking.amount_fen
    percent = venue.refund_late_percent if venue else 0
    return booking.amount_fen * percent // 100


def cancel_booking(
    session: Session, ctx: BookingContext, reference: str, now: dt.datetime
) -> Booking:
    """Cancel a held or confirmed booking; places come back and the refund follows the venue's rule.

    Cancelling a cancelled booking answers the same result again (no second refund); an expired
    one is 409 ``not_cancellable``.
    """
    booking = get_booking(session, ctx, reference, now)
    if booking.status == BookingStatus.CANCELLED:
        return booking
    refund = refund_quote(session, booking, now)
    if refund is None:
        raise ApiError(409, "not_cancellable", f"this booking is {booking.status.value}")
    expected = booking.status
    won = transition(
        session,
        booking.id,
        expected,
        BookingStatus.CANCELLED,
        now,
        closed_at=now,
        refund_fen=refund,
    )
    if not won:  # paid, expired or cancelled meanwhile: decide again on the new state
        session.rollback()
        return cancel_booking(session, ctx, reference, now)
    release_places(session, booking)
    owed = None
    if expected == BookingStatus.HELD:
        ctx.provider.close_order(session, booking.reference)
    elif booking.transaction_id:
        payment = session.scalar(
            select(Payment).where(
                Payment.booking_id == booking.id, Payment.transaction_id == booking.transaction_id
            )
        )
        if payment is not None:
            payment.refund_fen += refund
        owed = refunds.owe(
            session,
            reference=booking.reference,
            transaction_id=booking.transaction_id,
            amount_fen=refund,
            now=now,
        )
    session.commit()
    if owed is not None:  # recorded above: a provider that is down only delays it (sweep)
        refunds.send(session, ctx.provider, owed, now)
    session.refresh(booking)
    logger.info(event("booking.cancelled", reference=reference, refund_fen=refund))
    return booking
