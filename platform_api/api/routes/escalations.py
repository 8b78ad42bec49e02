"""Hand-offs to human staff: created by the bot, listed and updated by staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status

from platform_api import crud
from platform_api.api.deps import CurrentBot, CurrentStaff, SessionDep
from platform_api.models import EscalationStatus
from platform_api.schemas import (
    EscalationCreate,
    EscalationCreated,
    EscalationPublic,
    EscalationsPublic,
    EscalationUpdate,
)

router = APIRouter(prefix="/api/escalations", tags=["escalations"])

ReferencePath = Annotated[
    str, Path(max_length=32, description="Reference such as ESC-20261129-0001")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EscalationCreated,
    dependencies=[CurrentBot],
)
def create_escalation(session: SessionDep, escalation_in: EscalationCreate) -> EscalationCreated:
    """Open an escalation (called by the bot's ``human_handoff`` action, with the bot token)."""
    escalation = crud.create_escalation(session=session, escalation_in=escalation_in)
    return EscalationCreated(reference=escalation.reference, status=escalation.status)


@router.get("", response_model=EscalationsPublic, dependencies=[CurrentStaff])
def list_escalations(
    session: SessionDep,
    status_filter: Annotated[EscalationStatus | None, Query(alias="status")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> EscalationsPublic:
    """Escalations, newest first (staff only)."""
    rows, count = crud.list_escalations(
        session=session, status=status_filter, offset=offset, limit=limit
    )
    return EscalationsPublic(
        data=[EscalationPublic.model_validate(row) for row in rows], count=count
    )


@router.patch("/{reference}", response_model=EscalationPublic, dependencies=[CurrentStaff])
def update_escalation(
    session: SessionDep, reference: ReferencePath, escalation_in: EscalationUpdate
) -> EscalationPublic:
    """Change status and/or assignee (staff only)."""
    escalation = crud.get_escalation(session=session, reference=reference)
    if escalation is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"no escalation with reference {reference!r}",
        )
    escalation = crud.update_escalation(
        session=session, escalation=escalation, escalation_in=escalation_in
    )
    return EscalationPublic.model_validate(escalation)
