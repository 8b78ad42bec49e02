"""Small grammar helpers for answer templates: plural forms and Korean particles.

* :func:`plural_category` gives the CLDR plural category of a number (``one``, ``few``, ``many``,
  ``other``) for the eight supported languages; :func:`plural` picks the matching template form.
* :func:`korean_particles` resolves particle markers such as ``<은/는>`` written after a placeholder
  in the Korean templates, by the final consonant (batchim) of the word before it: "무후사는",
  "성도박물관은", "주자이거우를", "판다 기지와".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among the final consonants
# Sino-Korean reading of the digits: 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구.
_DIGIT_FINAL = {
    "0": 21,
    "1": _RIEUL,
    "2": 0,
    "3": 16,
    "4": 0,
    "5": 0,
    "6": 1,
    "7": 8,
    "8": 8,
    "9": 0,
}
# Latin letters read with a final consonant in Korean ("…l" 엘, "…m" 엠, "…n" 엔, "…ng" 엉).
_LATIN_FINAL = {"l": _RIEUL, "m": 16, "n": 4}
_PARTICLES = ("은/는", "이/가", "을/를", "과/와", "으로/로", "이에요/예요", "이라는/라는")
_MARKER = re.compile(r"<(" + "|".join(re.escape(p) for p in _PARTICLES) + r")>")
_SKIPPED = set(" \t\"'「」『』“”‘’.,")
# A parenthetical after a word ("두보초당(杜甫草堂)") is skipped: the particle follows the word.
_CLOSING = set(")]）")
_OPENING = set("([（")


def plural_category(lang: str, number: float) -> str:
    """CLDR plural category of ``number`` in ``lang`` (cardinal numbers)."""
    whole = float(number).is_integer()
    n = int(number) if whole else None
    if lang in ("zh", "ja", "ko"):
        return "other"
    if lang == "fr":
        return "one" if 0 <= number < 2 else "other"
    if lang == "ru":
        if n is None:
            return "other"
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


def plural(forms: str | Mapping[str, str], lang: str, number: float) -> str:
    """The form of ``forms`` (a string, or a mapping by plural category) for ``number``."""
    if isinstance(forms, str):
        return forms
    return forms.get(plural_category(lang, number)) or forms["other"]


def _final_consonant(text: str) -> int | None:
    """Index of the final consonant of the last pronounced character (0 = none), None if unknown.

    A parenthetical at the end is skipped, so the particle follows the word before it.
    """
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char in _CLOSING:
            depth += 1
            continue
        if char in _OPENING and depth:
            depth -= 1
            continue
        if depth or char in _SKIPPED:
            continue
        code = ord(char)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            return (code - _HANGUL_FIRST) % 28
        if char in _DIGIT_FINAL:
            return _DIGIT_FINAL[char]
        if char.isascii() and char.isalpha():
            if text[: index + 1].lower().endswith("ng"):
                return 21
            return _LATIN_FINAL.get(char.lower(), 0)
        return None
    return None


def _choose(particle: str, before: str) -> str:
    with_final, without = particle.split("/")
    final = _final_consonant(before)
    if final is None:
        return without
    if particle == "으로/로":
        return without if final in (0, _RIEUL) else with_final
    return with_final if final else without


def korean_particles(text: str) -> str:
    """Replace every ``<은/는>``-style marker by the particle that fits the word before it."""
    out: list[str] = []
    last = 0
    for match in _MARKER.finditer(text):
        out.append(text[last : match.start()])
        out.append(_choose(match.group(1), "".join(out)))
        last = match.end()
    out.append(text[last:])
    return "".join(out)
