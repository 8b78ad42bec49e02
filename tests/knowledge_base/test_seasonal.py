"""Season-aware event suggestions."""

from __future__ import annotations

import datetime as dt

from common.languages import SUPPORTED_LANGUAGES
from knowledge_base.schema import Entry
from knowledge_base.seasonal import next_occurrence, upcoming_events
from knowledge_base.store import load_entries

TODAY = dt.date(2026, 11, 29)


def event(entry_id: str, *days: dt.date) -> Entry:
    return Entry.model_validate(
        {
            "id": entry_id,
            "type": "event",
            "names": {"zh": entry_id, "en": entry_id},
            "description": {"en": "x"},
            "event_dates": {
                "value": list(days),
                "source": "https://example.org/e",
                "last_verified": "2026-11-29",
            },
        }
    )


def test_next_occurrence_projects_onto_this_or_next_year() -> None:
    assert next_occurrence(dt.date(2023, 12, 24), TODAY) == dt.date(2026, 12, 24)
    assert next_occurrence(dt.date(2025, 1, 27), TODAY) == dt.date(2027, 1, 27)
    assert next_occurrence(dt.date(2024, 2, 29), TODAY) == dt.date(2027, 2, 28)


def test_only_events_within_the_horizon_soonest_first() -> None:
    winter = event("winter-fair", dt.date(2025, 1, 27))
    christmas = event("christmas-market", dt.date(2024, 12, 20))
    summer = event("summer-festival", dt.date(2023, 7, 23))
    found = upcoming_events([summer, winter, christmas], TODAY, horizon_days=75)
    assert [(e.id, d) for e, d in found] == [
        ("christmas-market", dt.date(2026, 12, 20)),
        ("winter-fair", dt.date(2027, 1, 27)),
    ]


def test_the_real_knowledge_base_suggests_the_spring_festival_events_in_december() -> None:
    ids = [entry.id for entry, _ in upcoming_events(load_entries().values(), dt.date(2026, 12, 15))]
    assert "event-zigong-lantern-festival" in ids and "event-litang-horse-festival" not in ids


def test_upcoming_event_answer_in_every_language_gives_the_date_and_a_source() -> None:
    from knowledge_base.answers import render_upcoming_event

    lantern = load_entries()["event-zigong-lantern-festival"]
    for lang in SUPPORTED_LANGUAGES:
        text = render_upcoming_event(lantern, dt.date(2027, 1, 23), lang)
        assert "2027-01-23" in text and "http" in text, lang
