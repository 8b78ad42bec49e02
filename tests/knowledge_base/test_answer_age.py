"""Answers that show their age, on the fictional fixture venue (tests/knowledge_base/fixtures).

Source name and date ("as of July 2025, per ..."), the two-year warning, seasonal hours and prices
only for the day asked, conflicting sources give no value, a partner's live value is named.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from common.languages import SUPPORTED_LANGUAGES
from knowledge_base.answers import render_answer, templates
from knowledge_base.provenance import format_date
from knowledge_base.schema import Entry, Fact, LiveData, Ticket
from knowledge_base.store import load_entries
from knowledge_base.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "entries"
TODAY = dt.date(2026, 12, 7)
WINTER = dt.date(2027, 1, 15)
SUMMER = dt.date(2027, 7, 15)


@cache
def _park() -> Entry:
    return load_entries(FIXTURES)["cliff-buddha-park"]


def test_the_fixtures_follow_the_sourcing_rules() -> None:
    assert validate(FIXTURES, today=TODAY).problems == []


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_hours_are_the_seasons_of_the_day_asked(lang: str) -> None:
    winter = render_answer(_park(), "hours", lang, today=TODAY, on=WINTER)
    assert "08:00–17:30" in winter and "07:30" not in winter
    assert format_date(WINTER, "day", lang) in winter
    summer = render_answer(_park(), "hours", lang, today=TODAY, on=SUMMER)
    assert "07:30–18:30" in summer and "17:30" not in summer


def test_hours_default_to_today() -> None:
    assert "08:00–17:30" in render_answer(_park(), "hours", "en", today=TODAY)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_no_period_covering_the_day_says_verify(lang: str) -> None:
    hours = _park().opening_hours
    assert hours.value is not None
    peak_only = _park().model_copy(
        update={"opening_hours": hours.model_copy(update={"value": hours.value[:1]})}
    )
    answer = render_answer(peak_only, "hours", lang, today=TODAY, on=WINTER)
    t = templates(lang)
    name = _park().names.get(lang)
    assert (
        t["out_of_season_hours"].format(name=name, date=format_date(WINTER, "day", lang)) in answer
    )
    assert t["verify"] in answer
    assert "07:30" not in answer and "18:30" not in answer


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_seasonal_prices_only_for_the_day_asked(lang: str) -> None:
    winter = render_answer(_park(), "ticket", lang, today=TODAY, on=WINTER)
    assert "80" in winter and "169" not in winter
    summer = render_answer(_park(), "ticket", lang, today=TODAY, on=SUMMER)
    assert "169" in summer and " 80" not in summer and "：80" not in summer


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_answer_names_the_publisher_and_the_sources_own_date(lang: str) -> None:
    answer = render_answer(_park(), "ticket", lang, today=TODAY)
    ticket = _park().ticket
    assert ticket.publisher is not None
    assert ticket.publisher.get(lang) in answer
    assert format_date(dt.date(2025, 7, 1), "month", lang) in answer  # published: 2025-07
    assert str(ticket.source) in answer
    assert (
        templates(lang)["stale"].split("{")[0] not in answer
        or not templates(lang)["stale"].split("{")[0]
    )


def test_english_source_line_reads_as_of_month_per_publisher() -> None:
    answer = render_answer(_park(), "ticket", "en", today=TODAY)
    assert (
        "As of July 2025, per the Cliff Buddha Park authority: https://park.example.cn/" in answer
    )
    hours = render_answer(_park(), "hours", "en", today=TODAY)
    assert "As of 1 July 2025, per the official site of Cliff Buddha Park" in hours


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_an_undated_page_gives_the_day_it_was_checked(lang: str) -> None:
    answer = render_answer(_park(), "transport", lang, today=TODAY)
    expected = templates(lang)["source_checked"].format(
        publisher="travel.example.com",
        date=format_date(dt.date(2026, 11, 20), "day", lang),
        url="https://travel.example.com/guides/cliff-buddha-park-transport",
    )
    assert expected in answer


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_a_fact_older_than_two_years_is_told_with_a_warning(lang: str) -> None:
    stale = templates(lang)["stale"].format(date=format_date(dt.date(2021, 3, 15), "day", lang))
    assert stale in render_answer(_park(), "reservation", lang, today=TODAY)
    # The same fact was not stale yet in early 2023.
    assert stale not in render_answer(_park(), "reservation", lang, today=dt.date(2023, 3, 1))
    # A recent fact carries no warning.
    recent = render_answer(_park(), "hours", lang, today=TODAY)
    assert (
        templates(lang)["stale"].format(date=format_date(dt.date(2025, 7, 1), "day", lang))
        not in recent
    )


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_conflicting_sources_give_no_value_and_ask_to_verify(lang: str) -> None:
    answer = render_answer(_park(), "contact", lang, today=TODAY)
    t = templates(lang)
    assert t["conflict"] in answer and t["verify"] in answer
    assert "0833-1111111" not in answer and "0833-2222222" not in answer


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_a_partners_live_value_wins_and_is_named(lang: str) -> None:
    observed = dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC)  # 09:30 China time
    live = Fact[Ticket].model_validate(
        {
            "value": {"prices": [{"category": "adult", "amount": 95}]},
            "live": LiveData(observed_at=observed),
        }
    )
    entry = _park().model_copy(update={"ticket": live})
    answer = render_answer(entry, "ticket", lang, today=TODAY)
    assert "95" in answer and "169" not in answer and "80" not in answer.replace("2026", "")
    expected = templates(lang)["live_source"].format(
        name=_park().names.get(lang), time="09:30", day="2026-12-07"
    )
    assert expected in answer
