"""Pinyin syllable segmentation (shared by the language identifier and place resolution)."""

from __future__ import annotations

import pytest

from common.pinyin import is_pinyin, segment, strip_tones


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("jiuzhaigou", ("jiu", "zhai", "gou")),
        ("menpiao", ("men", "piao")),
        ("duoshao", ("duo", "shao")),
        ("xi'an", ("xi", "an")),
        ("jiǔzhàigōu", ("jiu", "zhai", "gou")),
        ("jiu3zhai4gou1", ("jiu", "zhai", "gou")),
        ("lüyou", ("lv", "you")),
        ("Emei", ("e", "mei")),
    ],
)
def test_words_split_into_syllables(word: str, syllables: tuple[str, ...]) -> None:
    assert segment(word) == syllables


@pytest.mark.parametrize("word", ["phone", "the", "price", "ticket", "hello", "tix", "straße", ""])
def test_other_words_do_not_split(word: str) -> None:
    assert not is_pinyin(word)


def test_strip_tones() -> None:
    assert strip_tones("Lǜ3") == "lv"
    assert strip_tones("Chéngdū") == "chengdu"
