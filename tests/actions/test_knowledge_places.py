"""action_answer_knowledge and the place decision, through the real platform app in-process.

A newly named place beats the previous one; a place the knowledge base does not have gets
``utter_unknown_place`` with its name (never another place's facts), is filed for content editors
and clears the remembered place.
"""

from __future__ import annotations

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
from actions.knowledge import ActionAnswerKnowledge
from knowledge_base.build import encode_entries
from knowledge_base.encoder import HashEncoder
from knowledge_base.retriever import Retriever, Thresholds
from knowledge_base.store import load_entries
from platform_api.core.config import Settings
from platform_api.main import create_app

STAFF_TOKEN = "places-test-staff-token"
BOT_TOKEN = "places-test-bot-token-1"


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    entries = load_entries()
    encoder = HashEncoder(512)
    return Retriever(
        entries,
        encoder,
        encode_entries(encoder, entries.values()),
        thresholds=Thresholds(dense=0.8, coverage=0.9, combined=1.5),
    )


@pytest.fixture
def platform_app(tmp_path: Path, retriever: Retriever) -> Iterator[FastAPI]:
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


@pytest.fixture
async def http(platform_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Talks to the platform as staff would (to read what the bot filed)."""
    async with platform_app.router.lifespan_context(platform_app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=platform_app),
            base_url="http://platform.test",
            headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
        ) as client:
            yield client


@pytest.fixture
async def action(
    http: httpx.AsyncClient, platform_app: FastAPI
) -> AsyncIterator[ActionAnswerKnowledge]:
    api = PlatformApiClient(
        "http://platform.test", transport=httpx.ASGITransport(app=platform_app), bot_token=BOT_TOKEN
    )
    yield ActionAnswerKnowledge(api)
    await api.aclose()


def tracker(text: str, intent: str, language: str, attraction: str | None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": []}
    slots = {"language": language, "attraction": attraction}
    return Tracker("tourist", slots, latest, [], False, None, {}, "action_listen")


async def run(action: ActionAnswerKnowledge, t: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


@pytest.mark.parametrize(
    ("text", "intent", "language", "previous", "expected"),
    [
        ("jiuzhaigo tix price??", "ask_ticket_price", "en", "leshan-giant-buddha", "jiuzhaigou"),
        (
            "¿Cuál es el horario del templo Wuhou?",
            "ask_opening_hours",
            "es",
            "emeishan",
            "wuhou-shrine",
        ),
        ("주자이구 입장료 얼마예요?", "ask_ticket_price", "ko", "chengdu-panda-base", "jiuzhaigou"),
        ("Как добраться до Эмэйшаня?", "ask_location", "ru", "jiuzhaigou", "emeishan"),
    ],
)
async def test_a_newly_named_place_is_answered_not_the_previous_one(
    action: ActionAnswerKnowledge,
    text: str,
    intent: str,
    language: str,
    previous: str,
    expected: str,
) -> None:
    messages, events = await run(action, tracker(text, intent, language, previous))

    assert events == [SlotSet("attraction", expected)]
    assert messages and messages[0].get("text")


@pytest.mark.parametrize(
    ("text", "intent", "language", "place"),
    [
        ("南京路怎么走", "ask_location", "zh", "南京路"),
        ("故宫几点开门", "ask_opening_hours", "zh", "故宫"),
        ("How much is a ticket to the Great Wall?", "ask_ticket_price", "en", "Great Wall"),
        ("la tour Eiffel est ouverte quand ?", "ask_opening_hours", "fr", "tour Eiffel"),
        ("에펠탑 입장료 얼마예요?", "ask_ticket_price", "ko", "에펠탑"),
    ],
)
async def test_an_unknown_place_is_said_to_be_unknown_and_filed_for_editors(
    action: ActionAnswerKnowledge,
    http: httpx.AsyncClient,
    text: str,
    intent: str,
    language: str,
    place: str,
) -> None:
    messages, events = await run(action, tracker(text, intent, language, "jiuzhaigou"))

    assert [(m.get("response"), m.get("place")) for m in messages] == [
        ("utter_unknown_place", place)
    ]
    assert events == [SlotSet("attraction", None)]  # the old place is not carried any further
    filed = (await http.get("/api/kb/unanswered")).json()
    assert filed["count"] == 1
    row = filed["data"][0]
    assert (row["place"], row["language"], row["question"]) == (place, language, text)


async def test_personal_numbers_in_an_unknown_place_question_are_not_filed(
    action: ActionAnswerKnowledge, http: httpx.AsyncClient
) -> None:
    text = "我电话13812345678，南京路怎么走"

    await run(action, tracker(text, "ask_location", "zh", None))

    row = (await http.get("/api/kb/unanswered")).json()["data"][0]
    assert "13812345678" not in row["question"]
    assert "南京路怎么走" in row["question"]


async def test_the_tourist_still_hears_about_the_unknown_place_when_filing_fails(
    platform_app: FastAPI, http: httpx.AsyncClient
) -> None:
    """Filing is refused (tables dropped under the platform): the answer is still given."""
    from platform_api.models import UnansweredQuestion

    UnansweredQuestion.__table__.drop(platform_app.state.engine)
    transport = httpx.ASGITransport(app=platform_app, raise_app_exceptions=False)  # HTTP 500
    api = PlatformApiClient("http://platform.test", transport=transport, bot_token=BOT_TOKEN)
    try:
        messages, events = await run(
            ActionAnswerKnowledge(api), tracker("故宫几点开门", "ask_opening_hours", "zh", None)
        )
    finally:
        await api.aclose()
    assert [m.get("response") for m in messages] == ["utter_unknown_place"]
    assert events == [SlotSet("attraction", None)]


async def test_a_follow_up_after_an_unknown_place_does_not_revive_the_old_place(
    action: ActionAnswerKnowledge,
) -> None:
    _, events = await run(action, tracker("南京路怎么走", "ask_location", "zh", "jiuzhaigou"))
    assert events == [SlotSet("attraction", None)]

    messages, _ = await run(action, tracker("几点开门", "ask_opening_hours", "zh", None))

    assert all("九寨" not in (m.get("text") or "") for m in messages)


def test_an_emoji_only_first_message_is_not_an_unsupported_language() -> None:
    from actions.knowledge import session_language

    latest = {"text": "👍", "language": "und", "language_reliable": False}
    t = Tracker("tourist", {}, latest, [], False, None, {}, "action_listen")
    assert session_language(t) == "en"
    reliable = {"text": "Ciao, quanto costa?", "language": "und", "language_reliable": True}
    t = Tracker("tourist", {}, reliable, [], False, None, {}, "action_listen")
    assert session_language(t) == "und"
