"""Crowd and weather at a venue from its partners' latest data, always with how old it is.

``GET /api/venues/{venue_id}/live`` gives the latest visitor count and weather with their age and a
``stale`` flag; a stale figure is said to be old, never presented as current, and when there is
none the tourist hears so honestly (with the official channels to check).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bookings import texts
from actions.bookings.common import (
    BookingAction,
    entity_value,
    intent_of,
    language_of,
    log_failure,
    venue_name,
)
from actions.clients.platform_api import PlatformApiError


class ActionLiveData(BookingAction):
    """Answers ``ask_crowd`` and ``ask_weather`` for the venue named or talked about."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_live_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """One message: the figure and its age, a stale warning, or "no live data"."""
        lang = language_of(tracker)
        kind = "weather" if intent_of(tracker) == "ask_weather" else "crowd"
        venue = entity_value(tracker, "attraction") or tracker.get_slot("attraction")
        if not venue:
            dispatcher.utter_message(response="utter_live_which_venue")
            return []
        events: list[EventType] = [SlotSet("attraction", venue)]
        name = await venue_name(self.client, str(venue), lang)
        try:
            live = await self.client.venue_live(str(venue))
        except PlatformApiError as error:
            log_failure("live.failed", tracker, error)
            dispatcher.utter_message(response="utter_live_unreachable", venue=name)
            return events
        block = (live or {}).get(kind)
        if not isinstance(block, dict) or block.get("demo"):
            dispatcher.utter_message(response=f"utter_live_no_{kind}", venue=name)
            return events
        observed = texts.parse_time(str(block.get("observed_at") or ""))
        details = {
            "venue": name,
            "age": texts.age(float(block.get("age_seconds") or 0), lang),
            "time": texts.moment(observed, lang) if observed else "-",
        }
        stale = "_stale" if block.get("stale") else ""
        if kind == "crowd":
            capacity = block.get("capacity")
            dispatcher.utter_message(
                response=f"utter_live_crowd{stale}",
                count=int(block.get("visitors") or 0),
                capacity=int(capacity) if capacity else "-",
                **details,
            )
        else:
            dispatcher.utter_message(
                response=f"utter_live_weather{stale}",
                condition=str(block.get("condition") or ""),
                temperature=round(float(block.get("temperature_c") or 0)),
                **details,
            )
            if block.get("warning"):
                dispatcher.utter_message(text=f"⚠ {block['warning']}")
        return events
