"""Per-conversation outbox: what staff (or a case update) want the tourist to see next."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from platform_api.handoff.models import OutboxMessage
from platform_api.models import utcnow


def push(
    session: Session,
    *,
    sender_id: str,
    kind: str,
    reference: str,
    text: str,
    status: str = "",
    language: str = "",
    now: dt.datetime | None = None,
) -> OutboxMessage:
    """Queue one message for ``sender_id`` (committed by the caller with the change it reports)."""
    message = OutboxMessage(
        sender_id=sender_id,
        kind=kind,
        reference=reference,
        text=text,
        status=status,
        language=language,
        created_at=now or utcnow(),
    )
    session.add(message)
    return message


def pending(session: Session, sender_id: str) -> list[OutboxMessage]:
    """Undelivered messages of ``sender_id``, oldest first (nothing is marked)."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sender_id == sender_id, OutboxMessage.delivered_at.is_(None))
            .order_by(OutboxMessage.id)
        )
    )


def claim(session: Session, sender_id: str, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Mark every undelivered message of ``sender_id`` delivered and return them, oldest first.

    One ``UPDATE ... RETURNING``: two concurrent claims never both get the same message.
    """
    rows = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.sender_id == sender_id, OutboxMessage.delivered_at.is_(None))
        .values(delivered_at=now or utcnow())
        .returning(OutboxMessage),
        execution_options={"synchronize_session": False},
    ).all()
    session.commit()
    return sorted(rows, key=lambda row: row.id)
