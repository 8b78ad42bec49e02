"""Which knowledge-base entries a tourist's message means (``POST /api/kb/resolve``).

The decision is :mod:`knowledge_base.place_resolution`'s: a place named in the message wins (NLU
entities, names, misspellings, translations, romanisations), a place the knowledge base does not
have is reported as unknown (never another place, never search), the previous turn's place carries
over only when the message names none, a named topic goes to its entry, otherwise hybrid search.

When a venue's partner system has pushed fresher prices (the bookings issue), they replace the
curated ticket fact of the returned entry (:func:`with_live_data`), marked ``live`` so the answer
names the partner system and its update time; stale or sandbox-demo data never does.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from knowledge_base.place_resolution import Kind, PlaceDecision, PlaceResolver
from knowledge_base.schema import Fact, LiveData, Price, Ticket
from platform_api.kb import Retriever

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from knowledge_base.schema import Entry

logger = logging.getLogger(__name__)

Match = Literal["entity", "alias", "previous", "search", "none"]
ENTITY_KINDS = ("attraction", "topic")


@dataclass(frozen=True)
class Resolution:
    """How the entries were found, and the entries with their scores, best first.

    ``match`` is the historical summary (entity/alias/previous/search/none); ``kind`` the place
    decision (named/carried_over/unknown/topic/searched/none); ``unknown_place`` the words naming a
    place the knowledge base does not have (``kind == "unknown"``).
    """

    match: Match
    hits: list[tuple[Entry, float]]
    kind: Kind = "none"
    unknown_place: str | None = None
    mention: str | None = None


_LOCK = threading.Lock()
_RESOLVERS: dict[int, tuple[Mapping[str, Entry], PlaceResolver]] = {}


_KEEP_RESOLVERS = 2
"""The served knowledge base's resolver and the one of a new index being swapped in."""


def place_resolver(entries: Mapping[str, Entry]) -> PlaceResolver:
    """One :class:`PlaceResolver` per loaded set of entries (built on first use, then reused).

    The resolvers of the last two sets are kept, so a hot reload (which builds the new one in
    the background before swapping) never makes requests on the old set rebuild theirs.
    """
    with _LOCK:
        cached = _RESOLVERS.pop(id(entries), None)
        if cached is None or cached[0] is not entries:
            cached = (entries, PlaceResolver(entries))
        _RESOLVERS[id(entries)] = cached  # most recently used last
        while len(_RESOLVERS) > _KEEP_RESOLVERS:
            del _RESOLVERS[next(iter(_RESOLVERS))]
        return cached[1]


def ordered_entities(entities: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(kind, value)`` mentions, attractions before topics, other kinds dropped."""
    mentions = list(entities)
    return [(k, v) for kind in ENTITY_KINDS for k, v in mentions if k == kind]


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
    """The place decision for ``text``, with the chosen entries and their facts."""
    mentions = ordered_entities(entities)
    resolver = place_resolver(retriever.entries)

    def search(query: str) -> list[tuple[str, float]]:
        return [(hit.entry_id, float(hit.score)) for hit in retriever.search(query, lang=lang, k=k)]

    decision = resolver.decide(
        text, entities=mentions, previous=previous, follow_previous=follow_previous, search=search
    )
    hits = [
        (entry, score)
        for entry_id, score in decision.hits
        if (entry := retriever.get(entry_id)) is not None
    ]
    return Resolution(
        match=_match(decision, {v for _, v in mentions}),
        hits=hits,
        kind=decision.kind,
        unknown_place=decision.mention if decision.kind == "unknown" else None,
        mention=decision.mention,
    )


def _match(decision: PlaceDecision, entity_ids: set[str]) -> Match:
    if decision.kind in ("named", "topic"):
        return "entity" if decision.entry_id in entity_ids else "alias"
    if decision.kind == "carried_over":
        return "previous"
    if decision.kind == "searched":
        return "search"
    return "none"


# ---------- fresher partner data ----------


class VenueData(Protocol):
    """What the partner integration offers: ``latest_venue_data(session, venue_id, now)`` bound to a
    session (see :mod:`platform_api.partners.live`): ``{"prices": {"amount_fen": {category: fen},
    "observed_at", "stale", "demo"}, ...}``, or None when unavailable."""

    def __call__(self, venue_id: str, now: dt.datetime) -> Mapping[str, Any] | None: ...


def partner_venue_data(session: Session) -> VenueData:
    """The partner integration's :data:`VenueData` over ``session``; never raises (None instead)."""

    def fetch(venue_id: str, now: dt.datetime) -> Mapping[str, Any] | None:
        try:
            from platform_api.partners.live import latest_venue_data
        except ImportError:
            return None
        try:
            return latest_venue_data(session, venue_id, now)
        except Exception as exc:  # noqa: BLE001 - the curated answer still stands
            logger.warning("partner data for %s unavailable: %s", venue_id, type(exc).__name__)
            session.rollback()
            return None

    return fetch


_CATEGORIES = {"adult": "adult", "child": "child", "senior": "senior", "concession": "concession"}


def with_live_data(entry: Entry, data: Mapping[str, Any] | None) -> Entry:
    """``entry`` with its ticket fact replaced by the partner's prices when those are fresher.

    They win when present, real (not ``demo``), not ``stale`` and not older than the curated
    fact's own date; the fact then carries ``live`` (system and time) instead of a web source.
    """
    prices = (data or {}).get("prices")
    if not prices or prices.get("stale") or prices.get("demo") or not prices.get("amount_fen"):
        return entry
    try:
        observed = dt.datetime.fromisoformat(str(prices["observed_at"]))
    except (KeyError, ValueError):
        return entry
    as_of = entry.ticket.as_of()
    if as_of is not None and as_of[0] > observed.date():
        return entry
    amounts = {
        _CATEGORIES[c]: int(fen) / 100
        for c, fen in prices["amount_fen"].items()
        if c in _CATEGORIES
    }
    if not amounts:
        return entry
    curated = entry.ticket.value
    ticket = Ticket(
        free=False,
        prices=[Price(category=c, amount=a) for c, a in amounts.items()],  # type: ignore[arg-type]
        includes=curated.includes if curated else None,
        concessions=curated.concessions if curated else None,
    )
    fact = Fact[Ticket](value=ticket, live=LiveData(observed_at=observed))
    return entry.model_copy(update={"ticket": fact})
