"""Rule entities: dates/times in eight languages, party sizes, phones and references."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.entities.dates import find_dates
from bot.components.entities.extractors import RuleEntityExtractor, find_rule_entities
from bot.components.entities.numbers import find_party
from bot.components.entities.patterns import find_phones, find_refs

TODAY = dt.date(2026, 11, 29)  # a Sunday


def values(found, entity: str) -> list:
    return [f.value for f in found if f.entity == entity]


@pytest.mark.parametrize(
    "text, date, time",
    [
        # zh
        ("明天去九寨沟", "2026-11-30", None),
        ("下周五有空", "2026-12-04", None),
        ("5月1日开门吗", "2027-05-01", None),
        ("五月一号上午十点半", "2027-05-01", "10:30"),
        ("后天下午3点", "2026-12-01", "15:00"),
        ("星期六", "2026-12-05", None),
        # en
        ("next Friday", "2026-12-04", None),
        ("tomorrow at 3pm", "2026-11-30", "15:00"),
        ("on 1 May", "2027-05-01", None),
        ("December 24th, 2026", "2026-12-24", None),
        ("on 2026-12-24 at 9:30", "2026-12-24", "09:30"),
        # ja
        ("来週の金曜日", "2026-12-04", None),
        ("明日の午後3時", "2026-11-30", "15:00"),
        ("12月24日", "2026-12-24", None),
        # ko
        ("다음 주 토요일", "2026-12-05", None),
        ("내일 오후 3시", "2026-11-30", "15:00"),
        ("12월 24일", "2026-12-24", None),
        # fr
        ("demain", "2026-11-30", None),
        ("samedi prochain", "2026-12-05", None),
        ("le 1er mai à 15h", "2027-05-01", "15:00"),
        # de
        ("nächsten Freitag", "2026-12-04", None),
        ("morgen um 15 Uhr", "2026-11-30", "15:00"),
        ("am 24.12.2026", "2026-12-24", None),
        # es
        ("mañana por la tarde", "2026-11-30", None),
        ("el próximo viernes a las 3 de la tarde", "2026-12-04", "15:00"),
        ("el 2 de mayo", "2027-05-02", None),
        # ru
        ("в субботу", "2026-12-05", None),
        ("завтра в 15:00", "2026-11-30", "15:00"),
        ("1 мая", "2027-05-01", None),
    ],
)
def test_dates_in_eight_languages(text: str, date: str, time: str | None) -> None:
    found = find_dates(text, TODAY)
    assert values(found, "date") == [date]
    assert values(found, "time") == ([time] if time else [])


def test_part_of_day() -> None:
    assert values(find_dates("mañana por la tarde", TODAY), "part_of_day") == ["afternoon"]
    assert values(find_dates("tonight", TODAY), "date") == ["2026-11-29"]
    assert values(find_dates("tonight", TODAY), "part_of_day") == ["evening"]


@pytest.mark.parametrize(
    "text",
    [
        "便宜一点",
        "How many hours does it take?",
        "May I ask a question?",
        "Guten Morgen",
        "Buenas tardes",
        "我要订3张票",
        "门票120元",
        "Il faut 3 heures",
        "What is the weather like?",
    ],
)
def test_no_date_false_positives(text: str) -> None:
    assert [f for f in find_dates(text, TODAY) if f.entity in ("date", "time")] == []


@pytest.mark.parametrize(
    "text, total, adults, children",
    [
        ("我们3个人", 3, None, None),
        ("两位大人一个小孩", 3, 2, 1),
        ("for 4 people", 4, None, None),
        ("2 adults and a child", 3, 2, 1),
        ("4名で予約したい", 4, None, None),
        ("大人2名、子供1名", 3, 2, 1),
        ("4명 예약", 4, None, None),
        ("어른 두 명과 아이 한 명", 3, 2, 1),
        ("pour 3 personnes", 3, None, None),
        ("deux adultes et un enfant", 3, 2, 1),
        ("für 2 Personen", 2, None, None),
        ("zwei Erwachsene und ein Kind", 3, 2, 1),
        ("para 5 personas", 5, None, None),
        ("2 adultos y un niño", 3, 2, 1),
        ("на двоих", 2, None, None),
        ("2 взрослых и 1 ребёнок", 3, 2, 1),
    ],
)
def test_party_sizes(text: str, total: int, adults: int | None, children: int | None) -> None:
    found = find_party(text)
    assert values(found, "party_size") == [total]
    assert values(found, "adults") == ([adults] if adults else [])
    assert values(found, "children") == ([children] if children else [])


@pytest.mark.parametrize(
    "text",
    ["人民公园怎么走", "I am a visitor", "3 days in Chengdu", "Wie viel kostet es?", "门票120元"],
)
def test_no_party_false_positives(text: str) -> None:
    assert find_party(text) == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("我的手机13800138000", "13800138000"),
        ("call +86 138-0013-8000", "13800138000"),
        ("手机 138 0013 8000", "13800138000"),
        ("电话0837-7739753", "08377739753"),
        ("(028) 8661 3333", "02886613333"),
        ("+86 28 8661 3333", "02886613333"),
        ("400-123-4567", "4001234567"),
        ("800 123 4567", "8001234567"),
    ],
)
def test_phones(text: str, value: str) -> None:
    assert [f.value for f in find_phones(text)] == [value]


@pytest.mark.parametrize(
    "text", ["门票120元", "2026-12-24", "12301", "ID 12345678901234567", "订单 1234"]
)
def test_no_phone_false_positives(text: str) -> None:
    assert find_phones(text) == []


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("订单号 bk-20261224-0012", "booking_ref", "BK-20261224-0012"),
        ("my booking BK202612240012", "booking_ref", "BK-20261224-0012"),
        ("ESC202612240003", "complaint_ref", "ESC-20261224-0003"),
        ("投诉编号 cp-20261201-0001", "complaint_ref", "CP-20261201-0001"),
    ],
)
def test_references(text: str, entity: str, value: str) -> None:
    assert [(f.entity, f.value) for f in find_refs(text)] == [(entity, value)]


def test_reference_is_not_also_a_date_or_phone() -> None:
    found = find_rule_entities("BK-20261224-0012 改到 12月25日", TODAY)
    assert [(f.entity, f.value) for f in found] == [
        ("booking_ref", "BK-20261224-0012"),
        ("date", "2026-12-25"),
    ]


def test_component_adds_entities_to_output(tmp_path) -> None:
    config = {**RuleEntityExtractor.get_default_config(), "reference_date": "2026-11-29"}
    component = RuleEntityExtractor.create(
        config,
        LocalModelStorage(tmp_path),
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "t"),
    )
    message = Message({TEXT: "下周五两位大人一个小孩，电话13800138000"})
    component.process([message])
    got = {(e["entity"], e["value"]) for e in message.get(ENTITIES)}
    assert got == {
        ("date", "2026-12-04"),
        ("adults", 2),
        ("children", 1),
        ("party_size", 3),
        ("phone", "13800138000"),
    }
    assert all(e["extractor"] == "RuleEntityExtractor" for e in message.get(ENTITIES))
    assert "entities" in message.as_dict(only_output_properties=True)


def test_component_uses_today_in_shanghai_by_default(tmp_path) -> None:
    component = RuleEntityExtractor.create(
        RuleEntityExtractor.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "t"),
    )
    shanghai = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()
    assert component.today() == shanghai


def test_other_components_entities_do_not_block_rules(tmp_path) -> None:
    """LanguageIdentifier adds a ``language`` entity spanning the whole text; rules still apply."""
    component = RuleEntityExtractor.create(
        {**RuleEntityExtractor.get_default_config(), "reference_date": "2026-11-29"},
        LocalModelStorage(tmp_path),
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "t"),
    )
    message = Message({TEXT: "明天两个人"})
    message.set(
        ENTITIES,
        [
            {
                "entity": "language",
                "value": "zh",
                "start": 0,
                "end": 5,
                "extractor": "LanguageIdentifier",
            }
        ],
    )
    component.process([message])
    assert [e["entity"] for e in message.get(ENTITIES)] == ["language", "date", "party_size"]


@pytest.mark.parametrize(
    "text",
    [
        "нужен отель на 3 ночи",  # three nights, not 03:00
        "маршрут на 3 дня",  # three days, not 15:00
        "hallo, bin ich hier richtig?",  # German "hier" is "here"
        "wir sind eine Familie aus München",
        "ich rede lieber mit einer Person",
        "у нас два дня",
        "그 배우 열애설 진짜야?",
        "5분 걸려요",
    ],
)
def test_no_false_positives_seen_in_training_data(text: str) -> None:
    assert [f for f in find_rule_entities(text, TODAY) if f.entity != "part_of_day"] == []
