"""Gazetteer entity extractor: folding, longest match, topics, persistence through LocalModelStorage."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.entities.extractors import GazetteerEntityExtractor
from bot.components.entities.gazetteer import NluGazetteer, fold

ENTRIES = Path(__file__).resolve().parents[3] / "knowledge_base" / "data" / "entries"


@pytest.fixture(scope="module")
def gazetteer() -> NluGazetteer:
    return NluGazetteer.from_directory(ENTRIES)


def ids(gazetteer: NluGazetteer, text: str) -> list[tuple[str, str, str]]:
    return [(m.entity, m.entry_ids[0], text[m.start : m.end]) for m in gazetteer.find_all(text)]


def test_fold_drops_spaces_hyphens_case_and_traditional() -> None:
    assert fold("Jiu Zhai-Gou") == fold("jiuzhaigou")
    assert fold("九寨溝") == fold("九寨沟")
    assert fold("ＪＩＵＺＨＡＩＧＯＵ") == "jiuzhaigou"  # NFKC full-width


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我想去九寨溝玩", "九寨溝"),
        ("How do I get to jiu zhai gou?", "jiu zhai gou"),
        ("how to get to JIUZHAIGOU", "JIUZHAIGOU"),
        ("九寨沟门票多少钱", "九寨沟"),
        ("구채구 가는 법", "구채구"),
        ("Jiuzhai-Tal besuchen", "Jiuzhai-Tal"),
        ("Как добраться до Цзючжайгоу?", "Цзючжайгоу"),
    ],
)
def test_names_in_many_forms(gazetteer: NluGazetteer, text: str, expected: str) -> None:
    assert ids(gazetteer, text) == [("attraction", "jiuzhaigou", expected)]


def test_longest_match_wins_and_matches_do_not_overlap(gazetteer: NluGazetteer) -> None:
    text = "九寨沟风景名胜区和峨眉山哪个好"
    assert ids(gazetteer, text) == [
        ("attraction", "jiuzhaigou", "九寨沟风景名胜区"),
        ("attraction", "emeishan", "峨眉山"),
    ]


def test_latin_names_need_word_boundaries(gazetteer: NluGazetteer) -> None:
    assert ids(gazetteer, "the jiuzhaigouxyz resort") == []
    assert ids(gazetteer, "I love computer programs") == []


def test_topics_and_events_are_topic_entities(gazetteer: NluGazetteer) -> None:
    assert ids(gazetteer, "退票怎么办") == [("topic", "topic-refunds", "退票")]
    assert ids(gazetteer, "自貢燈會什么时候") == [
        ("topic", "event-zigong-lantern-festival", "自貢燈會")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "你好",
        "Hello, how are you?",
        "What is the weather like?",
        "Je voudrais manger",
        "Wie spät ist es?",
    ],
)
def test_no_false_positives(gazetteer: NluGazetteer, text: str) -> None:
    assert gazetteer.find_all(text) == []


def test_persistence_round_trip(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("gazetteer")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**GazetteerEntityExtractor.get_default_config(), "entries_dir": str(ENTRIES)}
    GazetteerEntityExtractor.create(config, storage, resource, context).train(TrainingData())

    # the loaded component must not need the knowledge base any more
    config_without_kb = {**config, "entries_dir": str(tmp_path / "missing")}
    loaded = GazetteerEntityExtractor.load(config_without_kb, storage, resource, context)
    message = Message({TEXT: "去峨眉山和九寨溝"})
    loaded.process([message])
    entities = message.get(ENTITIES)
    assert [(e["entity"], e["value"], e["start"], e["end"]) for e in entities] == [
        ("attraction", "emeishan", 1, 4),
        ("attraction", "jiuzhaigou", 5, 8),
    ]
    assert all(
        e["extractor"] == "GazetteerEntityExtractor" and e["confidence_entity"] == 1.0
        for e in entities
    )
    assert "entities" in message.as_dict(only_output_properties=True)
