"""``channels.notices``: the channel's polite answers, in the tourist's language."""

from __future__ import annotations

import pytest
import yaml

from channels.notices import NOTICES_FILE, guess_language, notice
from common.languages import SUPPORTED_LANGUAGES


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("九寨沟门票多少钱？我想下周去，" * 30, "zh"),
        ("九寨溝の入場料はいくらですか。" * 30, "ja"),
        ("주자이거우 입장료는 얼마인가요? " * 30, "ko"),
        ("Сколько стоит билет в Цзючжайгоу? " * 30, "ru"),
        ("How much is the ticket and where can I buy it? " * 30, "en"),
        ("Combien coûte le billet et où est la gare ? " * 30, "fr"),
        ("Wie viel kostet der Eintritt und wo ist die Kasse? " * 30, "de"),
        ("¿Cuánto cuesta la entrada y dónde está la taquilla? " * 30, "es"),
    ],
)
def test_notices_guess_language_from_the_first_characters(text: str, language: str) -> None:
    assert guess_language(text) == language


def test_notices_guess_language_looks_only_at_the_head() -> None:
    text = "九寨沟门票多少钱" * 30 + "How much is the ticket? " * 1000

    assert guess_language(text, chars=200) == "zh"


@pytest.mark.parametrize(
    ("text", "session", "language"),
    [
        ("", "de", "de"),
        ("xxxxxxxx 12345", "ja", "ja"),
        ("xxxxxxxx 12345", None, "en"),
        ("xxxxxxxx 12345", "und", "en"),
        ("", None, "en"),
    ],
)
def test_notices_unclear_text_falls_back_to_the_session_then_english(
    text: str, session: str | None, language: str
) -> None:
    assert guess_language(text, session) == language


def test_notices_every_text_exists_in_the_eight_languages() -> None:
    catalogue = yaml.safe_load(NOTICES_FILE.read_text(encoding="utf-8"))

    for key, texts in catalogue.items():
        assert set(texts) == set(SUPPORTED_LANGUAGES), key
        assert len(set(texts.values())) == len(SUPPORTED_LANGUAGES), key


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_notices_too_long_names_the_limit(language: str) -> None:
    assert "500" in notice("too_long", language, limit=500)
    assert notice("empty", language)
