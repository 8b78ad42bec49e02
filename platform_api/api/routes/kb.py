"""Knowledge-base search and entry lookup: ``/api/kb/search`` and ``/api/kb/entries/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, status

from knowledge_base.schema import LANGUAGES
from platform_api.api.deps import RetrieverDep
from platform_api.kb import is_index_not_built
from platform_api.schemas import KbSearchResponse, KbSearchResult, LocalizedName

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
