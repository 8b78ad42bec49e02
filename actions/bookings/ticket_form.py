"""Time-slot ticket booking in conversation: ``ticket_booking_form`` and its actions.

Order of the questions (``bot/domain/bookings.yml``): attraction, date, time slot (from live
availability), tickets per category, one visitor at a time (name and ID card or passport), phone,
then a summary to confirm. ``action_start_ticket_booking`` takes whatever the first message already
says ("book two tickets to Dujiangyan for tomorrow morning"); ``validate_ticket_booking_form``
reads every later answer for the slot being asked, says what is wrong and keeps what was given,
and ends the form on "cancel"/"stop"; ``action_submit_ticket_booking`` holds the places
(``POST /api/bookings`` with an idempotency key derived from the conversation and the summary),
gives the payment link and clears the visitors' documents and the phone from the tracker.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bookings import texts
from actions.bookings.common import (
    OUTCOME,
    REQUESTED_SLOT,
    TICKET_SLOTS,
    BookingAction,
    attempt_of,
    clear,
    end_form,
    entity_value,
    idempotency_key,
    intent_of,
    language_of,
    log_failure,
    logger,
    platform_down,
    text_of,
    venue_name,
    wants_to_stop,
)
from actions.bookings.identity import Visitor, mask_phone, read_phone, read_visitor
from actions.bookings.understanding import (
    is_no,
    is_yes,
    part_of_day_of,
    read_choice,
    read_date,
    read_part_of_day,
    read_ticket_counts,
)
from actions.clients.platform_api import PlatformApiError
from bot.components.entities.dates import find_dates
from common.logsafe import event, pseudonym

MAX_TICKETS = 10
"""Tickets in one booking: each needs a named visitor, so a conversation keeps it small."""
CATEGORY_ORDER = ("adult", "concession", "senior", "child")


def _slot_label(slot: dict[str, Any]) -> str:
    return f"{slot.get('start', '?')}–{slot.get('end', '?')}"


def _prices_text(slot: dict[str, Any], lang: str) -> str:
    return ", ".join(
        f"{texts.category_name(str(p['category']), lang)} {texts.money(int(p['amount_fen']), lang)}"
        for p in slot.get("prices") or []
        if isinstance(p, dict) and "category" in p and "amount_fen" in p
    )


def _price_of(slot: dict[str, Any], category: str) -> int | None:
    for price in slot.get("prices") or []:
        if isinstance(price, dict) and price.get("category") == category:
            return int(price["amount_fen"])
    return None


def offered_slots(slots: list[dict[str, Any]], part_of_day: str | None) -> list[dict[str, Any]]:
    """The slots to offer: those in the part of the day asked for when there are any, else all."""
    ordered = sorted(slots, key=lambda s: str(s.get("start", "")))
    if part_of_day:
        matching = [
            s for s in ordered if part_of_day_of(str(s.get("start", "00:00"))) == part_of_day
        ]
        if matching:
            return matching
    return ordered


def ticket_list(tickets: dict[str, int]) -> list[str]:
    """One category per ticket, in the order visitors are asked for (adults first)."""
    return [c for c in CATEGORY_ORDER for _ in range(int(tickets.get(c, 0)))]


def tickets_text(tickets: dict[str, int], lang: str) -> str:
    """ "2 × adult, 1 × child"."""
    return ", ".join(
        f"{tickets[c]} × {texts.category_name(c, lang)}" for c in CATEGORY_ORDER if tickets.get(c)
    )


def total_fen(tickets: dict[str, int], slot: dict[str, Any]) -> int:
    """What the tickets cost at the slot's prices."""
    return sum((_price_of(slot, c) or 0) * n for c, n in tickets.items())


