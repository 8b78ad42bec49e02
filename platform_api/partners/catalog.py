"""Attractions come from the knowledge base: a venue id is an entry id (``data/entries/<id>.yml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge_base.store import DEFAULT_ENTRIES_DIR, ENTRY_SUFFIX, KnowledgeBaseError, read_raw

VENUE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
_VENUE_ID = re.compile(VENUE_ID_PATTERN)
_NOT_VENUES = ("topic-", "event-")


@dataclass(frozen=True)
class EntryInfo:
    """What a venue row needs from its knowledge-base entry."""

    id: str
    name: str
    city: str


@lru_cache(maxsize=256)
def entry_info(venue_id: str) -> EntryInfo | None:
    """The knowledge-base entry ``venue_id`` names, or None (also for topics and events)."""
    if not _VENUE_ID.fullmatch(venue_id) or venue_id.startswith(_NOT_VENUES):
        return None
    path = DEFAULT_ENTRIES_DIR / f"{venue_id}{ENTRY_SUFFIX}"
    if not path.is_file():
        return None
    try:
        raw = read_raw(path)
    except KnowledgeBaseError:
        return None
    names = raw.get("names") or {}
    city = raw.get("city") or {}
    return EntryInfo(
        id=venue_id,
        name=str(names.get("zh") or names.get("en") or venue_id),
        city=str(city.get("en") or city.get("zh") or "") if isinstance(city, dict) else "",
    )
