"""What staff see of a case: masked for lists, full for the assigned agent and supervisors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from platform_api.complaints import service
from platform_api.complaints.models import Complaint
from platform_api.handoff.service import get_escalation
from platform_api.models import Escalation, utcnow
from platform_api.staff.auth import Principal, may_see_personal_data
from platform_api.staff.privacy import mask_phone, mask_text


def complaint_summary(complaint: Complaint, now: dt.datetime | None = None) -> dict[str, Any]:
    """One queue row (phone and numbers in the text masked)."""
    now = now or utcnow()
    return {
        "kind": "complaint",
        "reference": complaint.reference,
        "category": complaint.category,
        "venue_id": complaint.venue_id,
        "merchant": complaint.merchant,
        "language": complaint.language,
        "channel": complaint.channel,
        "status": complaint.status,
        "assigned_to": complaint.assigned_to,
        "phone": mask_phone(complaint.phone),
        "summary": mask_text(complaint.description)[:140],
        "amount_fen": complaint.amount_fen,
        "due_at": complaint.due_at.isoformat(),
        "resolve_due_at": complaint.resolve_due_at.isoformat(),
        "overdue": service.is_overdue(complaint, now),
        "created_at": complaint.created_at.isoformat(),
    }


def _entries(db: Session, reference: str) -> list[dict[str, Any]]:
    return [
        {
            "kind": e.kind,
            "author": e.author,
            "text": e.text,
            "visible_to_tourist": e.visible_to_tourist,
            "at": e.created_at.isoformat(),
        }
        for e in service.history(db, reference)
    ]


def complaint_detail(db: Session, complaint: Complaint, principal: Principal) -> dict[str, Any]:
    """The case file; full phone and text only for the assigned agent and supervisors."""
    full = may_see_personal_data(principal, complaint.assigned_to)
    detail = complaint_summary(complaint)
    detail.update(
        {
            "phone": complaint.phone if full else mask_phone(complaint.phone),
            "personal_data_visible": full,
            "description": complaint.description if full else mask_text(complaint.description),
            "occurred_on": complaint.occurred_on.isoformat() if complaint.occurred_on else None,
            "user_id": complaint.user_id,
            "booking_references": list(service.booking_references(complaint)),
            "escalation_reference": complaint.escalation_reference,
            "outcome": complaint.outcome,
            "first_reply_at": complaint.first_reply_at.isoformat()
            if complaint.first_reply_at
            else None,
            "resolved_at": complaint.resolved_at.isoformat() if complaint.resolved_at else None,
            "transcript": _transcript(complaint.transcript, full),
            "evidence": [
                {"id": row.id, "url": row.url, "content_type": row.content_type, "size": row.size}
                for row in service.evidence(db, complaint)
            ],
            "history": _entries(db, complaint.reference),
        }
    )
    if complaint.escalation_reference:
        escalation = get_escalation(db, complaint.escalation_reference)
        if escalation is not None and not detail["transcript"]:
            detail["transcript"] = _transcript(escalation.transcript, full)
    return detail


def _transcript(raw: str, full: bool) -> list[dict[str, str]]:
    turns = service.transcript(raw)
    return [
        {
            "role": str(t.get("role", "")),
            "text": str(t.get("text", "")) if full else mask_text(str(t.get("text", ""))),
        }
        for t in turns
    ]


def escalation_summary(escalation: Escalation) -> dict[str, Any]:
    """One queue row of an escalation."""
    return {
        "kind": "escalation",
        "reference": escalation.reference,
        "language": escalation.language,
        "channel": escalation.channel,
        "status": str(escalation.status),
        "active": escalation.active,
        "in_office_hours": escalation.in_office_hours,
        "assigned_to": escalation.assigned_to,
        "reason": escalation.reason,
        "summary": mask_text(escalation.last_user_message)[:140],
        "overdue": False,
        "created_at": escalation.created_at.isoformat(),
    }


def escalation_detail(db: Session, escalation: Escalation, principal: Principal) -> dict[str, Any]:
    """The escalation's transcript and conversation since the handoff."""
    full = may_see_personal_data(principal, escalation.assigned_to)
    detail = escalation_summary(escalation)
    history = _entries(db, escalation.reference)
    if not full:
        for item in history:
            item["text"] = mask_text(item["text"])
    detail.update(
        {
            "sender_id": escalation.sender_id,
            "personal_data_visible": full,
            "transcript": _transcript(escalation.transcript, full),
            "history": history,
            "ended_at": escalation.ended_at.isoformat() if escalation.ended_at else None,
            "ended_by": escalation.ended_by,
        }
    )
    return detail


def json_safe(value: Any) -> str:
    """Compact JSON (for logging-free debugging and templates' data blocks)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
