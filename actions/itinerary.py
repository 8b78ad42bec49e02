"""``action_plan_itinerary``: a short day-by-day plan ("2 days in Chengdu", "with elderly parents").

The platform lists the knowledge base's cities and a city's entries (``/api/kb/cities``,
``/api/kb/entries?city=``); :mod:`knowledge_base.itinerary` plans and renders. The action never
loads the encoder or the index.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import PlatformAction
from actions.clients.platform_api import (
    PlatformApiError,
)
from actions.knowledge import session_language
from knowledge_base.itinerary import (
    DEFAULT_CITY,
    DEFAULT_DAYS,
    city_key,
    find_city,
    parse_days,
    parse_party,
    plan_itinerary,
    render_itinerary,
)

logger = logging.getLogger(__name__)


def start_date(entities: list[dict[str, Any]], today: dt.date) -> dt.date:
    """The first ``date`` entity (ISO) that is today or later, else today."""
    for entity in entities:
        if entity.get("entity") != "date":
            continue
        try:
            day = dt.date.fromisoformat(str(entity.get("value")))
        except ValueError:
            continue
        if day >= today:
            return day
    return today


class ActionPlanItinerary(PlatformAction):
    """Plans the stay from the knowledge base, in the session language."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_plan_itinerary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """City named in the message, else the previous place's city, else Chengdu."""
        language = session_language(tracker)
        if language == "und":
            dispatcher.utter_message(response="utter_unsupported_language")
            return []
        text = tracker.latest_message.get("text") or ""
        entities = tracker.latest_message.get("entities") or []
        try:
            city, named = await self._city(text, tracker.get_slot("attraction"))
            entries = await self.client.entries_in_city(city)
        except PlatformApiError as error:
            logger.warning("knowledge service failed: %s", error)
            dispatcher.utter_message(response="utter_kb_error")
            return []
        itinerary = plan_itinerary(
            entries,
            city=city if named else None,
            days=parse_days(text) or DEFAULT_DAYS,
            start=start_date(entities, self._today()),
            party=parse_party(text),
        )
        logger.info("itinerary %s/%s: %d days", city, language, len(itinerary.days))
        dispatcher.utter_message(text=render_itinerary(itinerary, language))
        return []

    async def _city(self, text: str, previous: str | None) -> tuple[str, bool]:
        """(city key, named in the message)."""
        found = find_city(text, await self.client.kb_cities())
        if found is not None:
            return found, True
        if previous:
            entry = await self.client.get_entry(previous)
            key = city_key(entry.city) if entry is not None else None
            if key:
                return key, True
        return DEFAULT_CITY, False
