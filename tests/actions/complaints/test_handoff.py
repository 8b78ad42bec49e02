"""The hand-off to staff against the real platform: transcript, live and out-of-hours answers,
the way back, repeated fallbacks, and a platform that cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.client import CaseApiClient
from actions.handoff import (
    ActionFallback,
    ActionHandBack,
    ActionHumanHandoff,
    fallbacks_in_a_row,
    transcript,
)
from tests.actions.complaints.conftest import BOT_TOKEN, Staff, make_platform, make_tracker

HISTORY = [
    {
        "event": "user",
        "text": "九寨沟门票多少钱",
        "timestamp": 1_796_000_000.0,
        "parse_data": {"intent": {"name": "ask_ticket_price"}},
    },
    {"event": "bot", "text": "九寨沟旺季门票……", "timestamp": 1_796_000_001.0},
    {"event": "slot", "name": "language", "value": "zh"},
]


def conversation(text: str, intent: str = "human_handoff", **kwargs: Any) -> Any:
    return make_tracker(
        text, intent=intent, events=list(HISTORY), slots={"language": "zh"}, **kwargs
    )


async def run(action: Any, tracker: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_transcript_is_the_users_and_bots_texts_in_order() -> None:
    turns = transcript(conversation("我要人工"))
    assert [(t["role"], t["text"]) for t in turns] == [
        ("user", "九寨沟门票多少钱"),
        ("bot", "九寨沟旺季门票……"),
        ("user", "我要人工"),
    ]
    assert turns[0]["at"].startswith("2026-")


async def test_in_office_hours_staff_get_the_conversation_and_the_tourist_the_reference(
    client: CaseApiClient, staff: Staff
) -> None:
    messages, events = await run(ActionHumanHandoff(client), conversation("我要人工"))
    assert [m["response"] for m in messages] == ["utter_handoff_opened"]
    reference = messages[0]["reference"]
    assert reference.startswith("ESC-")
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"} == {
        "handoff_reference": reference
    }
    detail = (await staff.get(f"/api/staff/escalations/{reference}")).json()
    assert "九寨沟门票多少钱" in str(detail) and "zh" in str(detail)
    state = await client._http().get(
        "/api/conversations/tourist-1/handoff", headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )
    assert state.json()["active"] is True

    messages, _ = await run(ActionHandBack(client), conversation("转回机器人", intent="hand_back"))
    assert [m["response"] for m in messages] == ["utter_handoff_returned"]
    state = await client._http().get("/api/conversations/tourist-1/handoff")
    assert state.json()["active"] is False
    messages, _ = await run(ActionHandBack(client), conversation("转回机器人", intent="hand_back"))
    assert [m["response"] for m in messages] == ["utter_handoff_not_active"]


@pytest.fixture
def closed_platform(tmp_path: Path) -> Iterator[FastAPI]:
    """No day of the week has office hours."""
    app = make_platform(tmp_path, weekdays=[])
    yield app
    app.state.engine.dispose()


async def test_out_of_hours_the_tourist_is_told_and_the_complaint_form_opens_a_case(
    closed_platform: FastAPI,
) -> None:
    client = CaseApiClient(
        "http://platform.test",
        transport=httpx.ASGITransport(app=closed_platform),
        bot_token=BOT_TOKEN,
    )
    messages, events = await run(ActionHumanHandoff(client), conversation("我要人工"))
    assert [m["response"] for m in messages] == ["utter_handoff_out_of_hours"]
    assert messages[0]["hours"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["handoff_reference"].startswith("ESC-")
    assert slots["complaint_phone"] is None  # a fresh form
    assert events[-1] == {"event": "followup", "name": "complaint_form", "timestamp": None}
    state = await client._http().get("/api/conversations/tourist-1/handoff")
    assert state.json()["active"] is False  # the bot keeps answering


async def test_when_the_escalation_cannot_be_filed_the_tourist_is_told_so() -> None:
    unreachable = CaseApiClient("http://127.0.0.1:9", bot_token=BOT_TOKEN, timeout_s=0.5)
    messages, events = await run(ActionHumanHandoff(unreachable), conversation("我要人工"))
    assert [m["response"] for m in messages] == ["utter_handoff_failed"]
    assert events == []


def test_the_failure_text_promises_no_call_back() -> None:
    import yaml

    root = Path(__file__).resolve().parents[3]
    en = yaml.safe_load((root / "bot/i18n/complaints/en.yml").read_text("utf-8"))
    text = en["utter_handoff_failed"][0].lower()
    assert "nobody has been notified" in text
    assert "will contact you" not in text and "call you" not in text


async def test_second_fallback_in_a_row_hands_over_to_staff(client: CaseApiClient) -> None:
    first = make_tracker("asdf qwer", intent="nlu_fallback", events=list(HISTORY))
    assert fallbacks_in_a_row(first) == 1
    messages, events = await run(ActionFallback(client), first)
    assert [m["response"] for m in messages] == ["utter_default"] and events == []

    second_events = [*first.events, {"event": "bot", "text": "Sorry?"}]
    second = make_tracker("zxcv", intent="nlu_fallback", events=second_events)
    assert fallbacks_in_a_row(second) == 2
    messages, events = await run(ActionFallback(client), second)
    assert [m["response"] for m in messages] == [
        "utter_handoff_after_fallbacks",
        "utter_handoff_opened",
    ]


async def test_an_understood_message_resets_the_fallback_count() -> None:
    events = [
        {"event": "user", "text": "?", "parse_data": {"intent": {"name": "nlu_fallback"}}},
        {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
    ]
    assert fallbacks_in_a_row(make_tracker("??", intent="nlu_fallback", events=events)) == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh", "周一–周五 09:00–18:00"), ("en", "Mon–Fri 09:00–18:00"), ("de", "Mo.–Fr. 09:00–18:00")],
)
def test_office_hours_are_written_in_the_tourists_language(language: str, expected: str) -> None:
    from actions.complaints.texts import office_hours

    assert office_hours("mon-fri 09:00-18:00 Asia/Shanghai", language) == expected
