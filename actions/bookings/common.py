"""What the booking actions share: today in China, the message text, references, venue names."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from abc import ABC
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import PlatformAction
from actions.bookings.texts import CHINA
from actions.bookings.understanding import is_stop
from actions.clients.platform_api import PlatformApiClient, PlatformApiError
from actions.knowledge import session_language
from common.logsafe import event, pseudonym

logger = logging.getLogger("actions.bookings")

REQUESTED_SLOT = "requested_slot"
STOP_CONFIDENCE = 0.8
"""A ``stop`` intent at least this confident ends a form even without a stop word."""
OUTCOME = "booking_outcome"
"""Why a form ended early: ``stopped`` (the tourist asked) or ``unavailable`` (platform down)."""
_REFERENCE = re.compile(
    r"(?<![A-Za-z0-9])(?P<kind>BK|HB)[ \-_]?(?P<date>20\d{6})[ \-_]?(?P<seq>\d{4,12})(?!\d)", re.I
)

TICKET_SLOTS = (
    "booking_date",
    "booking_part_of_day",
    "booking_slot",
    "booking_slot_info",
    "booking_tickets",
    "booking_visitors",
    "booking_visitors_done",
    "booking_phone",
    "booking_confirmed",
)
HOTEL_SLOTS = (
    "hotel_place",
    "hotel_check_in",
    "hotel_check_out",
    "hotel_guests",
    "hotel_options",
    "hotel_choice",
    "hotel_guest",
    "booking_phone",
    "hotel_confirmed",
)
LOOKUP_SLOTS = ("booking_ref", "booking_check_phone", "cancel_confirmed")


def today_in_china() -> dt.date:
    """Today's date in China Standard Time (bookings are for venues in Sichuan)."""
    return dt.datetime.now(CHINA).date()


class BookingAction(PlatformAction, ABC):
    """A booking action: the platform client, and today in China unless a test pins it."""

    def __init__(
        self,
        client: PlatformApiClient | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        """``client`` defaults to the shared platform client, ``today`` to China's date."""
        super().__init__(client, today or today_in_china)


def text_of(tracker: Tracker) -> str:
    """The tourist's latest message."""
    return str(tracker.latest_message.get("text") or "")


def intent_of(tracker: Tracker) -> str:
    """The intent of the latest message."""
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def wants_to_stop(tracker: Tracker) -> bool:
    """ "cancel"/"stop"/"算了" in any language, or a confident ``stop`` intent on a message
    without numbers ("I don't want to continue")."""
    text = text_of(tracker)
    if is_stop(text):
        return True
    intent = tracker.latest_message.get("intent") or {}
    return (
        intent.get("name") == "stop"
        and float(intent.get("confidence") or 0) >= STOP_CONFIDENCE
        and not re.search(r"\d", text)
    )


def language_of(tracker: Tracker) -> str:
    """The language to answer in (a supported one; English for an unsupported language)."""
    language = session_language(tracker)
    return "en" if language == "und" else language


def entity_value(tracker: Tracker, entity: str) -> str | None:
    """The first value of ``entity`` in the latest message."""
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == entity and item.get("value"):
            return str(item["value"])
    return None


def read_reference(text: str) -> str | None:
    """A booking reference in ``text`` ("bk20261208 00000012" -> ``BK-20261208-00000012``)."""
    m = _REFERENCE.search(text)
    if not m:
        return None
    return f"{m.group('kind').upper()}-{m.group('date')}-{m.group('seq')}"


def clear(names: tuple[str, ...]) -> list[EventType]:
    """``SlotSet(name, None)`` for each name."""
    return [SlotSet(name, None) for name in names]


def end_form(outcome: str) -> list[EventType]:
    """Events that end the active form early, saying why (the submit action reads it)."""
    return [SlotSet(OUTCOME, outcome), SlotSet(REQUESTED_SLOT, None)]


def idempotency_key(conversation: str, body: dict[str, Any], attempt: str = "") -> str:
    """The same conversation asking for the same booking in the same attempt gets the same key
    (a retried turn never books twice); any change to the summary, or a new attempt (the tourist
    books the same thing again later), gives another key."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    seed = f"{conversation}\n{attempt}\n{canonical}"
    return "chat-" + hashlib.sha256(seed.encode()).hexdigest()[:40]


def attempt_of(tracker: Tracker, start_action: str) -> str:
    """When this booking attempt started: the timestamp of the latest ``start_action`` event
    (the same for every retry of the turn that submits it)."""
    for item in reversed(tracker.events or []):
        if item.get("event") == "action" and item.get("name") == start_action:
            return str(item.get("timestamp") or "")
    return ""


async def venue_name(client: PlatformApiClient, venue_id: str, lang: str) -> str:
    """The venue's name in ``lang`` from the knowledge base, its id when unknown or unreachable."""
    try:
        entry = await client.get_entry(venue_id)
    except PlatformApiError:
        return venue_id
    return entry.names.get(lang) if entry else venue_id


def log_failure(name: str, tracker: Tracker, error: PlatformApiError) -> None:
    """A platform failure, logged without personal data."""
    logger.warning(
        event(
            name,
            status=error.status_code or "-",
            code=error.code or "-",
            conversation=pseudonym(tracker.sender_id),
        )
    )


def platform_down(error: PlatformApiError) -> bool:
    """True when the platform could not answer (unreachable, timeout, 5xx), not a refusal."""
    return error.status_code is None or error.status_code >= 500
