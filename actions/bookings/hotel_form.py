"""Hotel booking in conversation: ``hotel_booking_form`` and its actions.

Questions: where (a city, or near an attraction), check-in, check-out (a date or "3 nights"),
guests, then a numbered choice of the hotels and room types free for every night (``GET
/api/hotels``), the guest checking in (name and document), the phone, and a summary to confirm.
``action_submit_hotel_booking`` holds the rooms (``POST /api/hotel-bookings``, idempotent like
tickets) and gives the payment link; documents and the phone are then cleared.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bookings import texts
from actions.bookings.common import (
    HOTEL_SLOTS,
    OUTCOME,
    REQUESTED_SLOT,
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
    CN_NUMBER,
    is_no,
    is_yes,
    number_value,
    read_choice,
    read_count,
    read_date,
)
from actions.clients.platform_api import PlatformApiClient, PlatformApiError
from common.logsafe import event, pseudonym
from knowledge_base.itinerary import find_city

MAX_NIGHTS = 30
MAX_OPTIONS = 6
_NIGHTS = re.compile(
    rf"(?P<n>\d{{1,2}}|{CN_NUMBER})\s*(?:nights?|晚|夜|泊|박|nuits?|nächte|nacht|noches?|ноч\w*)",
    re.IGNORECASE,
)


def read_nights(text: str) -> int | None:
    """ "3 nights", "住两晚", "2泊", "2박", "3 nuits", "3 Nächte", "3 noches", "3 ночи"."""
    m = _NIGHTS.search(text)
    return number_value(m.group("n")) if m else None


async def read_place(client: PlatformApiClient, tracker: Tracker) -> str | None:
    """``near:<attraction id>`` or ``city:<city key>`` from the latest message."""
    attraction = entity_value(tracker, "attraction")
    if attraction:
        return f"near:{attraction}"
    city = find_city(text_of(tracker), await client.kb_cities())
    return f"city:{city}" if city else None


async def place_name(client: PlatformApiClient, place: str, lang: str) -> str:
    """The place in the tourist's language."""
    kind, _, value = place.partition(":")
    if kind == "near":
        return await venue_name(client, value, lang)
    try:
        names = (await client.kb_cities()).get(value)
    except PlatformApiError:
        names = None
    return names.get(lang) if names else value.title()


def rooms_for(guests: int) -> int:
    """Rooms to search for: two guests a room."""
    return max(1, math.ceil(guests / 2))


async def search(client: PlatformApiClient, tracker: Tracker) -> list[dict[str, Any]]:
    """One option per hotel and room type free for the whole stay, cheapest first."""
    place = str(tracker.get_slot("hotel_place"))
    kind, _, value = place.partition(":")
    guests = int(tracker.get_slot("hotel_guests") or 1)
    params: dict[str, str | int] = {
        "check_in": str(tracker.get_slot("hotel_check_in")),
        "check_out": str(tracker.get_slot("hotel_check_out")),
        "guests": guests,
        "rooms": rooms_for(guests),
        ("near" if kind == "near" else "city"): value,
    }
    options = [
        {
            "hotel_id": hotel["hotel_id"],
            "hotel": hotel.get("name") or hotel["hotel_id"],
            "room_type": room["code"],
            "room": room.get("name") or room["code"],
            "rooms": params["rooms"],
            "total_fen": int(room.get("total_fen") or 0),
        }
        for hotel in await client.search_hotels(**params)
        for room in hotel.get("room_types") or []
    ]
    return sorted(options, key=lambda o: o["total_fen"])[:MAX_OPTIONS]


class ActionStartHotelBooking(BookingAction):
    """Starts a hotel booking with what the first message says (place, check-in, nights, guests)."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_start_hotel_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Clears the previous hotel booking's answers and pre-fills what it can."""
        events: list[EventType] = [*clear(HOTEL_SLOTS), SlotSet(OUTCOME, None)]
        text = text_of(tracker)
        try:
            place = await read_place(self.client, tracker)
        except PlatformApiError:
            place = None
        if place:
            events.append(SlotSet("hotel_place", place))
        reading = read_date(text, language_of(tracker), self._today())
        if reading.date is not None and reading.date >= self._today():
            events.append(SlotSet("hotel_check_in", reading.date.isoformat()))
            nights = read_nights(text)
            if nights and 0 < nights <= MAX_NIGHTS:
                check_out = reading.date + dt.timedelta(days=nights)
                events.append(SlotSet("hotel_check_out", check_out.isoformat()))
        guests = [
            int(str(e["value"]))
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == "party_size"
        ]
        if guests and 0 < guests[0] <= 20:
            events.append(SlotSet("hotel_guests", guests[0]))
        logger.info(event("hotel.started", conversation=pseudonym(tracker.sender_id)))
        return events


