"""Figures of the staff dashboard, computed from the case, unanswered-question and conversation-event
tables."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from platform_api.analytics.events import summary as conversation_summary
from platform_api.complaints.calendar import local_date
from platform_api.complaints.models import Complaint
from platform_api.complaints.service import is_overdue
from platform_api.models import Escalation, UnansweredQuestion, utcnow


def _median_hours(durations: list[dt.timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 3600, 2)


def compute(db: Session, *, now: dt.datetime | None = None, days: int = 30) -> dict[str, Any]:
    """Every figure of the dashboard as plain JSON-ready values."""
    now = now or utcnow()
    complaints = list(db.scalars(select(Complaint)))
    today = local_date(now)
    first_day = today - dt.timedelta(days=days - 1)
    per_day = Counter(local_date(c.created_at) for c in complaints)
    day_list = [first_day + dt.timedelta(days=i) for i in range(days)]
    venues = Counter(c.venue_id or (c.merchant or "?") for c in complaints if c.erased_at is None)
    status = Counter(c.status for c in complaints)
    escalations = list(db.scalars(select(Escalation)))
    channels = Counter([c.channel for c in complaints] + [e.channel for e in escalations])
    languages = Counter([c.language for c in complaints] + [e.language for e in escalations])
    unanswered_lang = dict(
        db.execute(
            select(UnansweredQuestion.language, func.count(UnansweredQuestion.id)).group_by(
                UnansweredQuestion.language
            )
        ).all()
    )
    asked = func.count(UnansweredQuestion.id)
    top_rows = db.execute(
        select(UnansweredQuestion.language, UnansweredQuestion.place, asked)
        .where(UnansweredQuestion.place != "")
        .group_by(UnansweredQuestion.language, UnansweredQuestion.place)
        .order_by(asked.desc(), UnansweredQuestion.place)
    ).all()
    unanswered_top: dict[str, list[dict[str, Any]]] = {}
    for language, place, count in top_rows:
        bucket = unanswered_top.setdefault(str(language), [])
        if len(bucket) < 5:
            bucket.append({"place": str(place), "count": int(count)})
    # Conversations (not only cases) from Rasa's event broker: the production profile's analytics
    # consumer fills conversation_event; without a broker these stay empty and the page says so.
    conversations = conversation_summary(db, now - dt.timedelta(days=days))
    first_replies = [c.first_reply_at - c.created_at for c in complaints if c.first_reply_at]
    first_replies += [e.first_reply_at - e.created_at for e in escalations if e.first_reply_at]
    return {
        "generated_at": now.isoformat(),
        "complaints_total": len(complaints),
        "complaints_per_day": [
            {"date": day.isoformat(), "count": per_day.get(day, 0)} for day in day_list
        ],
        "complaints_per_category": dict(sorted(Counter(c.category for c in complaints).items())),
        "complaints_per_venue": [{"venue": v, "count": n} for v, n in venues.most_common(10)],
        "open": status.get("open", 0),
        "in_progress": status.get("in_progress", 0),
        "resolved": status.get("resolved", 0),
        "overdue": sum(1 for c in complaints if is_overdue(c, now)),
        "median_hours_to_first_reply": _median_hours(first_replies),
        "median_hours_to_resolution": _median_hours(
            [c.resolved_at - c.created_at for c in complaints if c.resolved_at]
        ),
        "escalations_total": len(escalations),
        "escalations_active": sum(1 for e in escalations if e.active),
        "cases_per_channel": dict(sorted(channels.items())),
        "cases_per_language": dict(sorted(languages.items())),
        "fallback_rate": conversations["fallback_rate"],
        "conversations_total": conversations["conversations"],
        "conversations_per_channel": conversations["conversations_per_channel"],
        "conversations_per_language": conversations["conversations_per_language"],
        "unanswered_per_language": {str(k): int(v) for k, v in sorted(unanswered_lang.items())},
        "unanswered_top_places": unanswered_top,
    }
