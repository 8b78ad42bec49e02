"""Reading the tourist's answers to the complaint form in the eight languages."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.complaints import parsing

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "overcharging"),
        ("２", "forced_shopping"),
        ("3番", "service_quality"),
        ("4번", "safety"),
        ("5.", "false_advertising"),
        ("6", "refund_dispute"),
        ("7", "other"),
        ("they overcharged me", "overcharging"),
        ("乱收费", "overcharging"),
        ("强迫购物", "forced_shopping"),
        ("ぼったくり", "overcharging"),
        ("환불", "refund_dispute"),
        ("publicité mensongère", "false_advertising"),
        ("Sicherheit", "safety"),
        ("calidad del servicio", "service_quality"),
        ("принудительные покупки", "forced_shopping"),
        ("其他", "other"),
        ("Other", "other"),
    ],
)
def test_categories_by_number_or_word(text: str, expected: str) -> None:
    assert parsing.category(text) == expected


@pytest.mark.parametrize("text", ["8", "0", "hello", "", "12"])
def test_no_category_in_other_answers(text: str) -> None:
    assert parsing.category(text) is None


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("200", 20_000),
        ("¥1,280.50", 128_050),
        ("300 yuan", 30_000),
        ("两百五十元", 25_000),
        ("三千", 300_000),
        ("150,5 €", 15_050),
        ("150 юаней", 15_000),
        ("none", 0),
        ("没有", 0),
        ("なし", 0),
        ("нет", 0),
    ],
)
def test_amounts_in_fen(text: str, fen: int) -> None:
    assert parsing.amount_fen(text) == fen


def test_no_amount_in_words_without_numbers() -> None:
    assert parsing.amount_fen("a lot") is None


def test_dates_come_from_the_entity_or_an_iso_or_cjk_date() -> None:
    assert parsing.occurred_on("yesterday", ["2026-12-06"], TODAY) == dt.date(2026, 12, 6)
    assert parsing.occurred_on("2026-12-03", [], TODAY) == dt.date(2026, 12, 3)
    assert parsing.occurred_on("2026年11月30日", [], TODAY) == dt.date(2026, 11, 30)


@pytest.mark.parametrize("text", ["hier", "Hier.", "gestern", "вчера", "昨日"])
def test_yesterday_without_an_entity(text: str) -> None:
    assert parsing.occurred_on(text, [], TODAY) == dt.date(2026, 12, 6)


def test_a_day_month_the_entity_put_next_year_means_this_year() -> None:
    # the date extractor resolves "12月5日" to the next 5 December
    assert parsing.occurred_on("12月5日", ["2027-12-05"], TODAY) == dt.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "entities"),
    [("tomorrow", ["2026-12-08"]), ("2024-01-01", []), ("soon", []), ("2026-13-40", [])],
)
def test_future_old_or_unreadable_dates_are_refused(text: str, entities: list[str]) -> None:
    assert parsing.occurred_on(text, entities, TODAY) is None


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("138 0013 8000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+81 90-1234-5678", "+819012345678"),
        ("我的电话是13800138000", "+8613800138000"),
    ],
)
def test_valid_phones_in_e164(text: str, e164: str) -> None:
    assert parsing.phone_e164(text) == e164


@pytest.mark.parametrize("text", ["12345", "call me", "+1 000", "138001380", ""])
def test_invalid_phones_are_refused(text: str) -> None:
    assert parsing.phone_e164(text) is None


def test_masked_phone_keeps_country_code_and_last_four_digits_only() -> None:
    assert parsing.mask_phone("+8613800138000") == "+86 138****8000"
    assert "1380013" not in parsing.mask_phone("+8613800138000")


@pytest.mark.parametrize(
    "text",
    [
        "cancel",
        "Stop!",
        "取消",
        "算了。",
        "キャンセル",
        "취소",
        "annuler",
        "abbrechen",
        "cancelar",
        "отмена",
    ],
)
def test_stop_words_in_every_language(text: str) -> None:
    assert parsing.is_cancel(text)


@pytest.mark.parametrize(
    "text", ["the driver would not stop", "cancelled flight made us late", "200"]
)
def test_answers_that_mention_stopping_are_not_a_stop(text: str) -> None:
    assert not parsing.is_cancel(text)


def test_references_any_case_with_or_without_hyphens() -> None:
    assert parsing.reference("status of ts20261207-0001 please") == "TS-20261207-0001"
    assert parsing.reference("TS-20261207-0042") == "TS-20261207-0042"
    assert parsing.reference("BK-20261207-0001") is None


def test_yes_and_no() -> None:
    assert parsing.yes_or_no("Yes") is True
    assert parsing.yes_or_no("はい") is True
    assert parsing.yes_or_no("нет") is False
    assert parsing.yes_or_no("maybe later") is None


def test_evidence_from_channel_metadata_and_links() -> None:
    urls = parsing.evidence_urls(
        "receipt: https://img.example/r.jpg",
        {"image_url": "https://mmbiz.example/p.png", "attachments": [{"url": "ftp://x"}]},
    )
    assert urls == ["https://mmbiz.example/p.png", "https://img.example/r.jpg"]
    assert parsing.evidence_urls("no pictures", None) == []
