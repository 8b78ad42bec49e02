"""Answer paths: route, accessibility, season, altitude, food, duration and practical topics.

Rendered from the real entries' names and structure; the facts whose values are asserted are set
(or blanked) with ``model_copy``, so re-sourcing a real venue never changes these tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from common.languages import SUPPORTED_LANGUAGES
from knowledge_base.answer_paths import (
    PATH_TOPICS,
    labels,
    not_confirmed,
    render_festivals,
    render_no_information,
    render_path_answer,
)
from knowledge_base.answers import render_answer
from knowledge_base.provenance import format_date
from knowledge_base.schema import Entry, Fact, LocalizedText
from knowledge_base.store import load_entries

SOURCE = "https://example.org/sourced-page"
CHECKED = dt.date(2026, 11, 30)
TEXT_FACTS = {
    "directions": "transport",
    "accessibility": "accessibility",
    "best_season": "best_season",
    "food": "food_nearby",
    "duration": "visit_duration",
}


@pytest.fixture(scope="module")
def entries() -> dict[str, Entry]:
    return load_entries()


def localized(prefix: str) -> LocalizedText:
    return LocalizedText(**{lang: f"{prefix}-{lang}" for lang in SUPPORTED_LANGUAGES})


def with_fact(entry: Entry, field: str, value: Any, caveat: LocalizedText | None = None) -> Entry:
    fact = Fact[Any](value=value, source=SOURCE, last_verified=CHECKED, caveat=caveat)
    return entry.model_copy(update={field: fact})


def test_every_language_has_the_same_labels() -> None:
    english = labels("en")
    for lang in SUPPORTED_LANGUAGES:
        t = labels(lang)
        assert set(t) == set(english), lang
        assert set(t["topics"]) == PATH_TOPICS, lang
        assert set(t["itinerary"]) == set(english["itinerary"]), lang


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("topic", sorted(TEXT_FACTS))
def test_a_sourced_text_fact_is_answered_in_the_language_with_its_source(
    entries: dict[str, Entry], topic: str, lang: str
) -> None:
    entry = with_fact(entries["leshan-giant-buddha"], TEXT_FACTS[topic], localized(topic))
    answer = render_path_answer(entry, topic, lang)  # type: ignore[arg-type]
    assert f"{topic}-{lang}" in answer
    assert entry.names.get(lang) in answer
    assert SOURCE in answer and format_date(CHECKED, "day", lang) in answer
    assert not_confirmed(entry, topic, lang) not in answer


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("topic", sorted(PATH_TOPICS - {"practical"}))
def test_a_missing_fact_says_not_confirmed_with_the_phone_and_invents_nothing(
    entries: dict[str, Entry], topic: str, lang: str
) -> None:
    blank = {field: Fact[Any]() for field in (*TEXT_FACTS.values(), "elevation_m")}
    phone = Fact[Any](value="0000-7654321", source=SOURCE, last_verified=CHECKED)
    entry = entries["jiuzhaigou"].model_copy(update={**blank, "phone": phone})
    answer = render_path_answer(entry, topic, lang)  # type: ignore[arg-type]
    expected = labels(lang)["not_confirmed"].format(
        what=labels(lang)["topics"][topic], name=entry.names.get(lang)
    )
    assert expected in answer
    assert "0000-7654321" in answer


def test_a_caveat_is_told_in_the_tourists_language(entries: dict[str, Entry]) -> None:
    entry = with_fact(
        entries["emeishan"], "best_season", localized("season"), caveat=localized("careful")
    )
    for lang in SUPPORTED_LANGUAGES:
        assert f"careful-{lang}" in render_path_answer(entry, "best_season", lang)


def test_directions_give_the_route_then_the_chinese_address_for_the_driver(
    entries: dict[str, Entry],
) -> None:
    address = LocalizedText(**{lang: f"address-{lang}" for lang in SUPPORTED_LANGUAGES})
    base = with_fact(entries["jiuzhaigou"], "address", address)
    entry = with_fact(base, "transport", localized("route"))
    for lang in SUPPORTED_LANGUAGES:
        answer = render_path_answer(entry, "directions", lang)
        assert answer.index(f"route-{lang}") < answer.index("address-zh")


def test_altitude_in_metres_with_the_altitude_sickness_hint_for_high_places(
    entries: dict[str, Entry],
) -> None:
    high = with_fact(entries["huanglong"], "elevation_m", 3100.0)
    low = with_fact(entries["wuhou-shrine"], "elevation_m", 500.0)
    assert "altitude" in high.tags and "altitude" not in low.tags
    for lang in SUPPORTED_LANGUAGES:
        t = labels(lang)
        assert t["altitude_hint"] in render_path_answer(high, "altitude", lang)
        assert t["altitude_hint"] not in render_path_answer(low, "altitude", lang)
        assert "500" in render_path_answer(low, "altitude", lang)


@pytest.mark.parametrize(
    "entry_id",
    [
        "topic-altitude-sickness",
        "topic-payment-foreign-visitors",
        "topic-refunds",
        "topic-concessions",
        "topic-reservation-rules",
        "topic-tourism-hotline-12301",
    ],
)
@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_practical_topics_are_answered_from_their_entries(
    entries: dict[str, Entry], entry_id: str, lang: str
) -> None:
    entry = entries[entry_id]
    answer = render_path_answer(entry, "practical", lang)
    assert entry.names.get(lang) in answer
    assert entry.description.get(lang) in answer
    if entry.details.value is not None:
        assert entry.details.value.get(lang) in answer
    assert not_confirmed(entry, "practical", lang) not in answer


def test_the_hotline_answer_carries_the_sourced_12345(entries: dict[str, Entry]) -> None:
    for lang in SUPPORTED_LANGUAGES:
        answer = render_no_information(entries["topic-tourism-hotline-12301"], lang)
        assert "12345" in answer
        assert answer.startswith(labels(lang)["no_information"])


def test_any_topic_asked_through_a_place_path_gets_the_practical_answer(
    entries: dict[str, Entry],
) -> None:
    entry = entries["topic-payment-foreign-visitors"]
    for topic in ("ticket", "hours", "reservation", "altitude", "directions"):
        answer = render_answer(entry, topic, "en")  # type: ignore[arg-type]
        assert answer == render_path_answer(entry, "practical", "en")
        assert "not confirmed" not in answer


def test_render_answer_dispatches_path_topics(entries: dict[str, Entry]) -> None:
    entry = entries["emeishan"]
    for topic in sorted(PATH_TOPICS):
        for lang in SUPPORTED_LANGUAGES:
            assert render_answer(entry, topic, lang) == render_path_answer(entry, topic, lang)  # type: ignore[arg-type]


def test_an_event_says_its_recorded_dates_and_asks_to_verify(entries: dict[str, Entry]) -> None:
    entry = entries["event-zigong-lantern-festival"]
    dates = entry.event_dates.value or []
    assert dates
    for lang in SUPPORTED_LANGUAGES:
        answer = render_path_answer(entry, "practical", lang)
        assert dates[0].isoformat() in answer


def test_festivals_list_or_say_there_are_none(entries: dict[str, Entry]) -> None:
    event = entries["event-chengdu-temple-fair"]
    day = dt.date(2027, 2, 1)
    for lang in SUPPORTED_LANGUAGES:
        assert render_festivals([], lang) == labels(lang)["no_festivals"]
        listed = render_festivals([(event, day)], lang)
        assert event.names.get(lang) in listed and day.isoformat() in listed


def test_when_is_a_festival_gets_its_dates_not_only_a_description(
    entries: dict[str, Entry],
) -> None:
    entry = entries["event-zigong-lantern-festival"]
    dates = entry.event_dates.value or []
    for lang in SUPPORTED_LANGUAGES:
        answer = render_answer(entry, "hours", lang)
        first = answer.splitlines()[0]
        assert first == labels(lang)["event_when"].format(name=entry.names.get(lang))
        assert dates[0].isoformat() in answer


def test_a_festival_asked_like_a_place_answers_that_question(entries: dict[str, Entry]) -> None:
    event = with_fact(entries["event-litang-horse-festival"], "elevation_m", None)
    for lang in SUPPORTED_LANGUAGES:
        answer = render_path_answer(event, "altitude", lang)
        assert answer.startswith(not_confirmed(event, "altitude", lang))
    routed = with_fact(entries["event-zigong-lantern-festival"], "transport", localized("route"))
    assert "route-fr" in render_path_answer(routed, "directions", "fr")
    assert render_path_answer(routed, "duration", "en") == render_path_answer(
        routed, "practical", "en"
    )