class ValidateHotelBookingForm(BookingAction):
    """Reads the answer to the question just asked."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "validate_hotel_booking_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Events for the requested slot (None plus a message when the answer is not usable)."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested:
            return []
        text = text_of(tracker)
        if wants_to_stop(tracker) and not (requested == "hotel_confirmed" and is_yes(text)):
            return end_form("stopped")
        handler = getattr(self, f"_read_{requested}", None)
        if handler is None:
            return []
        try:
            events: list[EventType] = await handler(dispatcher, tracker, text, language_of(tracker))
            return events
        except PlatformApiError as error:
            log_failure("hotel.platform_failed", tracker, error)
            return end_form("unavailable")

    async def _read_hotel_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        place = await read_place(self.client, tracker)
        if place is None:
            dispatcher.utter_message(response="utter_hotel_place_unclear")
        return [SlotSet("hotel_place", place)]

    async def _read_hotel_check_in(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        reading = read_date(text, lang, self._today())
        if reading.date is None:
            dispatcher.utter_message(response="utter_booking_date_unclear")
            return [SlotSet("hotel_check_in", None)]
        if reading.date < self._today():
            dispatcher.utter_message(
                response="utter_booking_date_past", date=texts.day(reading.date, lang)
            )
            return [SlotSet("hotel_check_in", None)]
        events: list[EventType] = [SlotSet("hotel_check_in", reading.date.isoformat())]
        nights = read_nights(text)
        if nights and 0 < nights <= MAX_NIGHTS:
            check_out = reading.date + dt.timedelta(days=nights)
            events.append(SlotSet("hotel_check_out", check_out.isoformat()))
        return events

    async def _read_hotel_check_out(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        check_in = dt.date.fromisoformat(str(tracker.get_slot("hotel_check_in")))
        nights = read_nights(text)
        check_out = check_in + dt.timedelta(days=nights) if nights else None
        if check_out is None:
            check_out = read_date(text, lang, check_in).date
        if check_out is None:
            dispatcher.utter_message(response="utter_booking_date_unclear")
            return [SlotSet("hotel_check_out", None)]
        if not check_in < check_out <= check_in + dt.timedelta(days=MAX_NIGHTS):
            dispatcher.utter_message(
                response="utter_hotel_bad_dates",
                check_in=texts.day(check_in, lang),
                check_out=texts.day(check_out, lang),
            )
            return [SlotSet("hotel_check_out", None)]
        return [SlotSet("hotel_check_out", check_out.isoformat())]

    async def _read_hotel_guests(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        guests = read_count(text)
        if not guests or guests > 20:
            dispatcher.utter_message(response="utter_hotel_guests_unclear")
            return [SlotSet("hotel_guests", None)]
        return [SlotSet("hotel_guests", guests)]

    async def _read_hotel_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        options = tracker.get_slot("hotel_options") or []
        index = read_choice(text, len(options))
        if index is None:
            dispatcher.utter_message(response="utter_booking_slot_unclear")
            return [SlotSet("hotel_choice", None)]
        return [SlotSet("hotel_choice", options[index - 1])]

    async def _read_hotel_guest(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        found = read_visitor(text)
        if not isinstance(found, Visitor):
            dispatcher.utter_message(response=f"utter_booking_{found}", number=1)
            return [SlotSet("hotel_guest", None)]
        return [SlotSet("hotel_guest", found.as_json())]

    async def _read_booking_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        phone = read_phone(text)
        if phone is None:
            dispatcher.utter_message(response="utter_booking_bad_phone")
        return [SlotSet("booking_phone", phone)]

    async def _read_hotel_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, lang: str
    ) -> list[EventType]:
        if is_yes(text, intent_of(tracker)):
            return [SlotSet("hotel_confirmed", True)]
        if is_no(text, intent_of(tracker)):
            return end_form("stopped")
        dispatcher.utter_message(response="utter_booking_confirm_unclear")
        return [SlotSet("hotel_confirmed", None)]


class ActionAskHotelChoice(BookingAction):
    """Lists the hotels and room types free for the whole stay, numbered and as buttons."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_hotel_choice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The options, or why there are none (the form then ends)."""
        lang = language_of(tracker)
        check_in = dt.date.fromisoformat(str(tracker.get_slot("hotel_check_in")))
        check_out = dt.date.fromisoformat(str(tracker.get_slot("hotel_check_out")))
        try:
            options = await search(self.client, tracker)
            place = await place_name(self.client, str(tracker.get_slot("hotel_place")), lang)
        except PlatformApiError as error:
            log_failure("hotel.search_failed", tracker, error)
            return end_form("unavailable")
        details = {
            "place": place,
            "check_in": texts.day(check_in, lang),
            "check_out": texts.day(check_out, lang),
            "guests": tracker.get_slot("hotel_guests"),
        }
        if not options:
            dispatcher.utter_message(response="utter_hotel_none", **details)
            return end_form("done")
        lines = [
            f"{n}. {o['hotel']} – {o['room']} × {o['rooms']}: {texts.money(o['total_fen'], lang)}"
            for n, o in enumerate(options, 1)
        ]
        dispatcher.utter_message(
            response="utter_ask_hotel_choice",
            buttons=[{"title": line[:60], "payload": str(n)} for n, line in enumerate(lines, 1)],
            choices="\n".join(lines),
            **details,
        )
        return [SlotSet("hotel_options", options)]


