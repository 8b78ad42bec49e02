"""Day-by-day plans from the knowledge base: right city, opening days, festivals within the stay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from common.languages import SUPPORTED_LANGUAGES
from knowledge_base.answer_paths import labels
from knowledge_base.itinerary import (
    MAX_DAYS,
    STOPS_PER_DAY,
    STOPS_PER_DAY_GENTLE,
    Party,
    cities,
    city_key,
    find_city,
    is_open_on,
    parse_days,
    parse_party,
    plan_itinerary,
    render_itinerary,
)
from knowledge_base.schema import Entry, Fact, OpeningPeriod
from knowledge_base.store import load_entries

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def entries() -> dict[str, Entry]:
    return load_entries()


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2 days in Chengdu", 2),
        ("3-day trip with elderly parents", 3),
        ("what can we do in two days", 2),
        ("a week in Sichuan", 7),
        ("成都两天怎么玩", 2),
        ("成都3日游", 3),
        ("五天怎么玩", 5),
        ("成都で2泊3日", 3),
        ("3日間の計画", 3),
        ("청두 2박3일 일정", 3),
        ("이틀 코스", 2),
        ("deux jours à Chengdu", 2),
        ("programme de 4 jours", 4),
        ("zwei Tage in Chengdu", 2),
        ("3 Tage Chengdu Plan", 3),
        ("dos días en Chengdu", 2),
        ("plan de 5 días", 5),
        ("три дня в Чэнду", 3),
        ("маршрут на 2 дня", 2),
        ("on 12月3日 for 2 days", 2),
        ("plan my trip", None),
        ("30 days in Chengdu", MAX_DAYS),
    ],
)
def test_number_of_days_is_read_in_every_language(text: str, days: int | None) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize(
    ("text", "elderly", "children"),
    [
        ("3-day trip with elderly parents", True, False),
        ("带爸妈玩三天", True, False),
        ("高齢の両親と3日間", True, False),
        ("부모님 모시고 3일", True, False),
        ("avec mes parents âgés", True, False),
        ("mit meinen älteren Eltern", True, False),
        ("con mis padres mayores", True, False),
        ("с пожилыми родителями", True, False),
        ("three days with kids", False, True),
        ("带孩子玩两天", False, True),
        ("2 days in Chengdu", False, False),
    ],
)
def test_elderly_travellers_and_children_are_noticed(
    text: str, elderly: bool, children: bool
) -> None:
    assert parse_party(text) == Party(elderly=elderly, children=children)


def test_the_city_is_found_by_any_of_its_names(entries: dict[str, Entry]) -> None:
    known = cities(entries.values())
    assert "chengdu" in known and "leshan" in known
    assert find_city("2 days in Chengdu please", known) == "chengdu"
    assert find_city("成都两日游", known) == "chengdu"
    assert find_city("how to spend 2 days in Leshan", known) == "leshan"
    assert find_city("plan my trip", known) is None


def test_places_come_only_from_the_asked_city(entries: dict[str, Entry]) -> None:
    plan = plan_itinerary(entries.values(), city="chengdu", days=3, start=MONDAY)
    stops = [stop for day in plan.days for stop in day.stops]
    assert stops
    assert all(city_key(stop.city) == "chengdu" for stop in stops)
    assert all(stop.type not in ("topic", "event") for stop in stops)
    assert len({stop.id for stop in stops}) == len(stops)


def test_at_most_three_places_a_day_and_two_with_elderly_travellers(
    entries: dict[str, Entry],
) -> None:
    normal = plan_itinerary(entries.values(), city="chengdu", days=2, start=MONDAY)
    gentle = plan_itinerary(
        entries.values(), city="chengdu", days=2, start=MONDAY, party=Party(elderly=True)
    )
    assert all(len(day.stops) <= STOPS_PER_DAY for day in normal.days)
    assert all(len(day.stops) <= STOPS_PER_DAY_GENTLE for day in gentle.days)
    assert sum(len(d.stops) for d in gentle.days) <= sum(len(d.stops) for d in normal.days)


def test_a_place_is_never_planned_on_its_closing_day(entries: dict[str, Entry]) -> None:
    # Hours unsourced (whatever the real entry has now), then closed on Mondays.
    museum = entries["chengdu-museum"].model_copy(update={"opening_hours": Fact[Any]()})
    closed_monday = museum.model_copy(
        update={
            "opening_hours": Fact[list[OpeningPeriod]](
                value=[OpeningPeriod(opens="09:00", closes="17:00", closed_weekdays=["mon"])],
                source="https://example.org/hours",
                last_verified=MONDAY,
            )
        }
    )
    assert not is_open_on(closed_monday, MONDAY)
    assert is_open_on(closed_monday, MONDAY + dt.timedelta(days=1))
    assert is_open_on(museum, MONDAY)  # hours not sourced: no closing day is assumed
    pool = [closed_monday if e.id == museum.id else e for e in entries.values()]
    for days in (1, 2, 3):
        plan = plan_itinerary(pool, city="chengdu", days=days, start=MONDAY)
        assert museum.id not in {stop.id for stop in plan.days[0].stops}
        for day in plan.days:
            assert all(is_open_on(stop, day.date) for stop in day.stops)
    english = render_itinerary(plan_itinerary(pool, city="chengdu", days=2, start=MONDAY), "en")
    assert "Monday" in english


def test_festivals_only_when_they_fall_within_the_stay(entries: dict[str, Entry]) -> None:
    fair = entries["event-chengdu-temple-fair"]
    first, last = min(fair.event_dates.value or []), max(fair.event_dates.value or [])
    during = plan_itinerary(entries.values(), city="chengdu", days=2, start=first)
    assert fair in during.days[0].events
    after = plan_itinerary(
        entries.values(), city="chengdu", days=2, start=last + dt.timedelta(days=1)
    )
    assert not any(day.events for day in after.days)
    lantern = entries["event-zigong-lantern-festival"]
    on_lantern_day = plan_itinerary(
        entries.values(), city="chengdu", days=3, start=(lantern.event_dates.value or [])[0]
    )
    assert all(lantern not in day.events for day in on_lantern_day.days)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_plan_is_rendered_in_every_language(entries: dict[str, Entry], lang: str) -> None:
    plan = plan_itinerary(
        entries.values(), city=None, days=3, start=MONDAY, party=Party(elderly=True)
    )
    text = render_itinerary(plan, lang)
    it = labels(lang)["itinerary"]
    assert it["default_city"].split("{")[0] in text
    assert it["elderly"] in text and it["footer"] in text
    for day in plan.days:
        assert day.date.isoformat() in text
        for stop in day.stops:
            assert stop.names.get(lang) in text
    assert "{" not in text and "}" not in text


def test_a_city_without_places_gets_no_invented_plan(entries: dict[str, Entry]) -> None:
    plan = plan_itinerary(entries.values(), city="atlantis", days=2, start=MONDAY)
    for lang in SUPPORTED_LANGUAGES:
        assert render_itinerary(plan, lang) == labels(lang)["itinerary"]["no_places"]


def test_russian_day_counts_agree_with_the_number() -> None:
    headers = labels("ru")["itinerary"]["header"]
    from knowledge_base.itinerary import _plural

    assert _plural("ru", 1, headers) == headers["one"]
    assert _plural("ru", 3, headers) == headers["few"]
    assert _plural("ru", 5, headers) == headers["many"]
    assert _plural("fr", 1, labels("fr")["itinerary"]["header"]).startswith("Programme d'une")
