"""Answers knowledge questions (prices, hours, location, contact, descriptions, recommendations).

The platform API is the one knowledge service: it holds the encoder and the FAISS index, warm from
start-up, and resolves a message to entries over HTTP (``/api/kb/resolve``). This action only awaits
that call and renders the entries with ``knowledge_base.answers`` — no blocking work in ``run``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_paths import (
    PRACTICAL_INTENTS,
    answer_without_entry,
    answers_practically,
    carried_topic,
    event_topic,
    topic_for,
)
from actions.base import PlatformAction
from actions.clients.platform_api import (
    KbResolution,
    PlatformApiError,
)
from common.languages import SUPPORTED_LANGUAGES as SUPPORTED
from knowledge_base.answers import Topic, render_answer, render_upcoming_event

logger = logging.getLogger(__name__)

TOPIC_BY_INTENT: dict[str, Topic] = {
    "ask_ticket_price": "ticket",
    "ask_opening_hours": "hours",
    "ask_location": "location",
    "ask_contact": "contact",
    "ask_attraction_info": "info",
    "recommend_attractions": "info",
    "ask_reservation": "reservation",
    "ask_accessibility": "accessibility",
    "ask_best_season": "best_season",
    "ask_altitude": "altitude",
    "ask_food": "food",
    "ask_visit_duration": "duration",
    "ask_practical_info": "practical",
}
RECOMMENDATIONS = 3
UPCOMING_EVENTS = 2


def session_language(tracker: Tracker) -> str:
    """The language asked for, else the session language slot, else the one detected, else en.

    An unreliable "und" (emoji only, no letters) is no language: it never gets the unsupported notice.
    """
    detected = tracker.latest_message.get("language")
    if detected == "und" and tracker.latest_message.get("language_reliable") is False:
        detected = None
    # A language the tourist asked for holds until they ask for another one.
    language = tracker.get_slot("language_locked") or tracker.get_slot("language") or detected
    return language if language in SUPPORTED or language == "und" else "en"


class ActionAnswerKnowledge(PlatformAction):
    """Finds the entry the tourist asks about and answers with its sourced facts."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answers in the session language and remembers the attraction for follow-ups."""
        language = session_language(tracker)
        if language == "und":
            dispatcher.utter_message(response="utter_unsupported_language")
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        topic = cast(
            Topic,
            carried_topic(intent, _text(tracker), _previous_question(tracker), TOPIC_BY_INTENT)
            or topic_for(intent, _text(tracker), TOPIC_BY_INTENT),
        )
        try:
            found = await self._find(tracker, language, intent)
        except PlatformApiError as error:
            logger.warning("knowledge service failed: %s", error)
            dispatcher.utter_message(response="utter_kb_error")
            return []
        if found.kind == "unknown" and found.unknown_place:
            return await self._unknown_place(dispatcher, tracker, language, found.unknown_place)
        if intent in PRACTICAL_INTENTS and not (
            found.matches and answers_practically(found.matches[0].entry)
        ):
            try:
                reply = await answer_without_entry(
                    self.client, _text(tracker), language, self._today()
                )
            except PlatformApiError as error:
                logger.warning("knowledge service failed: %s", error)
                dispatcher.utter_message(response="utter_kb_error")
                return []
            dispatcher.utter_message(text=reply)
            return []
        if not found.matches:
            dispatcher.utter_message(response="utter_default")
            return []
        if intent == "recommend_attractions" and len(found.matches) > 1:
            for match in found.matches[:RECOMMENDATIONS]:
                dispatcher.utter_message(text=render_answer(match.entry, "info", language))
            await self._suggest_upcoming_events(
                dispatcher, language, {m.entry.id for m in found.matches}
            )
            return []
        best = found.matches[0]
        topic = cast(Topic, event_topic(best.entry, topic, _text(tracker)))
        logger.info(
            "answered %s/%s from %s by %s (score %.3f)",
            topic, language, best.entry.id, found.match, best.score,
        )  # fmt: skip
        answer = render_answer(
            best.entry, topic, language, today=self._today(), on=_asked_date(tracker)
        )  # a seasonal value for the day asked ("hours on Saturday"), else today
        dispatcher.utter_message(text=answer)
        return [SlotSet("attraction", best.entry.id)]

    async def _find(self, tracker: Tracker, language: str, intent: str) -> KbResolution:
        """Named attraction first; a follow-up without a name resolves to the previous one."""
        recommending = intent == "recommend_attractions"
        return await self.client.resolve_knowledge(
            tracker.latest_message.get("text") or "",
            lang=language,
            entities=_entity_mentions(tracker.latest_message.get("entities") or []),
            previous=tracker.get_slot("attraction"),
            follow_previous=not recommending and intent not in PRACTICAL_INTENTS,
            k=RECOMMENDATIONS if recommending else 1,
        )

    async def _unknown_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str, place: str
    ) -> list[EventType]:
        """Says the place is not covered yet, files the question for editors, forgets the old place.

        Filing is best effort: the tourist gets the answer even when the platform refuses it.
        """
        dispatcher.utter_message(response="utter_unknown_place", place=place)
        try:
            await self.client.log_unanswered(
                place=place, language=language, question=tracker.latest_message.get("text") or ""
            )
        except PlatformApiError as error:
            logger.warning("unanswered question not filed: %s", error)
        logger.info("unknown place asked in %s", language)
        return [SlotSet("attraction", None)]

    async def _suggest_upcoming_events(
        self, dispatcher: CollectingDispatcher, language: str, already: set[str]
    ) -> None:
        """Adds festivals expected in the coming weeks; best effort (the answer is given)."""
        try:
            events = await self.client.upcoming_events(
                self._today(), limit=UPCOMING_EVENTS, exclude=sorted(already)
            )
        except PlatformApiError as error:
            logger.warning("no upcoming events for the recommendation: %s", error)
            return
        for entry, projected in events:
            dispatcher.utter_message(text=render_upcoming_event(entry, projected, language))


def _entity_mentions(entities: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``(kind, value)`` of the NLU's ``attraction``/``topic`` entities (knowledge-base ids)."""
    return [
        (str(e["entity"]), str(e["value"]))
        for e in entities
        if e.get("entity") in ("attraction", "topic") and e.get("value") is not None
    ]


def _asked_date(tracker: Tracker) -> dt.date | None:
    """The day the tourist asks about (the NLU's ISO ``date`` entity), or None."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "date":
            try:
                return dt.date.fromisoformat(str(entity.get("value")))
            except ValueError:
                return None
    return None


def _previous_question(tracker: Tracker) -> tuple[str, str] | None:
    """Intent and text of the tourist's message before the latest one (None at the start)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    name = ((users[-2].get("parse_data") or {}).get("intent") or {}).get("name")
    return (str(name), str(users[-2].get("text") or "")) if name else None


def _text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")