class ActionAskHotelConfirmed(BookingAction):
    """Shows the stay's summary (document and phone masked) and asks to confirm."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_hotel_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The summary and the total price."""
        lang = language_of(tracker)
        choice = tracker.get_slot("hotel_choice") or {}
        guest = tracker.get_slot("hotel_guest") or {}
        masked = Visitor(
            guest.get("name", ""), guest.get("id_type", "passport"), guest.get("id_number", "")
        ).masked()
        dispatcher.utter_message(
            response="utter_ask_hotel_confirmed",
            buttons=[{"title": "✔", "payload": "yes"}, {"title": "✘", "payload": "no"}],
            hotel=choice.get("hotel", ""),
            room=f"{choice.get('room', '')} × {choice.get('rooms', 1)}",
            check_in=texts.day(
                dt.date.fromisoformat(str(tracker.get_slot("hotel_check_in"))), lang
            ),
            check_out=texts.day(
                dt.date.fromisoformat(str(tracker.get_slot("hotel_check_out"))), lang
            ),
            guest=f"{masked['name']} ({texts.word(texts.DOCUMENT_NAMES[masked['id_type']], lang)} {masked['id_number']})",
            phone=mask_phone(str(tracker.get_slot("booking_phone") or "")),
            amount=texts.money(int(choice.get("total_fen") or 0), lang),
        )
        return []


class ActionSubmitHotelBooking(BookingAction):
    """Holds the rooms and gives the payment link; forgets the document and the phone."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_submit_hotel_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """``POST /api/hotel-bookings`` once per summary."""
        lang = language_of(tracker)
        forget = [*clear(HOTEL_SLOTS), SlotSet("hotel_guest", None), SlotSet(OUTCOME, None)]
        outcome = tracker.get_slot(OUTCOME)
        if outcome == "done":
            return forget
        if outcome == "unavailable":
            dispatcher.utter_message(response="utter_booking_platform_down")
            return forget
        if outcome == "stopped" or not tracker.get_slot("hotel_confirmed"):
            dispatcher.utter_message(response="utter_booking_stopped")
            return forget
        choice = tracker.get_slot("hotel_choice") or {}
        body = {
            "hotel_id": choice.get("hotel_id"),
            "room_type": choice.get("room_type"),
            "check_in": tracker.get_slot("hotel_check_in"),
            "check_out": tracker.get_slot("hotel_check_out"),
            "rooms": choice.get("rooms", 1),
            "guests": [tracker.get_slot("hotel_guest")],
            "phone": str(tracker.get_slot("booking_phone") or ""),
            "language": lang,
            "channel": tracker.get_latest_input_channel() or "unknown",
            "user_id": tracker.sender_id,
        }
        try:
            key = idempotency_key(
                tracker.sender_id, body, attempt_of(tracker, "action_start_hotel_booking")
            )
            booking = await self.client.create_hotel_booking(body, idempotency_key=key)
        except PlatformApiError as error:
            log_failure("hotel.create_failed", tracker, error)
            if error.code == "sold_out":
                dispatcher.utter_message(response="utter_hotel_sold_out")
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
            event("hotel.held", reference=reference, conversation=pseudonym(tracker.sender_id))
        )
        last = {"reference": reference, "phone": mask_phone(body["phone"]), "status": "held"}
        return [*forget, SlotSet("last_booking", last)]
