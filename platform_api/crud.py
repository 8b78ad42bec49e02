"""Database operations, keyword-only, one session passed in by the caller."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_api.models import Escalation, EscalationStatus, UnansweredQuestion, utcnow
from platform_api.schemas import EscalationCreate, EscalationUpdate, UnansweredCreate

REFERENCE_TZ = ZoneInfo("Asia/Shanghai")
"""References carry the local (China Standard Time) date staff see on their calendar."""
_MAX_ATTEMPTS = 5


def _reference_prefix(now: dt.datetime) -> str:
    return f"ESC-{now.astimezone(REFERENCE_TZ):%Y%m%d}-"


def _next_reference(*, session: Session, now: dt.datetime) -> str:
    """``ESC-<yyyymmdd>-<nnnn>``: the day's highest sequence number plus one."""
    prefix = _reference_prefix(now)
    last = session.scalar(
        select(Escalation.reference)
        .where(Escalation.reference.like(f"{prefix}%"))
        .order_by(func.length(Escalation.reference).desc(), Escalation.reference.desc())
        .limit(1)
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def create_escalation(
    *, session: Session, escalation_in: EscalationCreate, now: dt.datetime | None = None
) -> Escalation:
    """Store a new open escalation with a fresh, unique reference.

    Two concurrent writers may compute the same reference; the unique constraint rejects the
    second one, which then retries with the next number.
    """
    now = now or utcnow()
    for attempt in range(1, _MAX_ATTEMPTS + 1):
        escalation = Escalation(
            **escalation_in.model_dump(),
            reference=_next_reference(session=session, now=now),
            status=EscalationStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        session.add(escalation)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            if attempt == _MAX_ATTEMPTS:
                raise
            continue
        session.refresh(escalation)
        return escalation
    raise AssertionError("unreachable")  # pragma: no cover


def get_escalation(*, session: Session, reference: str) -> Escalation | None:
    """The escalation with ``reference``, or None."""
    return session.scalar(select(Escalation).where(Escalation.reference == reference))


def list_escalations(
    *,
    session: Session,
    status: EscalationStatus | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Escalation], int]:
    """Newest first, optionally filtered by status; also returns the total count."""
    query = select(Escalation)
    count_query = select(func.count()).select_from(Escalation)
    if status is not None:
        query = query.where(Escalation.status == status)
        count_query = count_query.where(Escalation.status == status)
    rows = session.scalars(
        query.order_by(Escalation.created_at.desc(), Escalation.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), session.scalar(count_query) or 0


def update_escalation(
    *, session: Session, escalation: Escalation, escalation_in: EscalationUpdate
) -> Escalation:
    """Apply the fields staff actually sent."""
    for field, value in escalation_in.model_dump(exclude_unset=True).items():
        setattr(escalation, field, value)
    session.add(escalation)
    session.commit()
    session.refresh(escalation)
    return escalation


def create_unanswered(
    *, session: Session, unanswered_in: UnansweredCreate, now: dt.datetime | None = None
) -> UnansweredQuestion:
    """Store one unanswered question (already stripped of personal numbers by the schema)."""
    row = UnansweredQuestion(**unanswered_in.model_dump(), created_at=now or utcnow())
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def list_unanswered(
    *,
    session: Session,
    language: str | None = None,
    reason: str | None = None,
    offset: int = 0,
    limit: int = 50,
    top: int = 10,
) -> tuple[list[UnansweredQuestion], int, list[tuple[str, int]]]:
    """Newest first, optionally filtered; the total count; the ``top`` most-asked places."""
    filters = []
    if language is not None:
        filters.append(UnansweredQuestion.language == language)
    if reason is not None:
        filters.append(UnansweredQuestion.reason == reason)
    rows = session.scalars(
        select(UnansweredQuestion)
        .where(*filters)
        .order_by(UnansweredQuestion.created_at.desc(), UnansweredQuestion.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    count = session.scalar(select(func.count()).select_from(UnansweredQuestion).where(*filters))
    asked = func.count(UnansweredQuestion.id)
    places = session.execute(
        select(UnansweredQuestion.place, asked)
        .where(*filters, UnansweredQuestion.place != "")
        .group_by(UnansweredQuestion.place)
        .order_by(asked.desc(), UnansweredQuestion.place)
        .limit(top)
    ).all()
    return list(rows), count or 0, [(str(place), int(n)) for place, n in places]
