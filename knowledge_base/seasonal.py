"""Seasons: which dated events usually fall in the coming weeks, and which seasonal value holds.

Festivals recur on (roughly) the same days every year, and the knowledge base records the dates a
source gave for some past edition. An event counts as *upcoming* when one of its recorded month-days,
projected onto this year or next, falls within ``horizon_days`` from today. Answers must still tell the
tourist to verify this year's dates: the projection is a hint, not a fact.

Seasonal facts (opening periods, peak/off-peak prices) carry yearly MM-DD ranges;
:func:`periods_on` and :func:`season_on` pick the value for a given day, so an answer never shows a
season's value out of its season.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from knowledge_base.schema import Entry, OpeningPeriod, Price

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


# ---------- seasonal facts: which value holds on a given day ----------

MonthDay = tuple[int, int]
_ZH_RANGE = re.compile(r"(\d{1,2})月(\d{1,2})日?\s*[至到\-–~]\s*(?:次年)?(\d{1,2})月(\d{1,2})日?")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_EN_RANGE = re.compile(
    r"(\d{1,2})\s*([A-Za-z]{3})[a-z]*\.?\s*[-–~to]+\s*(\d{1,2})\s*([A-Za-z]{3})", re.IGNORECASE
)


def month_day(text: str) -> MonthDay:
    """'10-08' -> (10, 8)."""
    month, day = text.split("-")
    return int(month), int(day)


def in_range(day: dt.date, start: MonthDay, end: MonthDay) -> bool:
    """True when ``day`` falls in the yearly range start..end (inclusive; may wrap the new year)."""
    key = (day.month, day.day)
    return start <= key <= end if start <= end else key >= start or key <= end


def covers(from_date: str | None, to_date: str | None, day: dt.date) -> bool | None:
    """Whether a period with these MM-DD bounds covers ``day``; None when it has no dates."""
    if not from_date or not to_date:
        return None
    return in_range(day, month_day(from_date), month_day(to_date))


def periods_on(periods: list[OpeningPeriod], day: dt.date) -> list[OpeningPeriod]:
    """The opening periods that hold on ``day``: dated ones covering it, else undated all-year ones.

    Empty when the periods are seasonal and none covers the day: the answer must then not state
    hours (a season's hours are never shown out of their season).
    """
    dated = [p for p in periods if covers(p.from_date, p.to_date, day)]
    if dated:
        return dated
    return [p for p in periods if p.season == "all_year" and not (p.from_date and p.to_date)]


def season_ranges(entry: Entry) -> dict[str, tuple[MonthDay, MonthDay]]:
    """Peak/off-peak ranges: from prices' own dates, opening periods, else the price labels."""
    out: dict[str, tuple[MonthDay, MonthDay]] = {}
    ticket = entry.ticket.value
    prices = ticket.prices if ticket else []
    for price in prices:
        if price.season != "all_year" and price.from_date and price.to_date:
            out.setdefault(price.season, (month_day(price.from_date), month_day(price.to_date)))
    for period in entry.opening_hours.value or []:
        if period.season in ("peak", "off_peak") and period.from_date and period.to_date:
            out.setdefault(period.season, (month_day(period.from_date), month_day(period.to_date)))
    for price in prices:
        if price.season == "all_year" or price.season in out or price.label is None:
            continue
        found = _ZH_RANGE.search(price.label.zh or "")
        if found:
            m1, d1, m2, d2 = (int(x) for x in found.groups())
            out[price.season] = ((m1, d1), (m2, d2))
            continue
        found = _EN_RANGE.search(price.label.en or "")
        if found and found.group(2).lower() in _MONTHS and found.group(4).lower() in _MONTHS:
            out[price.season] = (
                (_MONTHS.index(found.group(2).lower()) + 1, int(found.group(1))),
                (_MONTHS.index(found.group(4).lower()) + 1, int(found.group(3))),
            )
    return out


def price_range(
    price: Price, ranges: dict[str, tuple[MonthDay, MonthDay]]
) -> tuple[MonthDay, MonthDay] | None:
    """The yearly range a seasonal price holds in (its own dates first); None for all-year prices
    or when no range is known."""
    if price.season == "all_year":
        return None
    if price.from_date and price.to_date:
        return month_day(price.from_date), month_day(price.to_date)
    return ranges.get(price.season)


def season_on(day: dt.date, ranges: dict[str, tuple[MonthDay, MonthDay]]) -> str | None:
    """'peak' / 'off_peak' for ``day`` when the ranges say so, else None."""
    for season, (start, end) in ranges.items():
        if in_range(day, start, end):
            return season
    if set(ranges) == {"peak"}:
        return "off_peak"
    if set(ranges) == {"off_peak"}:
        return "peak"
    return None
