"""``action_show_my_records``: after ``identity_form``, the bookings and complaints filed with the
verified number on every channel (reference, venue or category, date, status), in the tourist's
language; or why there is nothing to show. The flow's slots are cleared whatever happened."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bookings import texts as booking_texts
from actions.bookings.common import BookingAction, language_of, log_failure, venue_name
from actions.clients.platform_api import PlatformApiClient, PlatformApiError
from actions.complaints.texts import category_label, local_date, response_text
from actions.identity.form import CODE, MARK, OUTCOME, VERIFIED, forget

MAX_LISTED = 10
"""Records of each kind listed in one message; the rest are counted."""
SEPARATOR = " · "


def _day(value: Any) -> dt.date | None:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(booking_texts.CHINA).date()


def _date_text(value: Any, lang: str) -> str:
    day = _day(value)
    return local_date(day, lang) if day else "-"


async def booking_lines(
    client: PlatformApiClient, bookings: list[dict[str, Any]], lang: str
) -> list[str]:
    """``BK-… · Dujiangyan · 8 December 2026 · waiting for payment`` per booking."""
    names: dict[str, str] = {}
    lines = []
    for booking in bookings:
        venue = str(booking.get("venue_id") or "-")
        if venue not in names:
            names[venue] = await venue_name(client, venue, lang)
        status = booking_texts.status_name(str(booking.get("status") or ""), lang)
        lines.append(
            SEPARATOR.join(
                (
                    str(booking.get("reference")),
                    names[venue],
                    _date_text(booking.get("visit_start"), lang),
                    status,
                )
            )
        )
    return lines


def complaint_lines(
    domain: dict[str, Any], complaints: list[dict[str, Any]], lang: str
) -> list[str]:
    """``TS-… · Overcharging · 7 December 2026 · being handled`` per complaint."""
    lines = []
    for complaint in complaints:
        status = str(complaint.get("status") or "")
        status_key = f"utter_identity_complaint_status_{status}"
        status_text = response_text(domain, status_key, lang)
        lines.append(
            SEPARATOR.join(
                (
                    str(complaint.get("reference")),
                    category_label(domain, str(complaint.get("category") or "other"), lang),
                    _date_text(complaint.get("created_at"), lang),
                    status if status_text == status_key else status_text,
                )
            )
        )
    return lines


def _block(domain: dict[str, Any], lines: list[str], lang: str) -> str:
    if not lines:
        return response_text(domain, "utter_identity_none", lang)
    shown = [f"• {line}" for line in lines[:MAX_LISTED]]
    if len(lines) > MAX_LISTED:
        more = response_text(domain, "utter_identity_more", lang)
        shown.append(more.replace("{count}", str(len(lines) - MAX_LISTED)))
    return "\n".join(shown)


class ActionShowMyRecords(BookingAction):
    """Lists the verified number's records from every channel, or says why it cannot."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_show_my_records"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """One message with both lists; the flow's slots are forgotten afterwards."""
        cleared = forget()
        outcome = tracker.get_slot(OUTCOME)
        if outcome == "stopped":
            dispatcher.utter_message(response="utter_identity_stopped")
            return cleared
        if outcome == "unavailable":
            dispatcher.utter_message(response="utter_identity_unavailable")
            return cleared
        if outcome or tracker.get_slot(CODE) != MARK:
            return cleared  # the form already said why (refused), or nothing was verified
        try:
            records = await self.client.identity_records(tracker.sender_id)
        except PlatformApiError as error:
            log_failure("identity.records_failed", tracker, error)
            dispatcher.utter_message(response="utter_identity_unavailable")
            return cleared
        if records is None:
            dispatcher.utter_message(response="utter_identity_not_verified")
            return [*cleared, SlotSet(VERIFIED, None)]
        lang = language_of(tracker)
        bookings = await booking_lines(self.client, list(records.get("bookings") or []), lang)
        complaints = complaint_lines(domain or {}, list(records.get("complaints") or []), lang)
        dispatcher.utter_message(
            response="utter_identity_records",
            phone=str(records.get("phone_masked") or ""),
            bookings=_block(domain or {}, bookings, lang),
            complaints=_block(domain or {}, complaints, lang),
        )
        return cleared
