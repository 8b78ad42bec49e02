"""Exact alias matching: which knowledge-base entry does a text name?

Names in every language, aliases, pinyin written with or without spaces and Traditional
characters all match: both the aliases and the text are folded by :func:`fold` (NFKC,
Traditional to Simplified, lower case, no spaces/hyphens/apostrophes/dots) before matching.
When several aliases occur, the longest match wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from knowledge_base.schema import Entry
from knowledge_base.textfold import MIN_CJK_LEN, MIN_LATIN_LEN, fold, fold_char


def _is_word_char(char: str) -> bool:
    return char.isalnum() and not _is_cjk(char)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul
        or 0xF900 <= code <= 0xFAFF
    )


@dataclass(frozen=True)
class AliasMatch:
    """One alias found in a text: the entry ids it names and where (folded offsets)."""

    alias: str
    entry_ids: tuple[str, ...]
    start: int
    end: int

    @property
    def length(self) -> int:
        """Length of the folded alias."""
        return self.end - self.start


class Gazetteer:
    """Folded alias -> entry ids, matched greedily longest-first."""

    def __init__(self, aliases: dict[str, set[str]]) -> None:
        self._aliases = {alias: tuple(sorted(ids)) for alias, ids in aliases.items()}
        self._max_len = max((len(a) for a in self._aliases), default=0)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> Gazetteer:
        """Collect every name and alias of every entry."""
        table: dict[str, set[str]] = {}
        for entry in entries:
            for name in entry.all_names():
                key = fold(name)
                if _long_enough(key):
                    table.setdefault(key, set()).add(entry.id)
        return cls(table)

    def __len__(self) -> int:
        return len(self._aliases)

    def find_all(self, text: str) -> list[AliasMatch]:
        """Non-overlapping matches, longest first (ties: leftmost first)."""
        folded, boundaries = _fold_with_boundaries(text)
        candidates: list[AliasMatch] = []
        for start in range(len(folded)):
            for end in range(min(len(folded), start + self._max_len), start, -1):
                ids = self._aliases.get(folded[start:end])
                if ids and boundaries[start] and boundaries[end]:
                    candidates.append(AliasMatch(folded[start:end], ids, start, end))
                    break
        candidates.sort(key=lambda m: (-m.length, m.start))
        chosen: list[AliasMatch] = []
        for match in candidates:
            if all(match.end <= c.start or match.start >= c.end for c in chosen):
                chosen.append(match)
        return chosen

    def match(self, text: str) -> str | None:
        """Entry id named by the longest unambiguous alias in ``text``, else None."""
        for found in self.find_all(text):
            if len(found.entry_ids) == 1:
                return found.entry_ids[0]
        return None


def _long_enough(key: str) -> bool:
    if not key:
        return False
    if any(_is_cjk(c) for c in key):
        return len(key) >= MIN_CJK_LEN
    return len(key) >= MIN_LATIN_LEN


def _fold_with_boundaries(text: str) -> tuple[str, list[bool]]:
    """Folded text plus, per folded offset, whether a match may start/end there.

    A boundary lies between two folded characters unless both are Latin/Cyrillic letters or digits
    that were adjacent in the original (so "jiu zhai gou" still folds to one word but "jiuzhaigouxyz"
    does not match "jiuzhaigou").
    """
    chars: list[str] = []
    word_flags: list[bool] = []
    gap_before: list[bool] = []
    pending_gap = True
    for raw in text:
        folded = fold_char(raw)
        if not folded:
            pending_gap = True
            continue
        for char in folded:
            chars.append(char)
            word_flags.append(_is_word_char(char))
            gap_before.append(pending_gap)
            pending_gap = False
    boundaries = [True] * (len(chars) + 1)
    for i in range(1, len(chars)):
        boundaries[i] = not (word_flags[i - 1] and word_flags[i] and not gap_before[i])
    return "".join(chars), boundaries
