"""Pinyin counts as Chinese; place names in pinyin do not decide a Latin message's language;
emoji-only and letter-less messages keep the session language."""

from __future__ import annotations

import pytest

from bot.components.langid import LanguageGuesser, is_pinyin_word


@pytest.fixture(scope="module")
def guesser() -> LanguageGuesser:
    return LanguageGuesser()


@pytest.mark.parametrize(
    "text",
    [
        "jiuzhaigou menpiao duoshao qian",
        "jiu zhai gou men piao duo shao qian",
        "jiǔzhàigōu ménpiào duōshao qián",
        "leshan dafo zenme qu",
        "kuanzhai xiangzi zai nali",
        "wo xiang qu chengdu",
        "menpiao duoshao",
        "xiongmao jidi jidian kaimen",
        "ni shi jiqiren ma",
        "qingwen emeishan yao yuyue ma",
    ],
)
def test_pinyin_is_chinese_whatever_the_session(guesser: LanguageGuesser, text: str) -> None:
    for prior in (None, "en", "de"):
        guess = guesser.detect(text, prior=prior)
        assert (guess.language, guess.reliable) == ("zh", True), (text, prior)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How much is the Jiuzhaigou ticket?", "en"),
        ("Jiuzhaigou ticket price", "en"),
        ("qingchengshan opening hours", "en"),
        ("Was kostet Jiuzhaigou?", "de"),
        ("Wie komme ich nach Dujiangyan?", "de"),
        ("hotel al pie del monte Emei, una noche", "es"),
        ("l'adresse de Kuanzhai Xiangzi svp", "fr"),
        ("cancel my Bifengxia order", "en"),
    ],
)
def test_pinyin_place_names_do_not_decide_a_latin_message(
    guesser: LanguageGuesser, text: str, language: str
) -> None:
    assert guesser.detect(text).language == language


def test_emei_shan_phone_no_is_never_german(guesser: LanguageGuesser) -> None:
    for prior in (None, "en"):
        assert guesser.detect("emei shan phone no", prior=prior).language == "en"
    assert guesser.detect("emei shan phone no", prior="zh").language in ("en", "zh")
    assert not (
        guesser.detect("emei shan phone no").language == "de"
        and guesser.detect("emei shan phone no").reliable
    )


@pytest.mark.parametrize(
    "text", ["👍", "👍👍👍", "🐼🐼", "😀🙏", "???", "!!!", "...", "123", "👍 !"]
)
def test_emoji_and_letterless_messages_keep_the_session_language(
    guesser: LanguageGuesser, text: str
) -> None:
    for prior in ("zh", "ko", "de"):
        guess = guesser.detect(text, prior=prior)
        assert (guess.language, guess.reliable) == (prior, False)


@pytest.mark.parametrize("text", ["Jiuzhaigou", "Leshan", "huanglong ticket", "ok", "taxi"])
def test_names_and_short_words_alone_are_unreliable(guesser: LanguageGuesser, text: str) -> None:
    guess = guesser.detect(text, prior="zh")
    assert not guess.reliable


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("jiuzhaigou", True),
        ("duoshao", True),
        ("menpiao", True),
        ("emei", True),
        ("qu", True),  # a Chinese function word, though common in French
        ("men", False),  # common English word
        ("die", False),
        ("the", False),
        ("phone", False),
        ("löse", False),  # ö is no pinyin letter
        ("mange", False),  # pinyin-shaped, but a frequent French word
    ],
)
def test_pinyin_words(word: str, expected: bool) -> None:
    assert is_pinyin_word(word) is expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wo ist der Panda?", "de"),
        ("Le musée est ouvert ?", "fr"),
        ("¿Dónde está la taquilla?", "es"),
        ("Can you help me find a taxi to the station?", "en"),
        ("je ne sais pas", "fr"),
    ],
)
def test_european_messages_with_pinyin_shaped_words_stay_european(
    guesser: LanguageGuesser, text: str, language: str
) -> None:
    assert guesser.detect(text).language == language
