"""Every reply is in the tourist's language: real entries, caveats, Korean particles, taxi address."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

import pytest

from common.languages import SUPPORTED_LANGUAGES
from knowledge_base.answer_paths import driver_address
from knowledge_base.answers import render_answer, templates
from knowledge_base.schema import Entry
from knowledge_base.store import load_entries
from knowledge_base.validate import localized_texts

TOPICS = ("ticket", "hours", "location", "contact", "reservation", "transport", "info")
NON_ENGLISH = tuple(lang for lang in SUPPORTED_LANGUAGES if lang != "en")
TODAY = dt.date(2026, 7, 1)


@cache
def _entries() -> dict[str, Entry]:
    return load_entries()


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


@cache
def _english_label_fragments() -> tuple[str, ...]:
    """Wording of the English templates between placeholders (e.g. 'Please note: ')."""
    fragments = set()
    for template in _strings(templates("en")):
        for part in re.split(r"\{[a-z_]+\}", template):
            part = part.strip(" :.,()←–-")
            if len(part) >= 8 and " " in part:
                fragments.add(part)
    return tuple(sorted(fragments))


def _english_texts(entry: Entry, lang: str) -> list[str]:
    """English values of the entry's free texts that differ from their ``lang`` value."""
    return [
        text.get("en")
        for _, text in localized_texts(entry)
        if len(text.get("en")) > 3 and text.get("en") != text.get(lang)
    ]


@pytest.mark.parametrize("lang", NON_ENGLISH)
def test_real_entries_render_every_topic_without_english_fallback(lang: str) -> None:
    problems = []
    for entry in _entries().values():
        english = _english_texts(entry, lang)
        for topic in TOPICS:
            reply = render_answer(entry, topic, lang, today=TODAY)  # type: ignore[arg-type]
            problems += [f"{entry.id}/{topic}: {t[:40]!r}" for t in english if t in reply]
            problems += [
                f"{entry.id}/{topic}: label {f!r}" for f in _english_label_fragments() if f in reply
            ]
    assert problems == []


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_real_entries_show_their_own_language_text(lang: str) -> None:
    for entry in _entries().values():
        reply = render_answer(entry, "info", lang, today=TODAY)
        assert entry.description.get(lang) in reply


def test_korean_replies_never_show_both_particles() -> None:
    for entry in _entries().values():
        for topic in TOPICS:
            reply = render_answer(entry, topic, "ko", today=TODAY)  # type: ignore[arg-type]
            assert not re.search(r"은\(는\)|이\(가\)|을\(를\)|과\(와\)|<[^>]+/[^>]+>", reply), reply


def _venue(name_ko: str, **overrides: object) -> Entry:
    data: dict[str, object] = {
        "id": "venue",
        "type": "museum",
        "names": {"zh": "场馆", "en": "Venue", "ko": name_ko},
        "description": {lang: f"desc [{lang}]" for lang in SUPPORTED_LANGUAGES},
        "ticket": {
            "value": {"free": True},
            "source": "https://example.org/t",
            "last_verified": "2026-11-01",
        },
        "sources": ["https://example.org/venue"],
    }
    data.update(overrides)
    return Entry.model_validate(data)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("무후사", "무후사는"), ("청두박물관", "청두박물관은"), ("진리", "진리는")],
)
def test_korean_particle_chosen_by_the_names_final_consonant(name: str, expected: str) -> None:
    assert render_answer(_venue(name), "ticket", "ko").startswith(expected + " ")


CAVEAT = {lang: f"from 2021 [{lang}]" for lang in SUPPORTED_LANGUAGES}


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_caveat_is_told_in_every_language_and_the_note_never(lang: str) -> None:
    entry = _venue(
        "장소",
        ticket={
            "value": {"free": True},
            "source": "https://example.org/t",
            "last_verified": "2026-11-01",
            "note": "Internal: copied from a 2021 guide.",
            "caveat": CAVEAT,
        },
    )
    reply = render_answer(entry, "ticket", lang)
    assert CAVEAT[lang] in reply
    assert "Internal" not in reply
    assert not any(CAVEAT[o] in reply for o in SUPPORTED_LANGUAGES if o != lang)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_caveat_of_an_unconfirmed_fact_is_still_told(lang: str) -> None:
    entry = _venue("장소", opening_hours={"caveat": CAVEAT})
    reply = render_answer(entry, "hours", lang)
    assert CAVEAT[lang] in reply


