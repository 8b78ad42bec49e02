"""Checking and cancelling a booking in conversation: ``booking_lookup_form`` and
``booking_cancel_form``.

A booking is shown only to whoever gives its reference and the phone it was made with (checked
with ``GET /api/bookings?phone=``), or in the conversation that made it. Cancelling states the
refund the venue's rule gives now (``cancel_refund_fen``) before the tourist confirms. The phone
is cleared from the tracker as soon as it has been checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bookings import texts
from actions.bookings.common import (
    LOOKUP_SLOTS,
    OUTCOME,
    REQUESTED_SLOT,
    BookingAction,
    clear,
    end_form,
    intent_of,
    language_of,
    log_failure,
    logger,
    platform_down,
    read_reference,
    text_of,
    venue_name,
    wants_to_stop,
)
from actions.bookings.identity import read_phone
from actions.bookings.understanding import is_no, is_yes
from actions.clients.platform_api import PlatformApiClient, PlatformApiError
from common.logsafe import event, pseudonym

SESSION_CHECKED = "conversation"
"""``booking_check_phone`` value when the booking was made in this very conversation."""


def _last_reference(tracker: Tracker) -> str | None:
    last = tracker.get_slot("last_booking") or {}
    return str(last["reference"]) if isinstance(last, dict) and last.get("reference") else None


class ActionStartBookingLookup(BookingAction):
    """Starts checking (or cancelling) a booking with the reference in the message, or the one
    this conversation made."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_start_booking_lookup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Pre-fills the reference (and skips the phone for this conversation's own booking)."""
        events: list[EventType] = [*clear(LOOKUP_SLOTS), SlotSet(OUTCOME, None)]
        reference = read_reference(text_of(tracker))
        own = _last_reference(tracker)
        if reference is None and own is not None:
            reference = own
        if reference is not None:
            events.append(SlotSet("booking_ref", reference))
            if reference == own:
                events.append(SlotSet("booking_check_phone", SESSION_CHECKED))
        return events


class ActionStartBookingCancel(ActionStartBookingLookup):
    """The same start for cancelling."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_start_booking_cancel"


async def find_booking(
    client: PlatformApiClient, reference: str, phone: str
) -> dict[str, Any] | None:
    """The booking when ``phone`` made it (or the conversation did), else None."""
    if phone == SESSION_CHECKED:
        return await client.get_booking(reference)
    for booking in await client.bookings_for_phone(phone):
        if booking.get("reference") == reference:
            return booking
    return None


class ValidateBookingLookupForm(BookingAction):
    """Reads the reference, the phone (checked against the booking) and the cancel confirmation."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "validate_booking_lookup_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Events for the requested slot."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested:
            return []
        text = text_of(tracker)
        if requested == "cancel_confirmed":
            if is_yes(text, intent_of(tracker)):
                return [SlotSet("cancel_confirmed", True)]
            if is_no(text, intent_of(tracker)) or wants_to_stop(tracker):
                return end_form("kept")
            dispatcher.utter_message(response="utter_booking_confirm_unclear")
            return [SlotSet("cancel_confirmed", None)]
        if wants_to_stop(tracker):
            return end_form("stopped")
        if requested == "booking_ref":
            reference = read_reference(text)
            if reference is None:
                dispatcher.utter_message(response="utter_booking_ref_unclear")
            return [SlotSet("booking_ref", reference)]
        if requested == "booking_check_phone":
            phone = read_phone(text)
            if phone is None:
                dispatcher.utter_message(response="utter_booking_bad_phone")
                return [SlotSet("booking_check_phone", None)]
            try:
                booking = await find_booking(
                    self.client, str(tracker.get_slot("booking_ref")), phone
                )
            except PlatformApiError as error:
                log_failure("booking.lookup_failed", tracker, error)
                return end_form("unavailable")
            if booking is None:
                dispatcher.utter_message(
                    response="utter_booking_not_found", reference=tracker.get_slot("booking_ref")
                )
                return [SlotSet("booking_ref", None), SlotSet("booking_check_phone", None)]
            return [SlotSet("booking_check_phone", phone)]
        return []


class ValidateBookingCancelForm(ValidateBookingLookupForm):
    """The same reading for the cancel form."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "validate_booking_cancel_form"


async def describe(client: PlatformApiClient, booking: dict[str, Any], lang: str) -> dict[str, str]:
    """The pieces every booking message uses, in the tourist's language."""
    when = ""
    if booking.get("date"):
        when = texts.day(dt.date.fromisoformat(str(booking["date"])), lang)
        if booking.get("start"):
            when += f" {booking['start']}–{booking.get('end') or ''}"
    elif booking.get("check_in"):
        when = f"{booking['check_in']} → {booking.get('check_out') or ''}"
    expires = texts.parse_time(str(booking.get("expires_at") or ""))
    return {
        "reference": str(booking["reference"]),
        "venue": await _venue(client, booking, lang),
        "when": when,
        "amount": texts.money(int(booking.get("amount_fen") or 0), lang),
        "refund": texts.money(int(booking.get("refund_fen") or 0), lang),
        "expires": texts.moment(expires, lang) if expires else "-",
        "pay_url": str(booking.get("pay_url") or ""),
        "status": texts.status_name(str(booking.get("status") or ""), lang),
    }


