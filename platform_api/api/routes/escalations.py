"""Hand-offs to human staff: opened by the bot, listed and updated with the static staff token.

The console's own routes are under ``/api/staff/escalations`` (staff accounts); these remain for
the bot (``POST``) and for integrations holding ``PLATFORM_STAFF_API_TOKEN``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from platform_api import crud
from platform_api.api.deps import CurrentBot, CurrentStaff, SessionDep
from platform_api.complaints.calendar import office_hours_label
from platform_api.complaints.deps import CaseSettingsDep
from platform_api.complaints.errors import ApiError, EnvelopeRoute
from platform_api.handoff import service
from platform_api.handoff.schemas import HandoffCreate, HandoffOpened
from platform_api.models import EscalationStatus
from platform_api.schemas import EscalationPublic, EscalationsPublic, EscalationUpdate

router = APIRouter(prefix="/api/escalations", tags=["escalations"], route_class=EnvelopeRoute)

ReferencePath = Annotated[
    str, Path(max_length=32, description="Reference such as ESC-20261129-0001")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=HandoffOpened,
    dependencies=[CurrentBot],
)
def create_escalation(
    session: SessionDep, settings: CaseSettingsDep, body: HandoffCreate, response: Response
) -> HandoffOpened:
    """Open a handoff (bot token) with the transcript, language and channel.

    ``active`` is true in office hours: the bot pauses and relays until staff or the tourist hand
    back. Out of hours ``active`` is false: tell the tourist and file a complaint case instead.
    A conversation already handed off gets its open escalation back (``existing``, status 200).
    """
    escalation, existing = service.open_handoff(session, body, settings)
    if existing:
        response.status_code = status.HTTP_200_OK
    return HandoffOpened(
        reference=escalation.reference,
        status=escalation.status,
        active=escalation.active,
        in_office_hours=escalation.in_office_hours,
        office_hours=office_hours_label(settings),
        existing=existing,
    )


@router.get("", response_model=EscalationsPublic, dependencies=[CurrentStaff])
def list_escalations(
    session: SessionDep,
    status_filter: Annotated[EscalationStatus | None, Query(alias="status")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> EscalationsPublic:
    """Escalations, newest first (static staff token)."""
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
    """Change status and/or assignee (static staff token)."""
    escalation = crud.get_escalation(session=session, reference=reference)
    if escalation is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, f"no escalation with reference {reference!r}")
    escalation = crud.update_escalation(
        session=session, escalation=escalation, escalation_in=escalation_in
    )
    if escalation.status == EscalationStatus.CLOSED and escalation.active:
        service.end_handoff(session, escalation, by="staff-token", staff=True)
    return EscalationPublic.model_validate(escalation)
