"""Exact alias matching for the retriever: which knowledge-base entry does a text name?

Names in every language, aliases, pinyin written with or without spaces and Traditional
characters all match (folding in :mod:`knowledge_base.textfold`, matching in
:mod:`knowledge_base.aliases`, shared with the Rasa gazetteer). The longest match wins.
"""

from __future__ import annotations

from collections.abc import Iterable

from knowledge_base.aliases import AliasMatch, AliasTable, build_table
from knowledge_base.schema import Entry

__all__ = ["AliasMatch", "RetrieverGazetteer"]


class RetrieverGazetteer(AliasTable):
    """Folded alias -> entry ids, built from validated entries."""

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> RetrieverGazetteer:
        """Collect every name and alias of every entry."""
        return cls(build_table((entry.id, entry.type, entry.all_names()) for entry in entries))
