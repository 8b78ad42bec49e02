"""Atomic inventory moves: places are taken by one conditional UPDATE, never read-then-write.

``UPDATE time_slot SET reserved = reserved + n WHERE id = :id AND capacity - reserved >= n`` is
atomic on SQLite (one writer at a time) and on PostgreSQL (the row lock re-checks the condition
after a concurrent writer commits), so parallel bookings for the last places leave exactly as many
winners as places. A hotel stay takes every night in one statement and succeeds only when every
night matched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import CursorResult, case, update
from sqlalchemy.orm import Session

from platform_api.partners.models import RoomNight, TimeSlot


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


def reserve_slot(session: Session, slot_id: int, places: int) -> bool:
    """Take ``places`` of an open slot; False (nothing changed) when fewer remain."""
    statement = (
        update(TimeSlot)
        .where(
            TimeSlot.id == slot_id,
            TimeSlot.is_open.is_(True),
            TimeSlot.capacity - TimeSlot.reserved >= places,
        )
        .values(reserved=TimeSlot.reserved + places)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(session.execute(statement)) == 1


def release_slot(session: Session, slot_id: int, places: int) -> None:
    """Give ``places`` back to a slot (never below zero)."""
    session.execute(
        update(TimeSlot)
        .where(TimeSlot.id == slot_id)
        .values(reserved=case((TimeSlot.reserved >= places, TimeSlot.reserved - places), else_=0))
        .execution_options(synchronize_session=False)
    )


def reserve_nights(
    session: Session, room_type_id: int, check_in: dt.date, check_out: dt.date, rooms: int
) -> bool:
    """Take ``rooms`` rooms for every night of the stay; False when any night lacks them.

    On False the caller must roll back: the nights that matched were updated.
    """
    nights = (check_out - check_in).days
    statement = (
        update(RoomNight)
        .where(
            RoomNight.room_type_id == room_type_id,
            RoomNight.day >= check_in,
            RoomNight.day < check_out,
            RoomNight.rooms - RoomNight.reserved >= rooms,
        )
        .values(reserved=RoomNight.reserved + rooms)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(session.execute(statement)) == nights


def release_nights(
    session: Session, room_type_id: int, check_in: dt.date, check_out: dt.date, rooms: int
) -> None:
    """Give ``rooms`` back for every night of the stay (never below zero)."""
    session.execute(
        update(RoomNight)
        .where(
            RoomNight.room_type_id == room_type_id,
            RoomNight.day >= check_in,
            RoomNight.day < check_out,
        )
        .values(reserved=case((RoomNight.reserved >= rooms, RoomNight.reserved - rooms), else_=0))
        .execution_options(synchronize_session=False)
    )
