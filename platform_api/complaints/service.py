"""Complaint cases: filing, the tourist's view, staff actions (reply, note, assign, resolve, reopen).

Functions take the session from the caller; those that change a case commit, together with the
case's history line, the tourist's outbox message and the audit line.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from platform_api.complaints.calendar import resolution_due, response_due
from platform_api.complaints.errors import ApiError
from platform_api.complaints.models import CaseEntry, Complaint, ComplaintEvidence
from platform_api.complaints.references import MAX_ATTEMPTS, RETRYABLE, next_reference
from platform_api.complaints.schemas import ComplaintCreate, normalize_phone
from platform_api.complaints.settings import CaseSettings
from platform_api.handoff import outbox
from platform_api.models import utcnow
from platform_api.staff import audit

OPEN_STATES = ("open", "in_progress")


def _entry(
    session: Session,
    reference: str,
    kind: str,
    *,
    author: str,
    text: str = "",
    visible: bool = False,
    now: dt.datetime,
) -> CaseEntry:
    entry = CaseEntry(
        case_reference=reference,
        kind=kind,
        author=author,
        text=text,
        visible_to_tourist=visible,
        created_at=now,
    )
    session.add(entry)
    return entry


def create_complaint(
    session: Session,
    data: ComplaintCreate,
    settings: CaseSettings,
    *,
    now: dt.datetime | None = None,
) -> Complaint:
    """File a complaint with a fresh reference and its deadlines (retries a concurrent first-of-day)."""
    now = now or utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            reference = next_reference(session, "TS", now)
            complaint = Complaint(
                reference=reference,
                category=data.category,
                venue_id=data.venue_id,
                merchant=data.merchant,
                occurred_on=data.occurred_on,
                amount_fen=data.amount_fen,
                description=data.description,
                phone=data.phone,
                language=data.language,
                channel=data.channel,
                user_id=data.user_id,
                booking_references=",".join(data.booking_references),
                escalation_reference=data.escalation_reference,
                transcript=json.dumps(
                    [turn.model_dump(mode="json") for turn in data.transcript], ensure_ascii=False
                ),
                status="open",
                due_at=response_due(now, data.category, settings),
                resolve_due_at=resolution_due(now, settings),
                created_at=now,
                updated_at=now,
            )
            session.add(complaint)
            session.flush()
            for url in data.evidence_urls:
                session.add(ComplaintEvidence(complaint_id=complaint.id, url=url, created_at=now))
            _entry(session, reference, "created", author="tourist", text=data.category, now=now)
            session.commit()
        except RETRYABLE:
            session.rollback()
            if attempt == MAX_ATTEMPTS:
                raise
            continue
        return complaint
    raise AssertionError("unreachable")  # pragma: no cover


def get_complaint(session: Session, reference: str) -> Complaint | None:
    """The complaint with ``reference``, or None."""
    return session.scalar(select(Complaint).where(Complaint.reference == reference))


def require_complaint(session: Session, reference: str) -> Complaint:
    """The complaint, or a 404 :class:`ApiError`."""
    complaint = get_complaint(session, reference)
    if complaint is None:
        raise ApiError(404, f"no complaint with reference {reference}")
    return complaint


def get_for_tourist(session: Session, reference: str, phone: str) -> Complaint | None:
    """The complaint only when ``phone`` is the one it was filed with (else None, same as unknown)."""
    complaint = get_complaint(session, reference)
    try:
        given = normalize_phone(phone)
    except ValueError:
        return None
    if complaint is None or not complaint.phone:
        return None
    if not hmac.compare_digest(given.encode(), complaint.phone.encode()):
        return None
    return complaint


def history(session: Session, reference: str) -> list[CaseEntry]:
    """The case's timeline, oldest first."""
    return list(
        session.scalars(
            select(CaseEntry)
            .where(CaseEntry.case_reference == reference)
            .order_by(CaseEntry.created_at, CaseEntry.id)
        )
    )