async def _venue(client: PlatformApiClient, booking: dict[str, Any], lang: str) -> str:
    venue_id = str(booking.get("venue_id") or "")
    if venue_id and booking.get("kind", "ticket") == "ticket":
        return await venue_name(client, venue_id, lang)
    return str(booking.get("venue_name") or venue_id)


class ActionShowBooking(BookingAction):
    """Says the booking's state: waiting for payment (with the link), confirmed, cancelled, expired."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_show_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """One message for the booking; the phone is forgotten afterwards."""
        forget = [*clear(LOOKUP_SLOTS), SlotSet(OUTCOME, None)]
        if not _answered(dispatcher, tracker):
            return forget
        reference = str(tracker.get_slot("booking_ref"))
        try:
            booking = await self.client.get_booking(reference)
        except PlatformApiError as error:
            log_failure("booking.lookup_failed", tracker, error)
            dispatcher.utter_message(response="utter_booking_platform_down")
            return forget
        if booking is None:
            dispatcher.utter_message(response="utter_booking_not_found", reference=reference)
            return forget
        details = await describe(self.client, booking, language_of(tracker))
        status = str(booking.get("status") or "")
        response = (
            f"utter_booking_status_{status}"
            if status in ("held", "confirmed", "cancelled", "expired")
            else "utter_booking_status_other"
        )
        dispatcher.utter_message(response=response, **details)
        events = forget
        if reference == _last_reference(tracker):
            last = dict(tracker.get_slot("last_booking") or {})
            events = [*forget, SlotSet("last_booking", {**last, "status": status})]
        return events


def _answered(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """False (after saying why) when the form ended without a checked reference."""
    outcome = tracker.get_slot(OUTCOME)
    if outcome == "done":
        return False  # the form already said why
    if outcome == "unavailable":
        dispatcher.utter_message(response="utter_booking_platform_down")
        return False
    if outcome == "kept":
        dispatcher.utter_message(
            response="utter_booking_kept", reference=tracker.get_slot("booking_ref") or ""
        )
        return False
    if outcome == "stopped" or not tracker.get_slot("booking_check_phone"):
        dispatcher.utter_message(response="utter_booking_lookup_stopped")
        return False
    return True


class ActionAskCancelConfirmed(BookingAction):
    """States the refund a cancellation gives now, and asks to confirm."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_cancel_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The booking, the refund, and the question; or why it cannot be cancelled."""
        lang = language_of(tracker)
        reference = str(tracker.get_slot("booking_ref"))
        try:
            booking = await self.client.get_booking(reference)
        except PlatformApiError as error:
            log_failure("booking.lookup_failed", tracker, error)
            return end_form("unavailable")
        if booking is None:
            dispatcher.utter_message(response="utter_booking_not_found", reference=reference)
            return end_form("done")
        details = await describe(self.client, booking, lang)
        refund = booking.get("cancel_refund_fen")
        if refund is None:
            dispatcher.utter_message(response="utter_booking_cannot_cancel", **details)
            return end_form("done")
        if booking.get("status") == "held":
            refund_text = "utter_cancel_refund_unpaid"
        elif int(refund) >= int(booking.get("amount_fen") or 0):
            refund_text = "utter_cancel_refund_full"
        elif int(refund) > 0:
            refund_text = "utter_cancel_refund_partial"
        else:
            refund_text = "utter_cancel_refund_none"
        dispatcher.utter_message(response=refund_text, refund=texts.money(int(refund), lang))
        dispatcher.utter_message(
            response="utter_ask_cancel_confirmed",
            buttons=[{"title": "✔", "payload": "yes"}, {"title": "✘", "payload": "no"}],
            **{**details, "refund": texts.money(int(refund), lang)},
        )
        return []


class ActionCancelBooking(BookingAction):
    """Cancels once the tourist confirmed, and says the refund."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_cancel_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """``POST /api/bookings/{reference}/cancel``; the phone is forgotten afterwards."""
        forget = [*clear(LOOKUP_SLOTS), SlotSet(OUTCOME, None)]
        if not _answered(dispatcher, tracker):
            return forget
        if not tracker.get_slot("cancel_confirmed"):
            dispatcher.utter_message(
                response="utter_booking_kept", reference=tracker.get_slot("booking_ref") or ""
            )
            return forget
        reference = str(tracker.get_slot("booking_ref"))
        try:
            booking = await self.client.cancel_booking(reference)
        except PlatformApiError as error:
            log_failure("booking.cancel_failed", tracker, error)
            if platform_down(error):
                dispatcher.utter_message(response="utter_booking_platform_down")
            else:
                dispatcher.utter_message(
                    response="utter_booking_cannot_cancel", reference=reference, status=""
                )
            return forget
        details = await describe(self.client, booking, language_of(tracker))
        dispatcher.utter_message(response="utter_booking_cancelled", **details)
        logger.info(
            event(
                "booking.cancelled", reference=reference, conversation=pseudonym(tracker.sender_id)
            )
        )
        events = forget
        if reference == _last_reference(tracker):
            last = dict(tracker.get_slot("last_booking") or {})
            events = [*forget, SlotSet("last_booking", {**last, "status": "cancelled"})]
        return events
