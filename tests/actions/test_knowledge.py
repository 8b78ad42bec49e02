"""action_answer_knowledge: finds the entry, answers in the session language, remembers it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import ActionAnswerKnowledge, session_language
from knowledge_base.retriever import Hit
from knowledge_base.schema import Entry
from knowledge_base.store import load_entries


class RecordingRetriever:
    """A retriever over the real entries that matches names exactly and records its calls."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self.searches: list[tuple[str, str | None, int]] = []

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def match_alias(self, text: str) -> str | None:
        for entry in self.entries.values():
            if any(name.lower() in text.lower() for name in entry.all_names()):
                return entry.id
        return None

    def search(self, query: str, lang: str | None = None, k: int = 5) -> list[Hit]:
        self.searches.append((query, lang, k))
        return [Hit(entry=e, score=0.5) for e in list(self.entries.values())[:k]] if "panda" in query else []


@pytest.fixture(scope="module")
def entries() -> dict[str, Entry]:
    return load_entries()


def tracker(text: str, intent: str, slots: dict[str, Any] | None = None, language: str | None = None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": [], "language": language}
    return Tracker("tourist", slots or {}, latest, [], False, None, {}, "action_listen")


async def run(action: ActionAnswerKnowledge, t: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


async def test_ticket_question_in_chinese_is_answered_with_the_price_and_source(entries: dict[str, Entry]) -> None:
    action = ActionAnswerKnowledge(RecordingRetriever(entries))
    messages, events = await run(action, tracker("九寨沟门票多少钱", "ask_ticket_price", {"language": "zh"}))
    text = messages[0]["text"]
    assert "169" in text and "consumer.gucheng.com" in text and "2026-11-29" in text
    assert events == [SlotSet("attraction", "jiuzhaigou")]


async def test_follow_up_without_a_name_uses_the_previous_attraction(entries: dict[str, Entry]) -> None:
    retriever = RecordingRetriever(entries)
    action = ActionAnswerKnowledge(retriever)
    messages, events = await run(
        action, tracker("and how much is it?", "ask_ticket_price", {"language": "en", "attraction": "jiuzhaigou"})
    )
    assert "169" in messages[0]["text"]
    assert retriever.searches == []
    assert events == [SlotSet("attraction", "jiuzhaigou")]


async def test_nothing_found_gives_the_polite_fallback(entries: dict[str, Entry]) -> None:
    action = ActionAnswerKnowledge(RecordingRetriever(entries))
    messages, events = await run(action, tracker("what is the stock price of ACME", "ask_attraction_info", {"language": "en"}))
    assert messages == [_response("utter_default")]
    assert events == []


async def test_recommendations_list_several_entries_then_upcoming_festivals(entries: dict[str, Entry]) -> None:
    retriever = RecordingRetriever(entries)
    action = ActionAnswerKnowledge(retriever, today=lambda: dt.date(2026, 11, 29))
    messages, _ = await run(action, tracker("where can I see pandas", "recommend_attractions", {"language": "en"}))
    assert retriever.searches == [("where can I see pandas", "en", 3)]
    assert len(messages) == 5
    assert "2027-01-23" in messages[3]["text"] and "Zigong" in messages[3]["text"]


async def test_recommendations_in_summer_do_not_suggest_winter_festivals(entries: dict[str, Entry]) -> None:
    action = ActionAnswerKnowledge(RecordingRetriever(entries), today=lambda: dt.date(2026, 4, 1))
    messages, _ = await run(action, tracker("where can I see pandas", "recommend_attractions", {"language": "en"}))
    assert len(messages) == 3


async def test_unsupported_language_gets_the_notice(entries: dict[str, Entry]) -> None:
    action = ActionAnswerKnowledge(RecordingRetriever(entries))
    messages, _ = await run(action, tracker("quanto costa il biglietto", "ask_ticket_price", {"language": "und"}))
    assert messages == [_response("utter_unsupported_language")]


@pytest.mark.parametrize(
    ("slot", "detected", "expected"), [("ko", "en", "ko"), (None, "ja", "ja"), (None, None, "en"), ("xx", None, "en")]
)
def test_session_language_prefers_the_slot(slot: str | None, detected: str | None, expected: str) -> None:
    assert session_language(tracker("x", "greet", {"language": slot}, language=detected)) == expected


def _response(name: str) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response=name)
    return dispatcher.messages[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "language", "must_contain"),
    [
        ("九寨沟门票多少钱", "zh", "门票"),
        ("How much is the Jiuzhaigou ticket?", "en", "169"),
        ("주자이거우 입장료가 얼마예요?", "ko", "169"),
    ],
)
async def test_real_index_answers_the_jiuzhaigou_price(text: str, language: str, must_contain: str) -> None:
    action = ActionAnswerKnowledge()  # the process-wide retriever over build/kb/current
    messages, events = await run(action, tracker(text, "ask_ticket_price", {"language": language}))
    assert must_contain in messages[0]["text"] and "consumer.gucheng.com" in messages[0]["text"]
    assert events == [SlotSet("attraction", "jiuzhaigou")]


async def test_attraction_entity_from_nlu_wins_over_text_matching(entries: dict[str, Entry]) -> None:
    retriever = RecordingRetriever(entries)
    action = ActionAnswerKnowledge(retriever)
    t = tracker("how much is it there", "ask_ticket_price", {"language": "en", "attraction": "emeishan"})
    t.latest_message["entities"] = [{"entity": "attraction", "value": "jiuzhaigou"}]
    messages, events = await run(action, t)
    assert "169" in messages[0]["text"]
    assert events == [SlotSet("attraction", "jiuzhaigou")]
