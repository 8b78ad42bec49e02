"""The audit log: every staff action with who, what, when (numbers masked)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.models import utcnow
from platform_api.staff.models import AuditEntry
from platform_api.staff.privacy import mask_text


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str = "",
    detail: str = "",
    now: dt.datetime | None = None,
) -> AuditEntry:
    """Add one audit line to the session (committed with the action it describes)."""
    entry = AuditEntry(
        at=now or utcnow(),
        actor=actor,
        action=action,
        target=target,
        detail=mask_text(detail)[:500],
    )
    session.add(entry)
    return entry


def recent(session: Session, *, limit: int = 200, actor: str | None = None) -> list[AuditEntry]:
    """Newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    return list(session.scalars(query))
