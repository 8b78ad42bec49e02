"""Questions the knowledge base could not answer: filed by the bot, read by content editors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from platform_api import crud
from platform_api.api.deps import CurrentBot, CurrentStaff, SessionDep
from platform_api.schemas import (
    UnansweredCreate,
    UnansweredList,
    UnansweredPlace,
    UnansweredPublic,
)

router = APIRouter(prefix="/api/kb/unanswered", tags=["knowledge-base"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UnansweredPublic,
    dependencies=[CurrentBot],
)
def create_unanswered(session: SessionDep, unanswered_in: UnansweredCreate) -> UnansweredPublic:
    """Log a question about a place the knowledge base does not have (bot token).

    Phone, ID-card, passport and bank-card numbers and e-mail addresses are removed before storing.
    """
    row = crud.create_unanswered(session=session, unanswered_in=unanswered_in)
    return UnansweredPublic.model_validate(row)


@router.get("", response_model=UnansweredList, dependencies=[CurrentStaff])
def list_unanswered(
    session: SessionDep,
    language: Annotated[str | None, Query(max_length=16)] = None,
    reason: Annotated[str | None, Query(max_length=32)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> UnansweredList:
    """Unanswered questions, newest first, and the places asked for most (staff only)."""
    rows, count, places = crud.list_unanswered(
        session=session, language=language, reason=reason, offset=offset, limit=limit
    )
    return UnansweredList(
        data=[UnansweredPublic.model_validate(row) for row in rows],
        count=count,
        top_places=[UnansweredPlace(place=place, count=n) for place, n in places],
    )
