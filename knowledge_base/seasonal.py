"""Season-aware suggestions: which dated events usually fall in the coming weeks.

Festivals recur on (roughly) the same days every year, and the knowledge base records the dates a
source gave for some past edition. An event counts as *upcoming* when one of its recorded month-days,
projected onto this year or next, falls within ``horizon_days`` from today. Answers must still tell the
tourist to verify this year's dates: the projection is a hint, not a fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from knowledge_base.schema import Entry

DEFAULT_HORIZON_DAYS = 75


def next_occurrence(day: dt.date, today: dt.date) -> dt.date:
    """The first date on or after ``today`` with the month and day of ``day`` (29 Feb -> 28 Feb)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = dt.date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year always follows today")


def upcoming_events(
    entries: Iterable[Entry], today: dt.date, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[tuple[Entry, dt.date]]:
    """Dated events expected within the horizon, soonest first, with their projected date."""
    found: list[tuple[Entry, dt.date]] = []
    for entry in entries:
        if entry.type != "event" or not entry.event_dates.value:
            continue
        projected = min(next_occurrence(day, today) for day in entry.event_dates.value)
        if (projected - today).days <= horizon_days:
            found.append((entry, projected))
    return sorted(found, key=lambda pair: (pair[1], pair[0].id))
