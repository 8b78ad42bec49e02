"""``/api/staff/...``: the staff API (Bearer access token from ``POST /api/staff/login``).

Every route except ``login`` answers 401 without a valid, unexpired token; supervisor-only routes
answer 403 to agents. Every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from platform_api.api.deps import SessionDep
from platform_api.complaints import erasure, service
from platform_api.complaints.deps import CaseSettingsDep
from platform_api.complaints.errors import ApiError, EnvelopeRoute
from platform_api.complaints.evidence import evidence_path
from platform_api.complaints.models import ComplaintEvidence
from platform_api.complaints.schemas import Category, ErasureRequest, ErasureResult
from platform_api.handoff import service as handoff
from platform_api.handoff.schemas import TextBody
from platform_api.staff import accounts, audit, canned, dashboard, views
from platform_api.staff.auth import StaffDep, SupervisorDep, login, logout, may_see_personal_data

router = APIRouter(prefix="/api/staff", tags=["staff"], route_class=EnvelopeRoute)


class LoginBody(BaseModel):
    """Username and password."""

    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, Field(max_length=64)] = ""
    password: Annotated[str, Field(max_length=256)] = ""


class LoginResult(BaseModel):
    """``access_token``: send as ``Authorization: Bearer <access_token>``."""

    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime
    username: str
    role: str


class AssignBody(BaseModel):
    """``username`` to assign (null: unassign); agents may only take a case themselves."""

    model_config = ConfigDict(extra="forbid")

    username: Annotated[str | None, Field(max_length=64)] = None


class ResolveBody(BaseModel):
    """How the case ended (told to the tourist)."""

    model_config = ConfigDict(extra="forbid")

    outcome: Annotated[str, Field(min_length=1, max_length=4000)]


class ReopenBody(BaseModel):
    """Why the case is reopened."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(max_length=1000)] = ""


