"""The channel's own polite answers, in the tourist's language guessed by a cheap heuristic.

The texts live in ``channels/notices.yml`` (eight languages). The guess looks at the first
characters only: the dominant script decides (Hangul → ko, kana → ja, Han → zh, Cyrillic → ru);
Latin script is decided by frequent function words (en, fr, de, es), otherwise the session's
language, otherwise English.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES

NOTICES_FILE = Path(__file__).with_name("notices.yml")

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[a-zà-ÿ']+")
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the is are and what how where when much can you i to of in for it".split()),
    "fr": frozenset(
        "le la les est et que comment où quand combien je vous un une des du pour".split()
    ),
    "de": frozenset("der die das ist und wie wo wann viel ich sie ein eine für nicht mit".split()),
    "es": frozenset(
        "el la los las es y que cómo dónde cuándo cuánto yo usted un una para por".split()
    ),
}


def guess_language(text: str, session_language: str | None = None, *, chars: int = 200) -> str:
    """The language to answer ``text`` in, from its first ``chars`` characters."""
    head = text[:chars]
    counts = {lang: len(pattern.findall(head)) for lang, pattern in _SCRIPTS}
    latin = len(_LATIN.findall(head))
    if counts["ja"] and counts["ja"] + counts["zh"] >= latin:
        return "ja"  # Japanese mixes kana with Han characters
    best, best_count = max(counts.items(), key=lambda item: item[1])
    if best_count and best_count >= latin:
        return best
    if latin:
        words = _WORD.findall(head.lower())
        votes = {lang: sum(w in vocab for w in words) for lang, vocab in _FUNCTION_WORDS.items()}
        ranked = sorted(votes.items(), key=lambda item: -item[1])
        if ranked[0][1] >= 2 and ranked[0][1] > ranked[1][1]:
            return ranked[0][0]
    if session_language in SUPPORTED_LANGUAGES:
        return str(session_language)
    return FALLBACK_LANGUAGE


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(NOTICES_FILE.read_text(encoding="utf-8"))
    return {str(key): {str(k): str(v) for k, v in texts.items()} for key, texts in data.items()}


def notice(key: str, language: str, **values: object) -> str:
    """The ``key`` notice in ``language`` (English when missing), formatted with ``values``."""
    texts = _catalogue()[key]
    return texts.get(language, texts[FALLBACK_LANGUAGE]).format(**values)
