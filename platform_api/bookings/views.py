"""ORM bookings → response bodies (personal numbers masked)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from platform_api.bookings.identity import mask_id, mask_phone
from platform_api.bookings.models import Booking, BookingKind, BookingStatus
from platform_api.bookings.schemas import BookingPublic, TicketPublic, VisitorPublic
from platform_api.bookings.service import BookingContext, refund_quote
from platform_api.partners.models import RoomType, TimeSlot, Venue


def booking_public(
    session: Session, ctx: BookingContext, booking: Booking, now: dt.datetime
) -> BookingPublic:
    """The booking as responses show it."""
    venue = session.get(Venue, booking.venue_id)
    held = booking.status == BookingStatus.HELD
    public = BookingPublic(
        reference=booking.reference,
        kind=booking.kind.value,
        status=booking.status.value,
        venue_id=booking.venue_id,
        venue_name=venue.name if venue else booking.venue_id,
        amount_fen=booking.amount_fen,
        refund_fen=booking.refund_fen,
        cancel_refund_fen=refund_quote(session, booking, now),
        pay_url=ctx.provider.pay_url(booking.reference) if held else None,
        expires_at=booking.expires_at if held else None,
        phone=mask_phone(booking.phone),
        language=booking.language,
        channel=booking.channel,
        created_at=booking.created_at,
        paid_at=booking.paid_at,
    )
    visitors = [
        VisitorPublic(name=v.name, id_type=v.id_type, id_number=mask_id(v.id_number))
        for v in booking.visitors
    ]
    if booking.kind == BookingKind.TICKET and booking.slot_id is not None:
        slot = session.get(TimeSlot, booking.slot_id)
        if slot is not None:
            public.date, public.start, public.end = slot.day, slot.start, slot.end
        public.tickets = [
            TicketPublic(category=v.category, amount_fen=v.amount_fen, visitor=visitor)
            for v, visitor in zip(booking.visitors, visitors, strict=True)
        ]
    else:
        room = session.get(RoomType, booking.room_type_id) if booking.room_type_id else None
        public.check_in, public.check_out = booking.check_in, booking.check_out
        public.room_type = room.code if room else None
        public.rooms = booking.quantity
        public.guests = visitors
    return public