def replies(session: Session, reference: str) -> list[CaseEntry]:
    """Staff replies the tourist may read, oldest first."""
    return [entry for entry in history(session, reference) if entry.visible_to_tourist]


def evidence(session: Session, complaint: Complaint) -> list[ComplaintEvidence]:
    """The complaint's evidence, oldest first."""
    return list(
        session.scalars(
            select(ComplaintEvidence)
            .where(ComplaintEvidence.complaint_id == complaint.id)
            .order_by(ComplaintEvidence.id)
        )
    )


def is_overdue(complaint: Complaint, now: dt.datetime | None = None) -> bool:
    """Unanswered past ``due_at``, or unresolved past ``resolve_due_at``."""
    now = now or utcnow()
    if complaint.status == "resolved":
        return False
    if complaint.first_reply_at is None and complaint.due_at < now:
        return True
    return complaint.resolve_due_at < now


@dataclass(frozen=True)
class ComplaintFilter:
    """Queue filters (all optional)."""

    status: str | None = None
    category: str | None = None
    venue: str | None = None
    language: str | None = None
    overdue: bool | None = None
    due_before: dt.datetime | None = None
    assigned_to: str | None = None


def list_complaints(
    session: Session,
    filters: ComplaintFilter,
    *,
    offset: int = 0,
    limit: int = 50,
    now: dt.datetime | None = None,
) -> tuple[list[Complaint], int]:
    """Complaints matching ``filters``, soonest deadline first; and the total count."""
    now = now or utcnow()
    conditions: list[ColumnElement[bool]] = [Complaint.erased_at.is_(None)]
    if filters.status:
        conditions.append(Complaint.status == filters.status)
    if filters.category:
        conditions.append(Complaint.category == filters.category)
    if filters.venue:
        conditions.append(
            or_(Complaint.venue_id == filters.venue, Complaint.merchant.contains(filters.venue))
        )
    if filters.language:
        conditions.append(Complaint.language == filters.language)
    if filters.assigned_to:
        conditions.append(Complaint.assigned_to == filters.assigned_to)
    if filters.due_before:
        conditions.append(Complaint.due_at <= filters.due_before)
    overdue_clause = (Complaint.status != "resolved") & (
        ((Complaint.first_reply_at.is_(None)) & (Complaint.due_at < now))
        | (Complaint.resolve_due_at < now)
    )
    if filters.overdue is True:
        conditions.append(overdue_clause)
    elif filters.overdue is False:
        conditions.append(~overdue_clause)
    total = session.scalar(select(func.count()).select_from(Complaint).where(*conditions)) or 0
    rows = session.scalars(
        select(Complaint)
        .where(*conditions)
        .order_by((Complaint.status == "resolved"), Complaint.due_at, Complaint.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def _touch(complaint: Complaint, now: dt.datetime) -> None:
    complaint.updated_at = now


def add_reply(
    session: Session,
    complaint: Complaint,
    *,
    author: str,
    text: str,
    now: dt.datetime | None = None,
) -> CaseEntry:
    """A staff reply: visible in the tourist's status and queued in their conversation's outbox."""
    now = now or utcnow()
    text = text.strip()
    if not text:
        raise ApiError(422, "text: the reply is empty")
    entry = _entry(
        session, complaint.reference, "reply", author=author, text=text, visible=True, now=now
    )
    if complaint.first_reply_at is None:
        complaint.first_reply_at = now
    if complaint.status == "open":
        complaint.status = "in_progress"
    _touch(complaint, now)
    outbox.push(
        session,
        sender_id=complaint.user_id,
        kind="complaint_reply",
        reference=complaint.reference,
        text=text,
        status=complaint.status,
        language=complaint.language,
        now=now,
    )
    audit.record(
        session, actor=author, action="complaint.reply", target=complaint.reference, now=now
    )
    session.commit()
    return entry


def add_note(
    session: Session,
    complaint: Complaint,
    *,
    author: str,
    text: str,
    now: dt.datetime | None = None,
) -> CaseEntry:
    """An internal note (staff only)."""
    now = now or utcnow()
    if not text.strip():
        raise ApiError(422, "text: the note is empty")
    entry = _entry(session, complaint.reference, "note", author=author, text=text.strip(), now=now)
    _touch(complaint, now)
    audit.record(
        session, actor=author, action="complaint.note", target=complaint.reference, now=now
    )
    session.commit()
    return entry


def assign(
    session: Session,
    complaint: Complaint,
    *,
    author: str,
    assignee: str | None,
    now: dt.datetime | None = None,
) -> None:
    """Give the case to ``assignee`` (None: unassign)."""
    now = now or utcnow()
    complaint.assigned_to = assignee
    _entry(session, complaint.reference, "assign", author=author, text=assignee or "", now=now)
    _touch(complaint, now)
    audit.record(
        session,
        actor=author,
        action="complaint.assign",
        target=complaint.reference,
        detail=assignee or "-",
        now=now,
    )
    session.commit()


def _status_message(session: Session, complaint: Complaint, text: str, now: dt.datetime) -> None:
    outbox.push(
        session,
        sender_id=complaint.user_id,
        kind="complaint_status",
        reference=complaint.reference,
        text=text,
        status=complaint.status,
        language=complaint.language,
        now=now,
    )


def resolve(
    session: Session,
    complaint: Complaint,
    *,
    author: str,
    outcome: str,
    now: dt.datetime | None = None,
) -> None:
    """Close the case with its ``outcome`` (told to the tourist)."""
    now = now or utcnow()
    outcome = outcome.strip()
    if not outcome:
        raise ApiError(422, "outcome: say how the case was resolved")
    if complaint.status == "resolved":
        raise ApiError(409, f"{complaint.reference} is already resolved")
    complaint.status = "resolved"
    complaint.outcome = outcome
    complaint.resolved_at = now
    _entry(
        session, complaint.reference, "status", author=author, text=f"resolved: {outcome}", now=now
    )
    _touch(complaint, now)
    _status_message(session, complaint, outcome, now)
    audit.record(
        session, actor=author, action="complaint.resolve", target=complaint.reference, now=now
    )
    session.commit()


def start(
    session: Session, complaint: Complaint, *, author: str, now: dt.datetime | None = None
) -> None:
    """Mark an open case ``in_progress``."""
    now = now or utcnow()
    if complaint.status != "open":
        raise ApiError(409, f"{complaint.reference} is {complaint.status}, not open")
    complaint.status = "in_progress"
    _entry(session, complaint.reference, "status", author=author, text="in_progress", now=now)
    _touch(complaint, now)
    audit.record(
        session, actor=author, action="complaint.start", target=complaint.reference, now=now
    )
    session.commit()


def reopen(
    session: Session,
    complaint: Complaint,
    *,
    author: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Put a resolved case back to ``in_progress``."""
    now = now or utcnow()
    if complaint.status != "resolved":
        raise ApiError(409, f"{complaint.reference} is not resolved")
    complaint.status = "in_progress"
    complaint.resolved_at = None
    _entry(
        session,
        complaint.reference,
        "status",
        author=author,
        text=f"reopened: {reason}".strip(),
        now=now,
    )
    _touch(complaint, now)
    audit.record(
        session,
        actor=author,
        action="complaint.reopen",
        target=complaint.reference,
        detail=reason,
        now=now,
    )
    session.commit()


def transcript(complaint_or_json: str) -> list[dict[str, str]]:
    """The stored transcript as a list (empty when unreadable)."""
    try:
        turns = json.loads(complaint_or_json or "[]")
    except json.JSONDecodeError:
        return []
    return [t for t in turns if isinstance(t, dict)] if isinstance(turns, list) else []


def booking_references(complaint: Complaint) -> Sequence[str]:
    """Booking references the tourist gave."""
    return [ref for ref in complaint.booking_references.split(",") if ref]
