"""Which knowledge-base entries a tourist's message means.

The order is the knowledge action's: an entry the bot's NLU gazetteer named (attraction first,
then topic), else an alias written in the text, else — for follow-ups such as "and how do I get
there?" — the previous turn's entry, else hybrid search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from platform_api.kb import Retriever

if TYPE_CHECKING:
    from knowledge_base.schema import Entry

Match = Literal["entity", "alias", "previous", "search", "none"]
ENTITY_KINDS = ("attraction", "topic")
NAMED_SCORE = 1.0


@dataclass(frozen=True)
class Resolution:
    """How the entries were found, and the entries with their scores, best first."""

    match: Match
    hits: list[tuple[Entry, float]]


def named_in_entities(retriever: Retriever, entities: Iterable[tuple[str, str]]) -> str | None:
    """The first known entry id among ``(kind, value)`` mentions, attractions before topics."""
    mentions = list(entities)
    for kind in ENTITY_KINDS:
        for entity, value in mentions:
            if entity == kind and retriever.get(value) is not None:
                return value
    return None


def resolve(
    retriever: Retriever,
    text: str,
    *,
    lang: str | None = None,
    entities: Iterable[tuple[str, str]] = (),
    previous: str | None = None,
    follow_previous: bool = True,
    k: int = 1,
) -> Resolution:
    """Named entry first; a follow-up without a name resolves to ``previous``; else search."""
    candidates: list[tuple[Match, str | None]] = [
        ("entity", named_in_entities(retriever, entities)),
        ("alias", retriever.match_alias(text) if text.strip() else None),
        ("previous", previous if follow_previous else None),
    ]
    for match, entry_id in candidates:
        entry = retriever.get(entry_id) if entry_id is not None else None
        if entry is not None:
            return Resolution(match, [(entry, NAMED_SCORE)])
    if not text.strip():
        return Resolution("none", [])
    hits = retriever.search(text.strip(), lang=lang, k=k)
    return Resolution("search" if hits else "none", [(h.entry, float(h.score)) for h in hits])
