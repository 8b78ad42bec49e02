"""Knowledge-base routes: search and entry lookup (public); resolve and upcoming events (bot).

Every route is a sync ``def``: FastAPI runs it in its threadpool, so the blocking search never
holds the event loop.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, status

from knowledge_base.itinerary import cities, city_key
from knowledge_base.schema import LANGUAGES
from knowledge_base.seasonal import upcoming_events
from platform_api.api.deps import CurrentBot, RetrieverDep, SessionDep
from platform_api.kb import is_index_not_built
from platform_api.kb_resolve import partner_venue_data, resolve, with_live_data
from platform_api.schemas import (
    KbResolvedEntry,
    KbResolveRequest,
    KbResolveResponse,
    KbSearchResponse,
    KbSearchResult,
    KbUpcomingEvent,
    KbUpcomingEventsResponse,
    LocalizedName,
)

router = APIRouter(prefix="/api/kb", tags=["knowledge-base"])

_LANG_PATTERN = "^(" + "|".join(LANGUAGES) + ")$"


def _unavailable(exc: Exception) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        detail=str(exc) or "knowledge base index is not built",
    )


@router.get("/search", response_model=KbSearchResponse)
def search(
    retriever: RetrieverDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Free-text question")],
    lang: Annotated[
        str | None, Query(pattern=_LANG_PATTERN, description="Language of the query")
    ] = None,
    k: Annotated[int, Query(ge=1, le=20, description="Number of results")] = 5,
) -> KbSearchResponse:
    """The ``k`` entries closest to ``q``, best first."""
    query = q.strip()
    if not query:
        raise HTTPException(status_code=422, detail="q must not be blank")
    try:
        hits = retriever.search(query, lang=lang, k=k)
    except Exception as exc:
        if is_index_not_built(exc):
            raise _unavailable(exc) from exc
        raise
    return KbSearchResponse(
        query=query,
        lang=lang,
        results=[
            KbSearchResult(
                id=hit.entry_id,
                name=LocalizedName(zh=hit.entry.names.zh, en=hit.entry.names.en),
                score=float(hit.score),
                type=hit.entry.type,
            )
            for hit in hits
        ],
    )


@router.get("/entries/{entry_id}")
def get_entry(
    retriever: RetrieverDep,
    entry_id: Annotated[str, Path(max_length=100, description="Entry id, e.g. jiuzhaigou")],
) -> dict[str, Any]:
    """One entry with all its sourced facts, as stored in the knowledge base."""
    try:
        entry = retriever.get(entry_id)
    except Exception as exc:
        if is_index_not_built(exc):
            raise _unavailable(exc) from exc
        raise
    if entry is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"no knowledge-base entry with id {entry_id!r}",
        )
    return entry.model_dump(mode="json")


@router.post("/resolve", response_model=KbResolveResponse, dependencies=[CurrentBot])
def resolve_entries(
    retriever: RetrieverDep, session: SessionDep, body: KbResolveRequest
) -> KbResolveResponse:
    """The entries a tourist's message means, with all their facts (the knowledge action's lookup).

    A place named in the message wins (NLU entity, name, misspelling, translation); a place the
    knowledge base does not have comes back as ``kind: unknown`` with ``unknown_place`` and no
    results; a follow-up without a name gets ``previous``; a named topic its entry; otherwise hybrid
    search returns up to ``k`` entries, or none when nothing is good enough
    (:mod:`knowledge_base.place_resolution`). A venue's fresh partner prices replace its curated
    ticket fact, marked ``live`` (:func:`platform_api.kb_resolve.with_live_data`).
    """
    try:
        resolution = resolve(
            retriever,
            body.text,
            lang=body.lang,
            entities=[(mention.entity, mention.value) for mention in body.entities],
            previous=body.previous,
            follow_previous=body.follow_previous,
            k=body.k,
        )
    except Exception as exc:
        if is_index_not_built(exc):
            raise _unavailable(exc) from exc
        raise
    live = partner_venue_data(session)
    now = dt.datetime.now(dt.UTC)
    return KbResolveResponse(
        match=resolution.match,
        results=[
            KbResolvedEntry(
                score=score,
                entry=with_live_data(entry, live(entry.id, now)).model_dump(
                    mode="json", exclude_none=False
                ),
            )
            for entry, score in resolution.hits
        ],
        kind=resolution.kind,
        unknown_place=resolution.unknown_place,
        mention=resolution.mention,
    )


@router.get("/upcoming-events", response_model=KbUpcomingEventsResponse, dependencies=[CurrentBot])
def get_upcoming_events(
    retriever: RetrieverDep,
    today: Annotated[dt.date, Query(description="The tourist's today (ISO date)")],
    limit: Annotated[int, Query(ge=1, le=20, description="Number of events")] = 2,
    exclude: Annotated[
        list[str] | None, Query(max_length=20, description="Entry ids already shown")
    ] = None,
) -> KbUpcomingEventsResponse:
    """Festivals expected in the coming weeks, soonest first (season-aware recommendations)."""
    try:
        found = upcoming_events(retriever.entries.values(), today)
    except Exception as exc:
        if is_index_not_built(exc):
            raise _unavailable(exc) from exc
        raise
    shown = set(exclude or ())
    events = [(entry, day) for entry, day in found if entry.id not in shown][:limit]
    return KbUpcomingEventsResponse(
        today=today,
        events=[
            KbUpcomingEvent(date=day, entry=entry.model_dump(mode="json")) for entry, day in events
        ],
    )


@router.get("/cities", dependencies=[CurrentBot])
def get_cities(retriever: RetrieverDep) -> dict[str, Any]:
    """The cities of the knowledge base's places, by key, with their names in every language."""
    try:
        found = cities(retriever.entries.values())
    except Exception as exc:
        if is_index_not_built(exc):
            raise _unavailable(exc) from exc
        raise
    return {"cities": {key: city.model_dump(mode="json") for key, city in sorted(found.items())}}


@router.get("/entries", dependencies=[CurrentBot])
def get_entries_in_city(
    retriever: RetrieverDep,
    city: Annotated[str, Query(min_length=1, max_length=100, description="City key, e.g. chengdu")],
) -> dict[str, Any]:
    """Every entry (places and events) whose city is ``city``, with all their facts (itineraries)."""
    key = city.strip().lower()
    try:
        entries = [e for e in retriever.entries.values() if city_key(e.city) == key]
    except Exception as exc:
        if is_index_not_built(exc):
            raise _unavailable(exc) from exc
        raise
    return {
        "city": key,
        "entries": [e.model_dump(mode="json") for e in sorted(entries, key=lambda e: e.id)],
    }
