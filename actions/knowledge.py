"""Answers knowledge questions (prices, hours, location, contact, descriptions, recommendations).

The retriever (gazetteer + lexical + dense FAISS search over ``knowledge_base/``) is loaded lazily on
first use and shared by the whole action-server process; tests inject their own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from common.languages import SUPPORTED_LANGUAGES as SUPPORTED
from knowledge_base.answers import Topic, render_answer, render_upcoming_event
from knowledge_base.retriever import Hit, IndexNotBuiltError, Retriever, get_retriever
from knowledge_base.seasonal import upcoming_events

logger = logging.getLogger(__name__)

TOPIC_BY_INTENT: dict[str, Topic] = {
    "ask_ticket_price": "ticket",
    "ask_opening_hours": "hours",
    "ask_location": "location",
    "ask_contact": "contact",
    "ask_attraction_info": "info",
    "recommend_attractions": "info",
}
RECOMMENDATIONS = 3
UPCOMING_EVENTS = 2


def session_language(tracker: Tracker) -> str:
    """The session language slot, else the language detected for the last message, else en."""
    language = tracker.get_slot("language") or tracker.latest_message.get("language")
    return language if language in SUPPORTED or language == "und" else "en"


class ActionAnswerKnowledge(Action):
    """Finds the entry the tourist asks about and answers with its sourced facts."""

    def __init__(
        self, retriever: Retriever | None = None, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        """``retriever`` defaults to the process-wide one, loaded on first use."""
        self._retriever = retriever
        self._today = today

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_answer_knowledge"

    @property
    def retriever(self) -> Retriever:
        """The injected retriever, or the shared one."""
        if self._retriever is None:
            self._retriever = get_retriever()
        return self._retriever

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answers in the session language and remembers the attraction for follow-ups."""
        language = session_language(tracker)
        if language == "und":
            dispatcher.utter_message(response="utter_unsupported_language")
            return []
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        topic = TOPIC_BY_INTENT.get(intent, "info")
        try:
            hits = self._find(
                text, language, tracker.get_slot("attraction"), intent, tracker.latest_message.get("entities")
            )
        except IndexNotBuiltError:
            logger.exception("knowledge-base index is not built")
            dispatcher.utter_message(response="utter_kb_error")
            return []
        if not hits:
            dispatcher.utter_message(response="utter_default")
            return []
        if intent == "recommend_attractions" and len(hits) > 1:
            for hit in hits[:RECOMMENDATIONS]:
                dispatcher.utter_message(text=render_answer(hit.entry, "info", language))
            self._suggest_upcoming_events(dispatcher, language, {h.entry_id for h in hits})
            return []
        best = hits[0]
        logger.info("answered %s/%s from %s (score %.3f)", topic, language, best.entry_id, best.score)
        dispatcher.utter_message(text=render_answer(best.entry, topic, language))
        return [SlotSet("attraction", best.entry_id)]

    def _suggest_upcoming_events(
        self, dispatcher: CollectingDispatcher, language: str, already: set[str]
    ) -> None:
        """Adds festivals expected in the coming weeks (season-aware recommendations)."""
        upcoming = upcoming_events(self.retriever.entries.values(), self._today())
        for entry, projected in [(e, d) for e, d in upcoming if e.id not in already][:UPCOMING_EVENTS]:
            dispatcher.utter_message(text=render_upcoming_event(entry, projected, language))

    def _named_in_entities(self, entities: list[dict[str, Any]]) -> str | None:
        """The knowledge-base id the NLU gazetteer found (attraction first, then topic)."""
        for kind in ("attraction", "topic"):
            for entity in entities:
                if entity.get("entity") == kind and self.retriever.get(str(entity.get("value"))):
                    return str(entity["value"])
        return None

    def _find(
        self,
        text: str,
        language: str,
        previous: str | None,
        intent: str,
        tracker_entities: list[dict[str, Any]] | None = None,
    ) -> list[Hit]:
        """Named attraction first; a follow-up without a name resolves to the previous one."""
        named = self._named_in_entities(tracker_entities or []) or self.retriever.match_alias(text)
        if named is None and previous and intent != "recommend_attractions":
            named = previous
        if named is not None:
            entry = self.retriever.get(named)
            if entry is not None:
                return [Hit(entry=entry, score=1.0)]
        k = RECOMMENDATIONS if intent == "recommend_attractions" else 1
        return self.retriever.search(text, lang=language, k=k)
