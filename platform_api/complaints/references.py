"""Case references ``TS-YYYYMMDD-NNNN`` / ``ESC-YYYYMMDD-NNNN``: CST date, sequence per day.

The sequence lives in ``reference_counter``, one row per prefix, incremented with a single
``UPDATE ... RETURNING`` inside the caller's transaction: PostgreSQL locks the row until commit and
SQLite serialises writers, so two concurrent cases never get the same number. The first case of a
day inserts the row; a concurrent first insert fails on the primary key and the caller retries
(:data:`RETRYABLE`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from platform_api.complaints.calendar import local_date
from platform_api.complaints.models import Complaint, ReferenceCounter
from platform_api.models import Escalation

RETRYABLE = (IntegrityError, OperationalError)
MAX_ATTEMPTS = 8


def _existing_max(session: Session, prefix: str) -> int:
    """Highest number already used with ``prefix`` (cases stored before the counter existed)."""
    column = Complaint.reference if prefix.startswith("TS-") else Escalation.reference
    last = session.scalar(
        select(column)
        .where(column.like(f"{prefix}-%"))
        .order_by(func.length(column).desc(), column.desc())
        .limit(1)
    )
    return int(last.rsplit("-", 1)[1]) if last else 0


def next_reference(session: Session, kind: str, now: dt.datetime) -> str:
    """Reserve the next ``<kind>-<yyyymmdd>-<nnnn>`` in the session's transaction.

    May raise one of :data:`RETRYABLE` on the day's first reference under concurrency; the caller
    rolls back and tries again.
    """
    prefix = f"{kind}-{local_date(now):%Y%m%d}"
    number = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    ).scalar_one_or_none()
    if number is None:
        number = _existing_max(session, prefix) + 1
        session.add(ReferenceCounter(prefix=prefix, last=number))
        session.flush()
    return f"{prefix}-{number:04d}"