class ActionStartTicketBooking(BookingAction):
    """Starts a new ticket booking with what the first message already says."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_start_ticket_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Clears the previous booking's answers and pre-fills the attraction, date and tickets."""
        events: list[EventType] = [*clear(TICKET_SLOTS), SlotSet(OUTCOME, None)]
        text = text_of(tracker)
        attraction = entity_value(tracker, "attraction")
        if attraction:
            events.append(SlotSet("attraction", attraction))
        reading = read_date(text, language_of(tracker), self._today())
        venue = attraction or tracker.get_slot("attraction")
        if reading.date is not None and reading.date >= self._today():
            if not await self._day_explained(dispatcher, venue, reading.date, tracker):
                events.append(SlotSet("booking_date", reading.date.isoformat()))
        elif reading.date is not None:
            dispatcher.utter_message(
                response="utter_booking_date_past",
                date=texts.day(reading.date, language_of(tracker)),
            )
        if reading.part_of_day:
            events.append(SlotSet("booking_part_of_day", reading.part_of_day))
        tickets = read_ticket_counts(text)
        tickets = {("concession" if c == "student" else c): n for c, n in tickets.items()}
        if tickets and sum(tickets.values()) <= MAX_TICKETS:
            events.append(SlotSet("booking_tickets", tickets))
            events.append(SlotSet("booking_visitors", []))
        logger.info(event("booking.started", conversation=pseudonym(tracker.sender_id)))
        return events

    async def _day_explained(
        self, dispatcher: CollectingDispatcher, venue: object, day: dt.date, tracker: Tracker
    ) -> bool:
        """True (after saying why) when ``venue`` sells nothing on ``day``: closed, not released
        yet (e.g. 2099) or sold out; the form then asks for another day instead of offering an
        empty list. Unknown venue or unreachable platform: False (the form checks later)."""
        if not venue:
            return False
        try:
            slots = await self.client.venue_slots(str(venue), day)
        except PlatformApiError:
            return False
        problem = day_problem(slots)
        if problem is None:
            return False
        lang = language_of(tracker)
        dispatcher.utter_message(
            response=problem,
            venue=await venue_name(self.client, str(venue), lang),
            date=texts.day(day, lang),
        )
        return True