class StaffCreate(BaseModel):
    """A new staff account (supervisors only)."""

    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, Field(min_length=2, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    role: Literal["agent", "supervisor"] = "agent"
    display_name: Annotated[str, Field(max_length=128)] = ""


@router.post("/login", response_model=LoginResult)
def staff_login(
    db: SessionDep, settings: CaseSettingsDep, body: LoginBody | None = None
) -> LoginResult:
    """Exchange username and password for a bearer token that expires.

    Missing or wrong credentials are the same 401 as every other staff route without a login.
    """
    if body is None or not body.username.strip() or not body.password:
        raise ApiError(401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"})
    token, row = login(db, body.username, body.password, settings)
    user = accounts.get_user(db, body.username)
    assert user is not None
    return LoginResult(
        access_token=token, expires_at=row.expires_at, username=user.username, role=user.role
    )


@router.post("/logout", status_code=204)
def staff_logout(db: SessionDep, principal: StaffDep) -> None:
    """Revoke the token."""
    logout(db, principal)


@router.get("/me")
def whoami(principal: StaffDep) -> dict[str, str]:
    """The logged-in account."""
    return {"username": principal.username, "role": principal.role}


def _assignee(principal: Any, wanted: str | None, db: SessionDep) -> str | None:
    if wanted is not None and accounts.get_user(db, wanted) is None:
        raise ApiError(422, f"username: no staff account {wanted}")
    if not principal.is_supervisor and wanted not in (None, principal.username):
        raise ApiError(403, "agents may only assign cases to themselves")
    return wanted.strip().lower() if wanted else None


@router.get("/complaints")
def list_complaints(
    db: SessionDep,
    principal: StaffDep,
    response: Response,
    status: Annotated[Literal["open", "in_progress", "resolved"] | None, Query()] = None,
    category: Annotated[Category | None, Query()] = None,
    venue: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    overdue: bool | None = None,
    due_before: dt.datetime | None = None,
    assigned_to: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """The complaint queue as a JSON list, soonest deadline first; phones masked.

    Each item has ``reference``, ``language``, ``category``, ``status``, ``due_at``, ``overdue``
    ...; the total before paging is in the ``X-Total-Count`` header.
    """
    rows, total = service.list_complaints(
        db,
        service.ComplaintFilter(
            status=status,
            category=category,
            venue=venue,
            language=language,
            overdue=overdue,
            due_before=due_before,
            assigned_to=assigned_to,
        ),
        offset=offset,
        limit=limit,
    )
    response.headers["X-Total-Count"] = str(total)
    return [views.complaint_summary(row) for row in rows]


@router.get("/complaints/{reference}")
def complaint_detail(db: SessionDep, principal: StaffDep, reference: str) -> dict[str, Any]:
    """The case file (full phone for the assigned agent and supervisors; the view is audited)."""
    complaint = service.require_complaint(db, reference)
    audit.record(
        db,
        actor=principal.username,
        action="complaint.view",
        target=reference,
        detail="full" if may_see_personal_data(principal, complaint.assigned_to) else "masked",
    )
    db.commit()
    return views.complaint_detail(db, complaint, principal)


@router.post("/complaints/{reference}/replies", status_code=201)
def reply(db: SessionDep, principal: StaffDep, reference: str, body: TextBody) -> dict[str, Any]:
    """Reply to the tourist: shown in their status and queued in their conversation's outbox."""
    complaint = service.require_complaint(db, reference)
    entry = service.add_reply(db, complaint, author=principal.username, text=body.text)
    return {
        "reference": reference,
        "text": entry.text,
        "at": entry.created_at.isoformat(),
        "status": complaint.status,
    }


@router.post("/complaints/{reference}/notes", status_code=201)
def note(db: SessionDep, principal: StaffDep, reference: str, body: TextBody) -> dict[str, Any]:
    """An internal note (never shown to the tourist)."""
    complaint = service.require_complaint(db, reference)
    entry = service.add_note(db, complaint, author=principal.username, text=body.text)
    return {"reference": reference, "text": entry.text, "at": entry.created_at.isoformat()}


@router.post("/complaints/{reference}/assign")
def assign_complaint(
    db: SessionDep, principal: StaffDep, reference: str, body: AssignBody
) -> dict[str, Any]:
    """Assign (agents: themselves only; supervisors: anyone) or unassign."""
    complaint = service.require_complaint(db, reference)
    assignee = _assignee(principal, body.username, db)
    service.assign(db, complaint, author=principal.username, assignee=assignee)
    return views.complaint_summary(complaint)


@router.post("/complaints/{reference}/start")
def start_complaint(db: SessionDep, principal: StaffDep, reference: str) -> dict[str, Any]:
    """open → in_progress."""
    complaint = service.require_complaint(db, reference)
    service.start(db, complaint, author=principal.username)
    return views.complaint_summary(complaint)


@router.post("/complaints/{reference}/resolve")
def resolve_complaint(
    db: SessionDep, principal: StaffDep, reference: str, body: ResolveBody
) -> dict[str, Any]:
    """Resolve with an outcome (the tourist is told)."""
    complaint = service.require_complaint(db, reference)
    service.resolve(db, complaint, author=principal.username, outcome=body.outcome)
    return views.complaint_summary(complaint)


@router.post("/complaints/{reference}/reopen")
def reopen_complaint(
    db: SessionDep, principal: StaffDep, reference: str, body: ReopenBody
) -> dict[str, Any]:
    """resolved → in_progress."""
    complaint = service.require_complaint(db, reference)
    service.reopen(db, complaint, author=principal.username, reason=body.reason)
    return views.complaint_summary(complaint)


@router.get("/evidence/{evidence_id}")
def evidence_file(
    db: SessionDep, principal: StaffDep, settings: CaseSettingsDep, evidence_id: int
) -> FileResponse:
    """An uploaded evidence image."""
    row = db.get(ComplaintEvidence, evidence_id)
    path = evidence_path(row, settings) if row is not None else None
    if row is None or path is None:
        raise ApiError(404, "no stored evidence with this id")
    audit.record(db, actor=principal.username, action="evidence.view", target=str(evidence_id))
    db.commit()
    return FileResponse(
        path, media_type=row.content_type, headers={"X-Content-Type-Options": "nosniff"}
    )


@router.get("/escalations")
def list_escalations(
    db: SessionDep,
    principal: StaffDep,
    response: Response,
    status: Annotated[Literal["open", "assigned", "closed"] | None, Query()] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    active: bool | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """Escalations as a JSON list, active handoffs first (total in ``X-Total-Count``)."""
    rows, total = handoff.list_escalations(
        db, status=status, language=language, active=active, offset=offset, limit=limit
    )
    response.headers["X-Total-Count"] = str(total)
    return [views.escalation_summary(row) for row in rows]


@router.get("/escalations/{reference}")
def escalation_detail(db: SessionDep, principal: StaffDep, reference: str) -> dict[str, Any]:
    """Transcript and conversation of an escalation."""
    escalation = handoff.require_escalation(db, reference)
    audit.record(db, actor=principal.username, action="escalation.view", target=reference)
    db.commit()
    return views.escalation_detail(db, escalation, principal)


@router.post("/escalations/{reference}/messages", status_code=201)
def message_tourist(
    db: SessionDep, principal: StaffDep, reference: str, body: TextBody
) -> dict[str, Any]:
    """Send a message to the tourist during the handoff (through their conversation's outbox)."""
    escalation = handoff.require_escalation(db, reference)
    entry = handoff.staff_message(db, escalation, author=principal.username, text=body.text)
    return {"reference": reference, "text": entry.text, "at": entry.created_at.isoformat()}


@router.post("/escalations/{reference}/notes", status_code=201)
def escalation_note(
    db: SessionDep, principal: StaffDep, reference: str, body: TextBody
) -> dict[str, Any]:
    """An internal note on an escalation."""
    escalation = handoff.require_escalation(db, reference)
    entry = handoff.add_note(db, escalation, author=principal.username, text=body.text)
    return {"reference": reference, "text": entry.text, "at": entry.created_at.isoformat()}


@router.post("/escalations/{reference}/assign")
def assign_escalation(
    db: SessionDep, principal: StaffDep, reference: str, body: AssignBody
) -> dict[str, Any]:
    """Assign an escalation (agents: themselves only)."""
    escalation = handoff.require_escalation(db, reference)
    assignee = _assignee(principal, body.username, db)
    handoff.assign(db, escalation, author=principal.username, assignee=assignee)
    return views.escalation_summary(escalation)


@router.post("/escalations/{reference}/hand-back")
def hand_back(db: SessionDep, principal: StaffDep, reference: str) -> dict[str, Any]:
    """End the handoff: the bot answers this conversation again."""
    escalation = handoff.require_escalation(db, reference)
    if not escalation.active:
        raise ApiError(409, f"{reference} is not an active handoff", code="not_active")
    handoff.end_handoff(db, escalation, by=principal.username, staff=True)
    return views.escalation_summary(escalation)


@router.get("/canned-replies")
def canned_replies(
    principal: StaffDep, language: Annotated[str, Query(max_length=16)] = "en"
) -> dict[str, Any]:
    """Ready-made replies in ``language`` (one of the eight)."""
    return {
        "language": language,
        "replies": [
            {"key": key, "label": label, "text": text}
            for key, label, text in canned.replies_for(language)
        ],
    }


@router.get("/dashboard")
def dashboard_figures(db: SessionDep, principal: StaffDep) -> dict[str, Any]:
    """Dashboard figures (complaints per day/category/venue, medians, open vs overdue, ...)."""
    return dashboard.compute(db)


@router.get("/users")
def list_staff(db: SessionDep, principal: SupervisorDep) -> dict[str, Any]:
    """Staff accounts (supervisors only)."""
    return {
        "data": [
            {
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "active": u.active,
            }
            for u in accounts.list_users(db)
        ]
    }


@router.post("/users", status_code=201)
def create_staff(db: SessionDep, principal: SupervisorDep, body: StaffCreate) -> dict[str, str]:
    """Create a staff account (supervisors only; placeholder or short passwords refused)."""
    try:
        user = accounts.create_user(
            db,
            username=body.username,
            password=body.password,
            role=body.role,
            display_name=body.display_name,
        )
    except ValueError as error:
        raise ApiError(422, str(error)) from error
    audit.record(
        db, actor=principal.username, action="staff.create", target=user.username, detail=user.role
    )
    db.commit()
    return {"username": user.username, "role": user.role}


@router.get("/audit")
def audit_log(
    db: SessionDep,
    principal: SupervisorDep,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """Audit log, newest first (supervisors only)."""
    return {
        "data": [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "target": e.target,
                "detail": e.detail,
            }
            for e in audit.recent(db, limit=limit, actor=actor)
        ]
    }


@router.post("/privacy/erase", response_model=ErasureResult)
def erase_tourist(
    db: SessionDep, principal: SupervisorDep, settings: CaseSettingsDep, body: ErasureRequest
) -> ErasureResult:
    """Erase/anonymise a tourist's data on a deletion request (supervisors only)."""
    return erasure.erase_user(db, body.user_id, settings, actor=principal.username)
