"""Tests for answer rendering: eight languages, right numbers, source and date, unconfirmed facts."""

from __future__ import annotations

import datetime as dt

import pytest

from common.languages import SUPPORTED_LANGUAGES
from knowledge_base.answers import render_answer
from knowledge_base.provenance import format_date
from knowledge_base.schema import Entry
from knowledge_base.seasonal import season_on, season_ranges

SOURCE = "https://example.org/jiuzhai-prices"
VERIFIED = dt.date(2026, 11, 20)
SUMMER = dt.date(2026, 7, 1)
WINTER = dt.date(2026, 1, 10)

VERIFY_WORDS = {
    "zh": "确认",
    "en": "verify with the venue",
    "ja": "確認",
    "ko": "확인",
    "fr": "vérifier",
    "de": "erkundigen",
    "es": "verifíquelo",
    "ru": "уточните",
}


def _text(label: str) -> dict[str, str]:
    """A free text with a distinct value per language: ``"<label> [ja]"`` and so on."""
    return {lang: f"{label} [{lang}]" for lang in SUPPORTED_LANGUAGES}


def _entry(**overrides: object) -> Entry:
    data: dict[str, object] = {
        "id": "lake-valley",
        "type": "scenic_area",
        "names": {
            "zh": "九寨沟",
            "en": "Jiuzhaigou Valley",
            "ko": "주자이거우",
            "ru": "Цзючжайгоу",
        },
        "description": _text("lakes"),
        "phone": {
            "value": "0837-7739753",
            "source": "https://example.org/phone",
            "last_verified": "2026-11-01",
        },
        "ticket": {
            "value": {
                "prices": [
                    {
                        "category": "adult",
                        "season": "peak",
                        "amount": 169,
                        "label": {
                            **_text("entrance peak"),
                            "zh": "门票（4月1日至11月15日）",
                            "en": "Entrance (1 Apr - 15 Nov)",
                        },
                    },
                    {
                        "category": "adult",
                        "season": "off_peak",
                        "amount": 80,
                        "label": {
                            **_text("entrance off-peak"),
                            "zh": "门票（11月16日至次年3月31日）",
                            "en": "Entrance (16 Nov - 31 Mar)",
                        },
                    },
                ]
            },
            "source": SOURCE,
            "last_verified": VERIFIED.isoformat(),
        },
        "sources": ["https://example.org/entry"],
        "last_verified": "2026-11-02",
    }
    data.update(overrides)
    return Entry.model_validate(data)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_ticket_answer_gives_only_the_seasons_price(lang: str) -> None:
    summer = render_answer(_entry(), "ticket", lang, today=SUMMER)
    assert "169" in summer and "80" not in summer.replace(str(SUMMER.year), "")
    assert SOURCE in summer and format_date(VERIFIED, "day", lang) in summer
    winter = render_answer(_entry(), "ticket", lang, today=WINTER)
    assert "80" in winter and "169" not in winter


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_empty_fact_says_verify_with_venue_and_gives_phone(lang: str) -> None:
    text = render_answer(_entry(), "hours", lang)
    assert VERIFY_WORDS[lang] in text
    assert "0837-7739753" in text
    assert "https://example.org/entry" in text
    assert format_date(dt.date(2026, 11, 2), "day", lang) in text


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "topic", ["ticket", "hours", "location", "contact", "reservation", "transport", "info"]
)
def test_every_answer_names_source_and_date(lang: str, topic: str) -> None:
    text = render_answer(_entry(), topic, lang, today=SUMMER)  # type: ignore[arg-type]
    assert "https://example.org/" in text
    dates = (dt.date(2026, 11, 20), dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    assert any(format_date(d, "day", lang) in text for d in dates)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_free_text_is_in_the_tourists_language(lang: str) -> None:
    text = render_answer(_entry(), "info", lang)
    assert f"lakes [{lang}]" in text
    assert not any(f"[{other}]" in text for other in SUPPORTED_LANGUAGES if other != lang)


def test_unknown_language_falls_back_to_english() -> None:
    text = render_answer(_entry(), "hours", "pt")
    assert "verify with the venue" in text


def test_hours_rendered_with_closed_day_and_last_entry() -> None:
    entry = _entry(
        opening_hours={
            "value": [
                {
                    "opens": "09:00",
                    "closes": "17:00",
                    "last_entry": "16:30",
                    "closed_weekdays": ["mon"],
                }
            ],
            "source": "https://example.org/hours",
            "last_verified": "2026-10-01",
        }
    )
    text = render_answer(entry, "hours", "de")
    assert "09:00–17:00" in text and "16:30" in text and "montags" in text
    assert "https://example.org/hours" in text and "1. Oktober 2026" in text


def test_reservation_required_in_french() -> None:
    entry = _entry(
        reservation={
            "value": {"required": True, "channels": _text("WeChat mini-program")},
            "source": "https://example.org/res",
            "last_verified": "2026-10-05",
        }
    )
    text = render_answer(entry, "reservation", "fr")
    assert "réservation" in text and "WeChat mini-program [fr]" in text


def test_free_ticket() -> None:
    entry = _entry(
        ticket={"value": {"free": True}, "source": SOURCE, "last_verified": VERIFIED.isoformat()}
    )
    assert "免费" in render_answer(entry, "ticket", "zh")


def test_season_ranges_from_labels_wrap_the_new_year() -> None:
    ranges = season_ranges(_entry())
    assert ranges == {"peak": ((4, 1), (11, 15)), "off_peak": ((11, 16), (3, 31))}
    assert season_on(dt.date(2026, 12, 25), ranges) == "off_peak"
    assert season_on(dt.date(2026, 4, 1), ranges) == "peak"