class ValidateTicketBookingForm(BookingAction):
    """Reads the answer to the question just asked; never lets the form guess."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "validate_ticket_booking_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Events for the requested slot (None plus a message when the answer is not usable)."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested:
            return []  # activation: action_start_ticket_booking checked what it set
        text = text_of(tracker)
        if wants_to_stop(tracker) and not (requested == "booking_confirmed" and is_yes(text)):
            return end_form("stopped")
        handler = getattr(self, f"_read_{requested}", None)
        if handler is None:
            return []
        try:
            events: list[EventType] = await handler(dispatcher, tracker, text, language_of(tracker))
            return events
        except PlatformApiError as error:
            log_failure("booking.platform_failed", tracker, error)
            return end_form("unavailable")

    async def _read_attraction(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        attraction = entity_value(tracker, "attraction")
        if not attraction:
            dispatcher.utter_message(response="utter_booking_attraction_unclear")
        return [SlotSet("attraction", attraction)]

    async def _read_booking_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        reading = read_date(text, lang, self._today())
        if reading.date is None:
            dispatcher.utter_message(response="utter_booking_date_unclear")
            return [SlotSet("booking_date", None)]
        if reading.date < self._today():
            dispatcher.utter_message(
                response="utter_booking_date_past", date=texts.day(reading.date, lang)
            )
            return [SlotSet("booking_date", None)]
        venue = str(tracker.get_slot("attraction"))
        slots = await self.client.venue_slots(venue, reading.date)
        problem = day_problem(slots)
        if problem:
            dispatcher.utter_message(
                response=problem,
                venue=await venue_name(self.client, venue, lang),
                date=texts.day(reading.date, lang),
            )
            return [SlotSet("booking_date", None)]
        return [
            SlotSet("booking_date", reading.date.isoformat()),
            SlotSet(
                "booking_part_of_day",
                reading.part_of_day or tracker.get_slot("booking_part_of_day"),
            ),
        ]

    async def _read_booking_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        venue = str(tracker.get_slot("attraction"))
        day = dt.date.fromisoformat(str(tracker.get_slot("booking_date")))
        slots = await self.client.venue_slots(venue, day)
        offered = offered_slots(slots, tracker.get_slot("booking_part_of_day"))
        chosen = pick_slot(text, offered, slots)
        if chosen is None:
            dispatcher.utter_message(response="utter_booking_slot_unclear")
            return [SlotSet("booking_slot", None)]
        remaining = int(chosen.get("remaining", 0))
        wanted = sum((tracker.get_slot("booking_tickets") or {}).values())
        if remaining <= 0:
            dispatcher.utter_message(
                response="utter_booking_slot_sold_out", slot=_slot_label(chosen)
            )
            return [SlotSet("booking_slot", None)]
        if wanted > remaining:
            dispatcher.utter_message(
                response="utter_booking_tickets_too_many",
                slot=_slot_label(chosen),
                remaining=remaining,
                count=wanted,
            )
            return [SlotSet("booking_slot", None)]
        info = {k: chosen.get(k) for k in ("start", "end", "remaining", "prices")}
        return [SlotSet("booking_slot", chosen.get("slot_id")), SlotSet("booking_slot_info", info)]

    async def _read_booking_tickets(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        slot = tracker.get_slot("booking_slot_info") or {}
        tickets = read_ticket_counts(text)
        tickets = {("concession" if c == "student" else c): n for c, n in tickets.items()}
        if not tickets:
            dispatcher.utter_message(response="utter_booking_tickets_unclear")
            return [SlotSet("booking_tickets", None)]
        missing = [c for c in tickets if _price_of(slot, c) is None]
        if missing:
            dispatcher.utter_message(
                response="utter_booking_category_unavailable",
                category=texts.category_name(missing[0], lang),
                prices=_prices_text(slot, lang),
            )
            return [SlotSet("booking_tickets", None)]
        count = sum(tickets.values())
        remaining = int(slot.get("remaining", 0))
        if count > min(remaining, MAX_TICKETS):
            dispatcher.utter_message(
                response="utter_booking_tickets_too_many",
                slot=_slot_label(slot),
                remaining=min(remaining, MAX_TICKETS),
                count=count,
            )
            return [SlotSet("booking_tickets", None)]
        return [SlotSet("booking_tickets", tickets), SlotSet("booking_visitors", [])]

    async def _read_booking_visitors_done(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        visitors: list[dict[str, str]] = list(tracker.get_slot("booking_visitors") or [])
        needed = ticket_list(tracker.get_slot("booking_tickets") or {})
        for line in [part for part in _split_visitors(text) if part.strip()]:
            if len(visitors) >= len(needed):
                break
            found = read_visitor(line)
            if not isinstance(found, Visitor):
                dispatcher.utter_message(
                    response=f"utter_booking_{found}", number=len(visitors) + 1
                )
                break
            if any(v["id_number"] == found.id_number for v in visitors):
                dispatcher.utter_message(response="utter_booking_duplicate_document")
                break
            visitors.append({"category": needed[len(visitors)], **found.as_json()})
            dispatcher.utter_message(
                response="utter_booking_visitor_saved",
                name=found.name,
                document=f"{texts.word(texts.DOCUMENT_NAMES[found.id_type], lang)} {found.masked()['id_number']}",
            )
        done = True if len(visitors) >= len(needed) else None
        return [SlotSet("booking_visitors", visitors), SlotSet("booking_visitors_done", done)]

    async def _read_booking_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        phone = read_phone(text)
        if phone is None:
            dispatcher.utter_message(response="utter_booking_bad_phone")
        return [SlotSet("booking_phone", phone)]

    async def _read_booking_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        if is_yes(text, intent_of(tracker)):
            return [SlotSet("booking_confirmed", True)]
        if is_no(text, intent_of(tracker)):
            return end_form("stopped")
        dispatcher.utter_message(response="utter_booking_confirm_unclear")
        return [SlotSet("booking_confirmed", None)]


def _split_visitors(text: str) -> list[str]:
    """Several visitors in one message, one a line (or separated by ";")."""
    return re.split(r"[\n;；]+", text)


def day_problem(slots: list[dict[str, Any]]) -> str | None:
    """Why no ticket can be had that day (closed / not released, or sold out), else None."""
    if not slots:
        return "utter_booking_closed_day"
    if all(int(s.get("remaining", 0)) <= 0 for s in slots):
        return "utter_booking_sold_out_day"
    return None


def pick_slot(
    text: str, offered: list[dict[str, Any]], every: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The slot a reply picks: its number in the offered list, its start time, or the only slot of
    the part of the day it names."""
    index = read_choice(text, len(offered))
    if index is not None:
        return offered[index - 1]
    times = [str(f.value) for f in find_dates(text, dt.date.today()) if f.entity == "time"]
    for value in times:
        for slot in every:
            if str(slot.get("start")) == value or (
                str(slot.get("start")) <= value < str(slot.get("end"))
            ):
                return slot
    part = read_part_of_day(text)
    if part:
        matching = [s for s in every if part_of_day_of(str(s.get("start", "00:00"))) == part]
        open_ones = [s for s in matching if int(s.get("remaining", 0)) > 0]
        if len(open_ones) == 1:
            return open_ones[0]
    return None


