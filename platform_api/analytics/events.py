"""Turning Rasa's broker messages into :class:`ConversationEvent` rows, idempotently."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from typing import Any, cast

from sqlalchemy import CursorResult, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from common.logsafe import pseudonym
from platform_api.analytics.models import ConversationEvent

KEPT_EVENTS = frozenset({"user", "bot", "action", "session_started"})
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


class BadEvent(ValueError):
    """A broker message that is not a Rasa tracker event."""


def parse_event(body: bytes) -> dict[str, Any] | None:
    """The row's values for one broker message, or None for events the dashboards do not use.

    Raises :class:`BadEvent` for a body that is not a JSON event with a sender and a timestamp.
    The message text of ``user`` and ``bot`` events is never kept.
    """
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadEvent("not JSON") from error
    if not isinstance(data, dict) or "event" not in data or "sender_id" not in data:
        raise BadEvent("not a tracker event")
    kind = str(data["event"])
    if kind not in KEPT_EVENTS:
        return None
    try:
        occurred_at = dt.datetime.fromtimestamp(float(data["timestamp"]), tz=dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise BadEvent("no usable timestamp") from error
    parse_data = data.get("parse_data") or {}
    intent = (parse_data.get("intent") or {}) if isinstance(parse_data, dict) else {}
    fingerprint = hashlib.sha256(
        json.dumps(
            [data["sender_id"], kind, data["timestamp"], data.get("name"), intent.get("name")],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    language = parse_data.get("language") if isinstance(parse_data, dict) else None
    return {
        "fingerprint": fingerprint,
        "conversation": pseudonym(str(data["sender_id"])),
        "event": kind,
        "intent": intent.get("name") if kind == "user" else None,
        "confidence": intent.get("confidence") if kind == "user" else None,
        "action": data.get("name") if kind == "action" else None,
        "language": str(language)[:8] if language else None,
        "channel": (data.get("input_channel") or None) if kind == "user" else None,
        "occurred_at": occurred_at,
    }


def store_event(session: Session, values: dict[str, Any]) -> bool:
    """Insert one event unless its fingerprint is known; True when a row was added."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(ConversationEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["fingerprint"])
    )
    result = cast(CursorResult[Any], session.execute(statement))
    session.commit()
    return bool(result.rowcount)


def summary(session: Session, since: dt.datetime) -> dict[str, Any]:
    """Conversations per channel and language, and the fallback rate, since ``since``."""
    user_events = select(ConversationEvent).where(
        ConversationEvent.event == "user", ConversationEvent.occurred_at >= since
    )
    rows = session.scalars(user_events).all()
    channels: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    seen_channel: set[tuple[str, str]] = set()
    seen_language: set[tuple[str, str]] = set()
    for row in rows:
        if (row.conversation, row.channel or "") not in seen_channel:
            seen_channel.add((row.conversation, row.channel or ""))
            channels[row.channel or "unknown"] += 1
        if row.language and (row.conversation, row.language) not in seen_language:
            seen_language.add((row.conversation, row.language))
            languages[row.language] += 1
    fallbacks = sum(1 for row in rows if row.intent in FALLBACK_INTENTS)
    conversations = session.scalar(
        select(func.count(func.distinct(ConversationEvent.conversation))).where(
            ConversationEvent.occurred_at >= since
        )
    )
    return {
        "since": since.isoformat(),
        "conversations": int(conversations or 0),
        "messages": len(rows),
        "conversations_per_channel": dict(channels),
        "conversations_per_language": dict(languages),
        "fallback_rate": round(fallbacks / len(rows), 4) if rows else None,
    }
