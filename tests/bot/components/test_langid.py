"""Tests for the Rasa-free language identifier (bot.components.langid)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.components.langid import SUPPORTED, LanguageGuess, LanguageIdentifier

CHAT = Path(__file__).resolve().parents[2] / "data" / "langid_chat.jsonl"


@pytest.fixture(scope="module")
def ident() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ありがとう", "ja"),
        ("감사합니다", "ko"),
        ("九寨沟门票多少钱", "zh"),
        ("九寨溝", "zh"),  # Traditional Chinese is zh
        ("請問熊貓基地幾點開門", "zh"),
        ("東京駅", "ja"),  # Japanese-only kanji
        ("新幹線の切符", "ja"),
        ("Спасибо", "ru"),
        ("gracias", "es"),
        ("hello", "en"),
        ("merci beaucoup", "fr"),
        ("danke", "de"),
        ("Wie viel kostet der Eintritt?", "de"),
        ("¿Dónde está el baño?", "es"),
        ("Where is the panda base?", "en"),
        ("Je voudrais réserver une chambre", "fr"),
    ],
)
def test_supported_languages(ident: LanguageIdentifier, text: str, lang: str) -> None:
    guess = ident.detect(text)
    assert guess.language == lang
    assert guess.reliable
    assert 0.0 <= guess.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Quanto costa il biglietto per il museo?", "it"),
        ("Olá, quanto custa o ingresso?", "pt"),
        ("สวัสดีครับ ตั๋วราคาเท่าไหร่", "th"),
        ("كم سعر التذكرة؟", "ar"),
        ("Vé vào cửa bao nhiêu tiền?", "vi"),
        ("grazie mille", "it"),
    ],
)
def test_unsupported_is_und(ident: LanguageIdentifier, text: str, code: str) -> None:
    guess = ident.detect(text)
    assert guess.language == "und"
    assert guess.reliable
    assert guess.detected == code


@pytest.mark.parametrize("text", ["ok", "hotel", "taxi"])
def test_prior_wins_on_ambiguous_short_latin(ident: LanguageIdentifier, text: str) -> None:
    for prior in ("fr", "de", "es", "en", "zh"):
        guess = ident.detect(text, prior=prior)
        assert guess.language == prior
        assert not guess.reliable


def test_prior_does_not_override_clear_text(ident: LanguageIdentifier) -> None:
    assert ident.detect("danke schön", prior="fr").language == "de"
    assert ident.detect("九寨沟门票多少钱", prior="en").language == "zh"


def test_shared_han_follows_japanese_prior(ident: LanguageIdentifier) -> None:
    guess = ident.detect("東京", prior="ja")
    assert guess.language == "ja" and not guess.reliable
    assert ident.detect("東京").language == "zh"
    assert ident.detect("大仏").language == "ja"  # 仏: Japanese-only form (zh: 佛)


def test_no_letters_is_unreliable(ident: LanguageIdentifier) -> None:
    assert ident.detect("123 👍") == LanguageGuess("und", 0.0, False)
    assert ident.detect("", prior="ko").language == "ko"


def test_batch_matches_single(ident: LanguageIdentifier) -> None:
    texts = ["hola", "bonjour", "你好", "こんにちは", "Guten Morgen", "Ciao, come stai oggi?", ""]
    assert [g.language for g in ident.detect_batch(texts)] == [
        ident.detect(t).language for t in texts
    ]


def test_chat_set_accuracy(ident: LanguageIdentifier) -> None:
    rows = [
        json.loads(line) for line in CHAT.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert {r["lang"] for r in rows} >= set(SUPPORTED) | {"und"}
    preds = ident.detect_batch([r["text"] for r in rows])
    acc = sum(p.language == r["lang"] for p, r in zip(preds, rows, strict=False)) / len(rows)
    assert acc >= 0.98


@pytest.mark.parametrize(
    ("text", "lang", "reliable"),
    [
        ("成都の美食推荐", "zh", True),  # Chinese stylised "の" with Simplified-only characters
        ("東京の天気", "ja", True),
        ("ＨＥＬＬＯ ｔｈｅｒｅ", "en", True),  # full-width Latin
        ("ｶﾀｶﾅ", "ja", True),  # half-width katakana
        ("ni hao", "zh", False),  # romanised greeting: language hint only
        ("안녕하세요 東京", "ko", True),
        ("去Jiuzhaigou怎么走", "zh", True),
        ("Привіт", "und", True),  # Ukrainian-only letter
    ],
)
def test_mixed_and_edge_cases(
    ident: LanguageIdentifier, text: str, lang: str, reliable: bool
) -> None:
    guess = ident.detect(text)
    assert (guess.language, guess.reliable) == (lang, reliable)
