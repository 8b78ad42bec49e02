"""Erasure of one tourist's data (PIPL art. 47 deletion requests; WeChat ``unsubscribe``).

Complaint and escalation records are kept for statistics but anonymised: phone, description,
transcript, merchant free text, the tourist's own messages and the conversation id are erased;
category, venue, dates, status and staff replies' existence stay. Evidence files are deleted, and
so is the conversation's outbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from platform_api.complaints.evidence import evidence_path
from platform_api.complaints.models import CaseEntry, Complaint, ComplaintEvidence
from platform_api.complaints.schemas import ErasureResult
from platform_api.complaints.settings import CaseSettings
from platform_api.handoff.models import OutboxMessage
from platform_api.models import Escalation, utcnow
from platform_api.staff import audit

ERASED = "[erased]"


def erased_id(user_id: str) -> str:
    """A stable stand-in for an erased conversation id (not reversible)."""
    return "erased-" + hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:16]


def erase_user(
    session: Session,
    user_id: str,
    settings: CaseSettings,
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> ErasureResult:
    """Anonymise every case of ``user_id`` and delete their evidence and outbox; audited."""
    now = now or utcnow()
    stand_in = erased_id(user_id)
    complaints = list(session.scalars(select(Complaint).where(Complaint.user_id == user_id)))
    files = 0
    references = []
    for complaint in complaints:
        references.append(complaint.reference)
        for row in session.scalars(
            select(ComplaintEvidence).where(ComplaintEvidence.complaint_id == complaint.id)
        ):
            path = evidence_path(row, settings)
            if path is not None:
                path.unlink(missing_ok=True)
                files += 1
            session.delete(row)
        complaint.phone = ""
        complaint.description = ERASED
        complaint.merchant = ERASED if complaint.merchant else None
        complaint.transcript = "[]"
        complaint.booking_references = ""
        complaint.user_id = stand_in
        complaint.erased_at = now
    escalations = list(session.scalars(select(Escalation).where(Escalation.sender_id == user_id)))
    for escalation in escalations:
        references.append(escalation.reference)
        escalation.sender_id = stand_in
        escalation.transcript = "[]"
        escalation.last_user_message = ""
        escalation.active = False
    if references:
        for entry in session.scalars(
            select(CaseEntry).where(
                CaseEntry.case_reference.in_(references), CaseEntry.kind == "tourist_message"
            )
        ):
            entry.text = ERASED
    deleted = session.execute(delete(OutboxMessage).where(OutboxMessage.sender_id == user_id))
    outbox_count = int(getattr(deleted, "rowcount", 0) or 0)
    audit.record(
        session,
        actor=actor,
        action="privacy.erase",
        target=stand_in,
        detail=f"complaints={len(complaints)} escalations={len(escalations)}",
        now=now,
    )
    session.commit()
    return ErasureResult(
        complaints=len(complaints),
        escalations=len(escalations),
        outbox_messages=outbox_count,
        evidence_files=files,
    )
