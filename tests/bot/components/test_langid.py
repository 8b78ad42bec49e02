"""Tests for the Rasa-free language identifier (bot.components.langid)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bot.components.langid as langid
from bot.components.langid import LanguageGuess, LanguageGuesser
from common.languages import SUPPORTED_LANGUAGES

CHAT = Path(__file__).resolve().parents[2] / "data" / "langid_chat.jsonl"
WORDS = Path(__file__).resolve().parents[2] / "data" / "langid_words.jsonl"


@pytest.fixture(scope="module")
def ident() -> LanguageGuesser:
    return LanguageGuesser()


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
def test_supported_languages(ident: LanguageGuesser, text: str, lang: str) -> None:
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
def test_unsupported_is_und(ident: LanguageGuesser, text: str, code: str) -> None:
    guess = ident.detect(text)
    assert guess.language == "und"
    assert guess.reliable
    assert guess.detected == code


@pytest.mark.parametrize("text", ["ok", "hotel", "taxi"])
def test_prior_wins_on_ambiguous_short_latin(ident: LanguageGuesser, text: str) -> None:
    for prior in ("fr", "de", "es", "en", "zh"):
        guess = ident.detect(text, prior=prior)
        assert guess.language == prior
        assert not guess.reliable


def test_prior_does_not_override_clear_text(ident: LanguageGuesser) -> None:
    assert ident.detect("danke schön", prior="fr").language == "de"
    assert ident.detect("九寨沟门票多少钱", prior="en").language == "zh"


def test_shared_han_follows_japanese_prior(ident: LanguageGuesser) -> None:
    guess = ident.detect("東京", prior="ja")
    assert guess.language == "ja" and not guess.reliable
    assert ident.detect("東京").language == "zh"
    assert ident.detect("大仏").language == "ja"  # 仏: Japanese-only form (zh: 佛)


def test_no_letters_is_unreliable(ident: LanguageGuesser) -> None:
    assert ident.detect("123 👍") == LanguageGuess("und", 0.0, False)
    assert ident.detect("", prior="ko").language == "ko"


def test_batch_matches_single(ident: LanguageGuesser) -> None:
    texts = ["hola", "bonjour", "你好", "こんにちは", "Guten Morgen", "Ciao, come stai oggi?", ""]
    assert [g.language for g in ident.detect_batch(texts)] == [
        ident.detect(t).language for t in texts
    ]


def test_chat_set_accuracy(ident: LanguageGuesser) -> None:
    rows = [
        json.loads(line) for line in CHAT.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert {r["lang"] for r in rows} >= set(SUPPORTED_LANGUAGES) | {"und"}
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
def test_mixed_and_edge_cases(ident: LanguageGuesser, text: str, lang: str, reliable: bool) -> None:
    guess = ident.detect(text)
    assert (guess.language, guess.reliable) == (lang, reliable)


# --------------------------------------------------------------------------- word-frequency prior


def test_wordfreq_data_is_available() -> None:
    """The prior needs wordfreq's data files (pip install --no-deps wordfreq==3.1.1)."""
    tables = langid._freq_tables()
    assert set(tables) == set(langid.FREQ_LANGS)
    assert all(len(exact) > 50_000 for exact, _ in tables.values())


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("bonjour", "fr"),
        ("danke", "de"),
        ("gracias", "es"),
        ("thanks", "en"),
        # lingua alone gets these wrong; the frequency prior fixes them
        ("waterfall", "en"),
        ("refund", "en"),
        ("sentier", "fr"),
        ("plage", "fr"),
        ("noche", "es"),
        ("calle", "es"),
        ("Koffer", "de"),  # capitalised German noun
        ("Brot", "de"),
        ("manana", "es"),  # typed without accents
        ("tambin", "es"),  # accented letter deleted
        ("strasse", "de"),
    ],
)
def test_frequency_prior_single_words(ident: LanguageGuesser, text: str, lang: str) -> None:
    assert ident.detect(text).language == lang


@pytest.mark.parametrize(
    ("text", "code"),
    [("grazie mille", "it"), ("spiaggia", "it"), ("muito obrigado", "pt"), ("gezellig", "nl")],
)
def test_frequency_prior_keeps_und(ident: LanguageGuesser, text: str, code: str) -> None:
    guess = ident.detect(text)
    assert (guess.language, guess.detected) == ("und", code)


def test_frequency_posterior() -> None:
    post = langid.frequency_posterior(["gracias"])
    assert post is not None and max(post, key=post.get) == "es"
    assert abs(sum(post.values()) - 1.0) < 1e-9
    assert langid.frequency_posterior(["qzxwvkj"]) is None  # unknown everywhere
    assert langid.frequency_posterior([]) is None
    # case- and accent-insensitive lookups
    assert langid._zipf("Straße", "de") == langid._zipf("strasse", "de")
    assert langid._zipf("manana", "es") is not None


def test_without_wordfreq_data_lingua_decides(
    ident: LanguageGuesser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(langid, "_FREQ", {})
    assert langid.frequency_posterior(["gracias"]) is None
    assert ident.detect("gracias").language == "es"
    assert ident.detect("Wie viel kostet der Eintritt?").language == "de"


def test_wordfreq_data_files_are_read() -> None:
    buckets = langid._load_cbpack(str(Path(langid._wordfreq_data_dir()) / "small_fr.msgpack.gz"))
    assert any("bonjour" in bucket for bucket in buckets)


def test_own_short_latin_set(ident: LanguageGuesser) -> None:
    """Hand-written words and word pairs (tuning set, not the benchmark)."""
    rows = [
        json.loads(line) for line in WORDS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    preds = ident.detect_batch([r["text"] for r in rows])
    for kind, floor in (("word", 0.95), ("pair", 0.96)):
        sel = [(p, r) for p, r in zip(preds, rows, strict=False) if r["kind"] == kind]
        acc = sum(p.language == r["lang"] for p, r in sel) / len(sel)
        assert acc >= floor, (kind, acc)