class ActionAskBookingSlot(BookingAction):
    """Offers the day's time slots from live availability, as buttons and numbered lines."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_booking_slot"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """One message listing the slots (remaining places, sold out marked)."""
        lang = language_of(tracker)
        venue = str(tracker.get_slot("attraction"))
        day = dt.date.fromisoformat(str(tracker.get_slot("booking_date")))
        try:
            slots = await self.client.venue_slots(venue, day)
        except PlatformApiError as error:
            log_failure("booking.platform_failed", tracker, error)
            dispatcher.utter_message(response="utter_booking_platform_down")
            return []
        offered = offered_slots(slots, tracker.get_slot("booking_part_of_day"))
        lines, buttons = [], []
        for number, slot in enumerate(offered, 1):
            remaining = int(slot.get("remaining", 0))
            state = (
                texts.word(texts.LEFT, lang).format(n=remaining)
                if remaining > 0
                else texts.word(texts.SOLD_OUT, lang)
            )
            lines.append(f"{number}. {_slot_label(slot)} ({state})")
            if remaining > 0:
                buttons.append({"title": f"{number}. {_slot_label(slot)}", "payload": str(number)})
        dispatcher.utter_message(
            response="utter_ask_booking_slot",
            buttons=buttons,
            venue=await venue_name(self.client, venue, lang),
            date=texts.day(day, lang),
            choices="\n".join(lines),
        )
        return []


class ActionAskBookingTickets(BookingAction):
    """Asks how many tickets of which kind, with the slot's prices."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_booking_tickets"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The question with the categories on sale and their prices."""
        slot = tracker.get_slot("booking_slot_info") or {}
        dispatcher.utter_message(
            response="utter_ask_booking_tickets",
            slot=_slot_label(slot),
            prices=_prices_text(slot, language_of(tracker)),
        )
        return []


class ActionAskBookingVisitors(BookingAction):
    """Asks for the next visitor's name and document ("visitor 2 of 3, child")."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_booking_visitors_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The question for the first visitor not given yet."""
        needed = ticket_list(tracker.get_slot("booking_tickets") or {})
        given = len(tracker.get_slot("booking_visitors") or [])
        number = min(given, max(len(needed) - 1, 0))
        category = needed[number] if needed else "adult"
        dispatcher.utter_message(
            response="utter_ask_booking_visitors_done",
            number=number + 1,
            total=len(needed),
            category=texts.category_name(category, language_of(tracker)),
        )
        return []


