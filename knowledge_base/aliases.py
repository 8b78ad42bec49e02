"""Alias matching shared by the retriever (``knowledge_base.gazetteer``) and the Rasa gazetteer
(``bot.components.entities.gazetteer``).

Dependency-free on purpose (the Rasa environment imports it too). Aliases and text are folded by
:mod:`knowledge_base.textfold`; matches keep offsets into the *original* text, the longest match wins,
matches never overlap, and Latin/Cyrillic matches must start and end on word boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from knowledge_base.textfold import MIN_CJK_LEN, MIN_LATIN_LEN, fold, fold_char

TOPIC_TYPES = frozenset({"topic", "event"})


class AliasSlot(TypedDict):
    """What one folded alias names: entry ids (sorted) and the entity kind."""

    ids: list[str]
    entity: str


def is_cjk(char: str) -> bool:
    """Kana, CJK ideographs or Hangul: scripts written without spaces between words."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF
        or 0x3400 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
    )


def _is_word_char(char: str) -> bool:
    return char.isalnum() and not is_cjk(char)


def _long_enough(key: str) -> bool:
    if any(is_cjk(c) for c in key):
        return len(key) >= MIN_CJK_LEN
    return len(key) >= MIN_LATIN_LEN


@dataclass(frozen=True)
class AliasMatch:
    """One alias found in a text, with offsets into the original text."""

    text: str
    entry_ids: tuple[str, ...]
    entity: str
    start: int
    end: int


def build_table(entries: Iterable[tuple[str, str, Iterable[str]]]) -> dict[str, AliasSlot]:
    """Folded alias -> {"ids": sorted entry ids, "entity": "attraction" | "topic"}.

    ``entries`` are (entry id, entry type, names and aliases) triples.
    """
    table: dict[str, AliasSlot] = {}
    for entry_id, entry_type, names in entries:
        entity = "topic" if entry_type in TOPIC_TYPES else "attraction"
        for name in names:
            key = fold(name)
            if not key or not _long_enough(key):
                continue
            slot = table.setdefault(key, AliasSlot(ids=[], entity=entity))
            if entry_id not in slot["ids"]:
                slot["ids"] = sorted([*slot["ids"], entry_id])
    return table


class AliasTable:
    """Folded alias table, matched longest-first without overlaps."""

    def __init__(self, table: dict[str, AliasSlot]) -> None:
        self.table = table
        self._max_len = max((len(k) for k in table), default=0)

    def __len__(self) -> int:
        return len(self.table)

    def find_all(self, text: str) -> list[AliasMatch]:
        """Non-overlapping matches in text order; longer matches beat shorter ones."""
        folded, origin, boundary = _fold_with_offsets(text)
        candidates: list[tuple[int, int]] = []
        for start in range(len(folded)):
            if not boundary[start]:
                continue
            for end in range(min(len(folded), start + self._max_len), start, -1):
                if boundary[end] and folded[start:end] in self.table:
                    candidates.append((start, end))
                    break
        candidates.sort(key=lambda se: (se[0] - se[1], se[0]))
        chosen: list[tuple[int, int]] = []
        for start, end in candidates:
            if all(end <= s or start >= e for s, e in chosen):
                chosen.append((start, end))
        matches = []
        for start, end in sorted(chosen):
            slot = self.table[folded[start:end]]
            o_start, o_end = origin[start][0], origin[end - 1][1]
            matches.append(
                AliasMatch(
                    text[o_start:o_end], tuple(slot["ids"]), str(slot["entity"]), o_start, o_end
                )
            )
        return matches

    def find_longest_first(self, text: str) -> list[AliasMatch]:
        """The matches of :meth:`find_all`, longest first (leftmost on ties)."""
        return sorted(self.find_all(text), key=lambda m: (m.start - m.end, m.start))

    def match(self, text: str) -> str | None:
        """Entry id named by the longest unambiguous alias in ``text`` (leftmost on ties), else None."""
        for found in self.find_longest_first(text):
            if len(found.entry_ids) == 1:
                return found.entry_ids[0]
        return None


def _fold_with_offsets(text: str) -> tuple[str, list[tuple[int, int]], list[bool]]:
    """Folded text, per folded char its (start, end) in ``text``, and allowed match boundaries.

    A boundary lies between two folded characters unless both are Latin/Cyrillic letters or digits
    that were adjacent in the original, so "jiu zhai gou" is one word but "jiuzhaigouxyz" does not
    contain "jiuzhaigou".
    """
    chars: list[str] = []
    origin: list[tuple[int, int]] = []
    word: list[bool] = []
    gap_before: list[bool] = []
    pending_gap = True
    for index, raw in enumerate(text):
        folded = fold_char(raw)
        if not folded:
            pending_gap = True
            continue
        for char in folded:
            chars.append(char)
            origin.append((index, index + 1))
            word.append(_is_word_char(char))
            gap_before.append(pending_gap)
            pending_gap = False
    boundary = [True] * (len(chars) + 1)
    for i in range(1, len(chars)):
        boundary[i] = not (word[i - 1] and word[i] and not gap_before[i])
    return "".join(chars), origin, boundary
