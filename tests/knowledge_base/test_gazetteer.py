"""Tests for exact alias matching (longest match, Traditional characters, pinyin)."""

from __future__ import annotations

import pytest

from knowledge_base.gazetteer import RetrieverGazetteer
from knowledge_base.schema import Entry
from knowledge_base.textfold import fold, to_simplified


def _entry(entry_id: str, zh: str, en: str, aliases: list[str], **names: str) -> Entry:
    return Entry.model_validate(
        {
            "id": entry_id,
            "type": "scenic_area",
            "names": {"zh": zh, "en": en, **names},
            "aliases": aliases,
            "description": {"zh": "测试。", "en": "Test."},
        }
    )


@pytest.fixture(scope="module")
def gazetteer() -> RetrieverGazetteer:
    return RetrieverGazetteer.from_entries(
        [
            _entry(
                "jiuzhaigou",
                "九寨沟风景名胜区",
                "Jiuzhaigou Valley",
                ["九寨沟", "九寨", "jiu zhai gou"],
                ko="주자이거우",
            ),
            _entry("leshan", "乐山大佛", "Leshan Giant Buddha", ["leshan dafo", "Giant Buddha"]),
            _entry("leshan-city", "乐山", "Leshan", ["乐山市"]),
            _entry("panda-a", "熊猫基地", "Panda Base", ["panda park"]),
            _entry("panda-b", "熊猫乐园", "Panda Land", ["panda park"]),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("九寨沟门票多少钱", "jiuzhaigou"),
        ("九寨溝門票多少錢", "jiuzhaigou"),  # Traditional characters
        ("I want to visit jiuzhaigou", "jiuzhaigou"),  # pinyin without spaces
        ("jiu zhai gou tickets", "jiuzhaigou"),  # pinyin with spaces
        ("Jiu-Zhai-Gou", "jiuzhaigou"),
        ("주자이거우 입장료", "jiuzhaigou"),
        ("樂山大佛怎麼去", "leshan"),  # longest match beats 乐山
        ("乐山市有什么好玩的", "leshan-city"),
        ("LESHAN DAFO opening hours", "leshan"),
        ("weather in Paris", None),
        ("jiuzhaigouxyz", None),  # no match inside a longer Latin word
    ],
)
def test_gazetteer_match(gazetteer: RetrieverGazetteer, text: str, expected: str | None) -> None:
    assert gazetteer.match(text) == expected


def test_gazetteer_longest_match_wins_over_shorter_overlap(gazetteer: RetrieverGazetteer) -> None:
    found = gazetteer.find_all("乐山大佛")
    assert [m.entry_ids for m in found] == [("leshan",)]


def test_gazetteer_ambiguous_alias_is_not_a_match(gazetteer: RetrieverGazetteer) -> None:
    assert gazetteer.match("where is the panda park") is None
    assert gazetteer.find_all("panda park")[0].entry_ids == ("panda-a", "panda-b")


def test_gazetteer_ignores_one_character_aliases() -> None:
    g = RetrieverGazetteer.from_entries([_entry("a", "山寺", "Temple A", ["山"])])
    assert g.match("山很高") is None


def test_fold_and_simplified() -> None:
    assert to_simplified("寬窄巷子") == "宽窄巷子"
    assert fold("Jiu Zhai-Gou’s") == "jiuzhaigous"
