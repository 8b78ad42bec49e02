"""Human handoff: one active escalation per conversation while staff talk to the tourist."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from platform_api.complaints.calendar import in_office_hours
from platform_api.complaints.errors import ApiError
from platform_api.complaints.models import CaseEntry
from platform_api.complaints.references import MAX_ATTEMPTS, RETRYABLE, next_reference
from platform_api.complaints.settings import CaseSettings
from platform_api.handoff import outbox
from platform_api.handoff.schemas import HandoffCreate
from platform_api.models import Escalation, EscalationStatus, utcnow
from platform_api.staff import audit


def active_for(session: Session, sender_id: str) -> Escalation | None:
    """The conversation's active handoff, if any."""
    return session.scalar(
        select(Escalation)
        .where(Escalation.sender_id == sender_id, Escalation.active.is_(True))
        .order_by(Escalation.id.desc())
        .limit(1)
    )


def open_handoff(
    session: Session, data: HandoffCreate, settings: CaseSettings, *, now: dt.datetime | None = None
) -> tuple[Escalation, bool]:
    """Record the escalation; active (bot paused) only in office hours. Returns (row, existing)."""
    now = now or utcnow()
    current = active_for(session, data.sender_id)
    if current is not None:
        return current, True
    live = in_office_hours(now, settings)
    turns = [turn.model_dump(mode="json") for turn in data.transcript]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            reference = next_reference(session, "ESC", now)
            escalation = Escalation(
                reference=reference,
                sender_id=data.sender_id,
                channel=data.channel,
                language=data.language,
                reason=data.reason,
                last_user_message=data.last_user_message,
                transcript=json.dumps(turns, ensure_ascii=False),
                status=EscalationStatus.OPEN,
                active=live,
                in_office_hours=live,
                created_at=now,
                updated_at=now,
            )
            session.add(escalation)
            session.add(
                CaseEntry(
                    case_reference=reference,
                    kind="created",
                    author="bot",
                    text=data.reason,
                    visible_to_tourist=False,
                    created_at=now,
                )
            )
            session.commit()
        except RETRYABLE:
            session.rollback()
            if attempt == MAX_ATTEMPTS:
                raise
            continue
        return escalation, False
    raise AssertionError("unreachable")  # pragma: no cover


def get_escalation(session: Session, reference: str) -> Escalation | None:
    """The escalation with ``reference``."""
    return session.scalar(select(Escalation).where(Escalation.reference == reference))


def require_escalation(session: Session, reference: str) -> Escalation:
    """The escalation, or a 404 :class:`ApiError`."""
    escalation = get_escalation(session, reference)
    if escalation is None:
        raise ApiError(404, f"no escalation with reference {reference}")
    return escalation


def tourist_message(
    session: Session, sender_id: str, text: str, *, now: dt.datetime | None = None
) -> CaseEntry:
    """Append what the tourist wrote during the handoff to the case (409 when none is active)."""
    now = now or utcnow()
    escalation = active_for(session, sender_id)
    if escalation is None:
        raise ApiError(409, "this conversation is not handed off to staff", code="not_handed_off")
    entry = CaseEntry(
        case_reference=escalation.reference,
        kind="tourist_message",
        author="tourist",
        text=text,
        visible_to_tourist=False,
        created_at=now,
    )
    session.add(entry)
    escalation.last_user_message = text
    escalation.updated_at = now
    session.commit()
    return entry


def staff_message(
    session: Session,
    escalation: Escalation,
    *,
    author: str,
    text: str,
    now: dt.datetime | None = None,
) -> CaseEntry:
    """A staff message to the tourist: stored on the case and queued in the conversation's outbox."""
    now = now or utcnow()
    if not escalation.active:
        raise ApiError(409, f"{escalation.reference} is not an active handoff", code="not_active")
    entry = CaseEntry(
        case_reference=escalation.reference,
        kind="reply",
        author=author,
        text=text,
        visible_to_tourist=True,
        created_at=now,
    )
    session.add(entry)
    if escalation.first_reply_at is None:
        escalation.first_reply_at = now
    if escalation.status == EscalationStatus.OPEN:
        escalation.status = EscalationStatus.ASSIGNED
        escalation.assigned_to = escalation.assigned_to or author
    escalation.updated_at = now
    outbox.push(
        session,
        sender_id=escalation.sender_id,
        kind="handoff_message",
        reference=escalation.reference,
        text=text,
        status="active",
        language=escalation.language,
        now=now,
    )
    audit.record(
        session, actor=author, action="escalation.message", target=escalation.reference, now=now
    )
    session.commit()
    return entry


def end_handoff(
    session: Session,
    escalation: Escalation,
    *,
    by: str,
    staff: bool,
    now: dt.datetime | None = None,
) -> None:
    """Hand the conversation back to the bot; tells the tourist's channel when staff ended it."""
    now = now or utcnow()
    escalation.active = False
    escalation.status = EscalationStatus.CLOSED
    escalation.ended_at = now
    escalation.ended_by = by
    escalation.updated_at = now
    session.add(
        CaseEntry(
            case_reference=escalation.reference,
            kind="handoff_ended",
            author=by,
            text="",
            visible_to_tourist=False,
            created_at=now,
        )
    )
    if staff:
        outbox.push(
            session,
            sender_id=escalation.sender_id,
            kind="handoff_ended",
            reference=escalation.reference,
            text="",
            status="closed",
            language=escalation.language,
            now=now,
        )
        audit.record(
            session, actor=by, action="escalation.hand_back", target=escalation.reference, now=now
        )
    session.commit()


def assign(
    session: Session,
    escalation: Escalation,
    *,
    author: str,
    assignee: str | None,
    now: dt.datetime | None = None,
) -> None:
    """Give the escalation to ``assignee``."""
    now = now or utcnow()
    escalation.assigned_to = assignee
    if assignee and escalation.status == EscalationStatus.OPEN:
        escalation.status = EscalationStatus.ASSIGNED
    escalation.updated_at = now
    session.add(
        CaseEntry(
            case_reference=escalation.reference,
            kind="assign",
            author=author,
            text=assignee or "",
            visible_to_tourist=False,
            created_at=now,
        )
    )
    audit.record(
        session,
        actor=author,
        action="escalation.assign",
        target=escalation.reference,
        detail=assignee or "-",
        now=now,
    )
    session.commit()


def add_note(
    session: Session,
    escalation: Escalation,
    *,
    author: str,
    text: str,
    now: dt.datetime | None = None,
) -> CaseEntry:
    """An internal note on an escalation."""
    now = now or utcnow()
    entry = CaseEntry(
        case_reference=escalation.reference,
        kind="note",
        author=author,
        text=text,
        visible_to_tourist=False,
        created_at=now,
    )
    session.add(entry)
    audit.record(
        session, actor=author, action="escalation.note", target=escalation.reference, now=now
    )
    session.commit()
    return entry


def list_escalations(
    session: Session,
    *,
    status: str | None = None,
    language: str | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Escalation], int]:
    """Active first, then newest."""
    conditions = []
    if status:
        conditions.append(Escalation.status == status)
    if language:
        conditions.append(Escalation.language == language)
    if active is not None:
        conditions.append(Escalation.active.is_(active))
    total = session.scalar(select(func.count()).select_from(Escalation).where(*conditions)) or 0
    rows = session.scalars(
        select(Escalation)
        .where(*conditions)
        .order_by(Escalation.active.desc(), Escalation.created_at.desc(), Escalation.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total
