"""Rasa broker messages become event rows once, without message text."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from platform_api.analytics.events import BadEvent, parse_event, store_event, summary
from platform_api.analytics.models import ConversationEvent
from platform_api.core.db import make_engine, make_session_factory, migrate


def user_event(
    sender: str, intent: str, ts: float, *, language: str = "ja", channel: str = "rest"
) -> bytes:
    return json.dumps(
        {
            "sender_id": sender,
            "event": "user",
            "timestamp": ts,
            "text": "私の電話は13835180661です",
            "input_channel": channel,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "language": language},
        }
    ).encode()


@pytest.fixture()
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    migrate(engine)
    return make_session_factory(engine)


def test_user_event_keeps_intent_language_channel_but_no_text() -> None:
    values = parse_event(user_event("wx-123", "ask_ticket_price", 1_765_000_000.0))
    assert values is not None
    assert values["intent"] == "ask_ticket_price" and values["language"] == "ja"
    assert values["channel"] == "rest" and values["conversation"] != "wx-123"
    assert "13835180661" not in json.dumps(values, default=str)


@pytest.mark.parametrize(
    "body", [b"not json", b"[1,2]", b'{"event": "user"}', b'{"event":"user","sender_id":"a"}']
)
def test_malformed_messages_are_refused(body: bytes) -> None:
    with pytest.raises(BadEvent):
        parse_event(body)


def test_unused_event_kinds_are_skipped() -> None:
    body = json.dumps(
        {"sender_id": "a", "event": "slot", "timestamp": 1.0, "name": "language"}
    ).encode()
    assert parse_event(body) is None


def test_redelivered_event_is_stored_once(factory) -> None:
    body = user_event("s1", "greet", 1_765_000_000.0)
    with factory() as session:
        assert store_event(session, parse_event(body)) is True
        assert store_event(session, parse_event(body)) is False
        assert session.query(ConversationEvent).count() == 1


def test_summary_counts_conversations_per_channel_language_and_fallbacks(factory) -> None:
    now = dt.datetime.now(dt.UTC).timestamp()
    bodies = [
        user_event("a", "greet", now, language="ja", channel="rest"),
        user_event("a", "nlu_fallback", now + 1, language="ja", channel="rest"),
        user_event("b", "ask_ticket_price", now + 2, language="zh", channel="wechat"),
        user_event("c", "out_of_scope", now + 3, language="en", channel="socketio"),
    ]
    with factory() as session:
        for body in bodies:
            store_event(session, parse_event(body))
        figures = summary(session, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    assert figures["conversations"] == 3
    assert figures["conversations_per_channel"] == {"rest": 1, "wechat": 1, "socketio": 1}
    assert figures["conversations_per_language"] == {"ja": 1, "zh": 1, "en": 1}
    assert figures["fallback_rate"] == 0.5