class ActionAskBookingConfirmed(BookingAction):
    """Shows the summary (documents and phone masked) and asks to confirm."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_booking_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The summary and the total price."""
        lang = language_of(tracker)
        slot = tracker.get_slot("booking_slot_info") or {}
        tickets = tracker.get_slot("booking_tickets") or {}
        visitors = tracker.get_slot("booking_visitors") or []
        venue = await venue_name(self.client, str(tracker.get_slot("attraction")), lang)
        people = "; ".join(
            f"{v['name']} ({texts.category_name(v['category'], lang)}, "
            f"{texts.word(texts.DOCUMENT_NAMES[v['id_type']], lang)} "
            f"{Visitor(v['name'], v['id_type'], v['id_number']).masked()['id_number']})"
            for v in visitors
        )
        day = dt.date.fromisoformat(str(tracker.get_slot("booking_date")))
        dispatcher.utter_message(
            response="utter_ask_booking_confirmed",
            buttons=[{"title": "✔", "payload": "yes"}, {"title": "✘", "payload": "no"}],
            venue=venue,
            date=texts.day(day, lang),
            slot=_slot_label(slot),
            tickets=tickets_text(tickets, lang),
            visitors=people,
            phone=mask_phone(str(tracker.get_slot("booking_phone") or "")),
            amount=texts.money(total_fen(tickets, slot), lang),
        )
        return []


class ActionSubmitTicketBooking(BookingAction):
    """Holds the places, gives the payment link, and forgets the documents and the phone."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_submit_ticket_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """``POST /api/bookings`` once per summary; every outcome is said in the tourist's language."""
        lang = language_of(tracker)
        forget = [*clear(TICKET_SLOTS), SlotSet(OUTCOME, None)]
        outcome = tracker.get_slot(OUTCOME)
        if outcome == "unavailable":
            dispatcher.utter_message(response="utter_booking_platform_down")
            return forget
        if outcome == "stopped" or not tracker.get_slot("booking_confirmed"):
            dispatcher.utter_message(response="utter_booking_stopped")
            return forget
        body = ticket_request(tracker, lang)
        slot = tracker.get_slot("booking_slot_info") or {}
        try:
            key = idempotency_key(
                tracker.sender_id, body, attempt_of(tracker, "action_start_ticket_booking")
            )
            booking = await self.client.create_booking(body, idempotency_key=key)
        except PlatformApiError as error:
            log_failure("booking.create_failed", tracker, error)
            if error.code == "sold_out":
                dispatcher.utter_message(response="utter_booking_sold_out", slot=_slot_label(slot))
            elif platform_down(error):
                dispatcher.utter_message(response="utter_booking_platform_down")
            else:
                dispatcher.utter_message(response="utter_booking_refused")
            return forget
        reference = str(booking["reference"])
        expires = texts.parse_time(str(booking.get("expires_at") or ""))
        dispatcher.utter_message(
            response="utter_booking_held",
            reference=reference,
            amount=texts.money(int(booking.get("amount_fen") or 0), lang),
            expires=texts.moment(expires, lang) if expires else "-",
            pay_url=str(booking.get("pay_url") or ""),
        )
        logger.info(
            event("booking.held", reference=reference, conversation=pseudonym(tracker.sender_id))
        )
        last = {"reference": reference, "phone": mask_phone(body["phone"]), "status": "held"}
        return [*forget, SlotSet("last_booking", last)]


def ticket_request(tracker: Tracker, lang: str) -> dict[str, Any]:
    """The ``POST /api/bookings`` body from the form's slots."""
    visitors = tracker.get_slot("booking_visitors") or []
    return {
        "venue_id": tracker.get_slot("attraction"),
        "slot_id": tracker.get_slot("booking_slot"),
        "tickets": [
            {
                "category": v["category"],
                "visitor": {
                    "name": v["name"],
                    "id_type": v["id_type"],
                    "id_number": v["id_number"],
                },
            }
            for v in visitors
        ],
        "phone": str(tracker.get_slot("booking_phone") or ""),
        "language": lang,
        "channel": tracker.get_latest_input_channel() or "unknown",
        "user_id": tracker.sender_id,
    }