def test_chinese_jiuzhaigou_price_keeps_its_warning() -> None:
    entry = _entries()["jiuzhaigou"]
    caveat = entry.ticket.caveat
    assert caveat is not None
    assert caveat.get("zh") in render_answer(entry, "ticket", "zh", today=TODAY)


ADDRESS = {lang: f"1 Road [{lang}]" for lang in SUPPORTED_LANGUAGES} | {"zh": "成都市一路1号"}


@pytest.mark.parametrize("lang", NON_ENGLISH[1:] + ("en",))
def test_address_in_the_tourists_language_and_in_chinese_for_the_taxi(lang: str) -> None:
    entry = _venue(
        "장소",
        address={
            "value": ADDRESS,
            "source": "https://example.org/a",
            "last_verified": "2026-11-01",
        },
    )
    reply = render_answer(entry, "location", lang)
    assert ADDRESS[lang] in reply
    taxi = [line for line in reply.splitlines() if ADDRESS["zh"] in line]
    assert taxi == [templates(lang)["address_zh"].format(text=ADDRESS["zh"])]


def test_chinese_reply_gives_the_address_once() -> None:
    entry = _venue(
        "장소",
        address={
            "value": ADDRESS,
            "source": "https://example.org/a",
            "last_verified": "2026-11-01",
        },
    )
    assert render_answer(entry, "location", "zh").count(ADDRESS["zh"]) == 1


@pytest.mark.parametrize("lang", NON_ENGLISH[1:] + ("en",))
def test_real_addresses_come_with_the_chinese_one(lang: str) -> None:
    for entry in _entries().values():
        address = entry.address.value
        if address is None:
            continue
        reply = render_answer(entry, "location", lang)
        assert address.get(lang) in reply and driver_address(address.get("zh")) in reply


def test_the_drivers_address_leaves_out_a_chinese_description_in_brackets() -> None:
    full = "成都市青羊区金河路口宽窄巷子（北起支矶石街，南至金河街）"
    assert driver_address(full) == "成都市青羊区金河路口宽窄巷子"
    assert (
        driver_address("成都市青羊区小河街1号（天府广场西侧）")
        == "成都市青羊区小河街1号（天府广场西侧）"
    )


def test_russian_price_uses_the_plural_form() -> None:
    entry = _venue(
        "장소",
        ticket={
            "value": {
                "prices": [
                    {"category": "adult", "amount": 21},
                    {"category": "child", "amount": 3},
                    {"category": "senior", "amount": 50},
                ]
            },
            "source": "https://example.org/t",
            "last_verified": "2026-11-01",
        },
    )
    reply = render_answer(entry, "ticket", "ru")
    assert "21 юань" in reply and "3 юаня" in reply and "50 юаней" in reply


def test_hours_are_never_labelled_as_a_price() -> None:
    entry = _venue(
        "장소",
        opening_hours={
            "value": [
                {
                    "season": "summer",
                    "from_date": "05-01",
                    "to_date": "10-31",
                    "opens": "08:00",
                    "closes": "20:00",
                },
                {
                    "season": "winter",
                    "from_date": "11-01",
                    "to_date": "04-30",
                    "opens": "08:00",
                    "closes": "18:30",
                },
            ],
            "source": "https://example.org/h",
            "last_verified": "2026-11-01",
        },
    )
    for lang in SUPPORTED_LANGUAGES:
        reply = render_answer(entry, "hours", lang, today=TODAY)
        assert "20:00" in reply and "18:30" not in reply  # only the season of the day asked
