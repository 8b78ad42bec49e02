"""Knowledge-base place names as an alias table for the Rasa gazetteer, matched against raw user text.

The entries are read with PyYAML only (``knowledge_base`` itself needs pydantic 2, which the Rasa
environment does not have); folding and matching are shared with the retriever through the
dependency-free :mod:`knowledge_base.aliases` and :mod:`knowledge_base.textfold`.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from knowledge_base.aliases import TOPIC_TYPES, AliasMatch, AliasTable, build_table, is_cjk
from knowledge_base.textfold import fold

__all__ = ["TOPIC_TYPES", "AliasMatch", "NluGazetteer", "fold", "is_cjk", "read_entries"]


def read_entries(directory: Path) -> list[tuple[str, str, list[str]]]:
    """(id, type, names and aliases) for every ``*.yml`` entry in ``directory``."""
    entries = []
    for path in sorted(Path(directory).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not data.get("id"):
            continue
        names = [v for v in (data.get("names") or {}).values() if isinstance(v, str) and v]
        names += [a for a in data.get("aliases") or [] if isinstance(a, str) and a]
        entries.append((str(data["id"]), str(data.get("type", "")), names))
    return entries


class NluGazetteer(AliasTable):
    """The alias table of the knowledge-base entries in a directory."""

    @classmethod
    def from_directory(cls, directory: Path) -> NluGazetteer:
        """Alias table of every entry under ``directory``."""
        return cls(build_table(read_entries(directory)))
