"""Dates, counts and short answers as tourists write them, in the eight languages."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.bookings.understanding import (
    is_no,
    is_stop,
    is_yes,
    part_of_day_of,
    read_choice,
    read_count,
    read_date,
    read_ticket_counts,
)

MONDAY = dt.date(2026, 12, 7)
TOMORROW = dt.date(2026, 12, 8)
IN_TWO = dt.date(2026, 12, 9)
IN_THREE = dt.date(2026, 12, 10)
NEXT_SATURDAY = dt.date(2026, 12, 12)  # the first Saturday after Monday 7 December
DEC_20 = dt.date(2026, 12, 20)


@pytest.mark.parametrize(
    ("lang", "text", "day", "part"),
    [
        ("zh", "明天上午", TOMORROW, "morning"),
        ("zh", "后天下午两点", IN_TWO, "afternoon"),
        ("zh", "下周六", dt.date(2026, 12, 19), None),  # 下周 is next calendar week
        ("zh", "12月20号", DEC_20, None),
        ("zh", "三天后", IN_THREE, None),
        ("en", "tomorrow morning", TOMORROW, "morning"),
        ("en", "next Saturday", NEXT_SATURDAY, None),
        ("en", "in 3 days", IN_THREE, None),
        ("en", "20 December", DEC_20, None),
        ("en", "Dec 20th", DEC_20, None),
        ("ja", "あさって", IN_TWO, None),
        ("ja", "明日の午前", TOMORROW, "morning"),
        ("ja", "12月20日", DEC_20, None),  # dateparser alone says 2112
        ("ja", "3日後", IN_THREE, None),
        ("ko", "모레", IN_TWO, None),
        ("ko", "내일 오후", TOMORROW, "afternoon"),
        ("ko", "3일 후", IN_THREE, None),
        ("ko", "사흘 뒤", IN_THREE, None),
        ("ko", "12월 20일", DEC_20, None),
        ("fr", "demain matin", TOMORROW, "morning"),
        ("fr", "samedi prochain", NEXT_SATURDAY, None),
        ("fr", "dans 3 jours", IN_THREE, None),
        ("fr", "le 20 décembre", DEC_20, None),
        ("de", "übermorgen", IN_TWO, None),
        ("de", "nächsten Samstag", NEXT_SATURDAY, None),
        ("de", "in drei Tagen", IN_THREE, None),
        ("de", "20.12.2026", DEC_20, None),
        ("es", "pasado mañana", IN_TWO, None),
        ("es", "mañana por la mañana", TOMORROW, "morning"),
        ("es", "el próximo sábado", NEXT_SATURDAY, None),
        ("es", "en tres días", IN_THREE, None),
        ("es", "20 de diciembre", DEC_20, None),
        ("ru", "послезавтра", IN_TWO, None),
        ("ru", "завтра утром", TOMORROW, "morning"),
        ("ru", "в следующую субботу", NEXT_SATURDAY, None),
        ("ru", "через 3 дня", IN_THREE, None),
        ("ru", "20 декабря", DEC_20, None),
    ],
)
def test_dates_as_tourists_write_them(lang: str, text: str, day: dt.date, part: str | None) -> None:
    reading = read_date(text, lang, MONDAY)
    assert reading.date == day
    assert reading.part_of_day == part


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "yesterday"), ("zh", "昨天"), ("de", "gestern"), ("ru", "вчера")],
)
def test_a_past_date_is_read_as_past_so_the_form_can_say_so(lang: str, text: str) -> None:
    reading = read_date(text, lang, MONDAY)
    assert reading.date is not None and reading.date < MONDAY


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "2 adults and a child"), ("zh", "hello"), ("ja", "大人2名"), ("fr", "oui")],
)
def test_messages_without_a_date_give_none(lang: str, text: str) -> None:
    assert read_date(text, lang, MONDAY).date is None


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("2 adults and a child", {"adult": 2, "child": 1}),
        ("两个大人一个小孩", {"adult": 2, "child": 1}),
        ("大人2名、子供1名", {"adult": 2, "child": 1}),
        ("성인 2명 아이 1명", {"adult": 2, "child": 1}),
        ("deux adultes et un enfant", {"adult": 2, "child": 1}),
        ("zwei Erwachsene und ein Kind", {"adult": 2, "child": 1}),
        ("dos adultos y un niño", {"adult": 2, "child": 1}),
        ("двое взрослых и один ребёнок", {"adult": 2, "child": 1}),
        ("1 adult 1 senior", {"adult": 1, "senior": 1}),
        ("两个大人一个老人", {"adult": 2, "senior": 1}),
        ("学生2名", {"student": 2}),
        ("3 tickets", {"adult": 3}),
        ("三张", {"adult": 3}),
        ("2枚", {"adult": 2}),
        ("2", {"adult": 2}),
        ("two", {"adult": 2}),
        ("tomorrow", {}),
    ],
)
def test_ticket_counts(text: str, counts: dict[str, int]) -> None:
    assert read_ticket_counts(text) == counts


def test_counts_of_people() -> None:
    assert read_count("2 adults and a child") == 3
    assert read_count("两位") == 2
    assert read_count("hello") is None


@pytest.mark.parametrize(
    "text",
    [
        "cancel",
        "Stop!",
        "取消",
        "算了",
        "不订了",
        "キャンセル",
        "やめます",
        "취소",
        "그만할게요",
        "annuler",
        "abbrechen",
        "cancelar",
        "отмена",
        "стоп",
        "cancel the booking",
        "取消订单",
    ],
)
def test_stop_words_in_every_language(text: str) -> None:
    assert is_stop(text)


@pytest.mark.parametrize(
    "text",
    ["cancel my booking BK-20261208-00000001", "I want to cancel a ticket", "2 adults", "明天上午"],
)
def test_sentences_that_only_mention_cancelling_are_not_a_stop(text: str) -> None:
    assert not is_stop(text)


@pytest.mark.parametrize(
    "text", ["yes", "OK", "是的", "确认", "はい", "네", "oui", "ja", "sí", "да"]
)
def test_yes_in_every_language(text: str) -> None:
    assert is_yes(text) and not is_no(text)


@pytest.mark.parametrize("text", ["no", "不", "いいえ", "아니요", "non", "nein", "нет"])
def test_no_in_every_language(text: str) -> None:
    assert is_no(text) and not is_yes(text)


def test_intents_count_only_for_short_answers() -> None:
    assert is_yes("sounds good to me", intent="affirm")
    assert not is_yes("what about the weather on Saturday and the prices for children?", "affirm")


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("1", 1),
        ("No. 2", 2),
        ("第二个", 2),
        ("the second one", 2),
        ("3番", 3),
        ("5", None),
        ("x", None),
    ],
)
def test_numbered_choices(text: str, choice: int | None) -> None:
    assert read_choice(text, 4) == choice


def test_parts_of_the_day_of_slots() -> None:
    assert [part_of_day_of(t) for t in ("09:00", "12:30", "14:00", "19:00")] == [
        "morning",
        "noon",
        "afternoon",
        "evening",
    ]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("on 1999-01-01", dt.date(1999, 1, 1)),
        ("2099/12/31 please", dt.date(2099, 12, 31)),
        ("am 2026.12.20", dt.date(2026, 12, 20)),
    ],
)
def test_dates_written_with_their_year_are_read_however_far(text: str, day: dt.date) -> None:
    assert read_date(text, "en", MONDAY).date == day


def test_an_impossible_written_date_is_no_date() -> None:
    assert read_date("on 2026-02-30", "en", MONDAY).date is None
