"""Knowledge-base place names as an alias table, matched against raw user text.

Both aliases and text are folded (NFKC, Traditional to Simplified for the characters below,
lower case, spaces/hyphens/apostrophes/dots dropped) so "jiu zhai gou", "Jiuzhaigou" and "九寨溝"
all name ``jiuzhaigou``. Matches keep offsets into the *original* text. Longest match wins and
matches never overlap. Latin/Cyrillic matches must start and end on word boundaries.

The entries are read with PyYAML only (``knowledge_base`` itself needs pydantic 2, which the
Rasa environment does not have); folding is shared with the retriever through the dependency-free ``knowledge_base.textfold``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge_base.textfold import MIN_CJK_LEN, MIN_LATIN_LEN, fold, fold_char

LANGUAGES = ("zh", "en", "ja", "ko", "fr", "de", "es", "ru")
TOPIC_TYPES = frozenset({"topic", "event"})

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


def read_entries(directory: Path) -> list[dict]:
    """``{"id", "type", "names": [...]}`` for every ``*.yml`` entry in ``directory``."""
    entries = []
    for path in sorted(Path(directory).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not data.get("id"):
            continue
        names = [v for v in (data.get("names") or {}).values() if isinstance(v, str) and v]
        names += [a for a in data.get("aliases") or [] if isinstance(a, str) and a]
        entries.append({"id": data["id"], "type": data.get("type", ""), "names": names})
    return entries


def build_table(entries: Iterable[dict]) -> dict[str, dict[str, object]]:
    """Folded alias -> {"ids": sorted entry ids, "entity": "attraction" | "topic"}."""
    table: dict[str, dict[str, object]] = {}
    for entry in entries:
        entity = "topic" if entry.get("type") in TOPIC_TYPES else "attraction"
        for name in entry["names"]:
            key = fold(name)
            if not key or not _long_enough(key):
                continue
            slot = table.setdefault(key, {"ids": [], "entity": entity})
            if entry["id"] not in slot["ids"]:
                slot["ids"] = sorted([*slot["ids"], entry["id"]])
    return table


class Gazetteer:
    """Folded alias table, matched longest-first without overlaps."""

    def __init__(self, table: dict[str, dict[str, object]]) -> None:
        self.table = table
        self._max_len = max((len(k) for k in table), default=0)

    @classmethod
    def from_directory(cls, directory: Path) -> Gazetteer:
        """Alias table of every entry under ``directory``."""
        return cls(build_table(read_entries(directory)))

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

    def match(self, text: str) -> str | None:
        """Entry id of the first unambiguous match, else None."""
        for found in self.find_all(text):
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
