"""``platform_api.crud`` escalation functions on SQLite and (scale-out) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from platform_api import crud
from platform_api.core.db import create_all, make_engine, make_session_factory
from platform_api.models import EscalationStatus
from platform_api.schemas import EscalationCreate, EscalationUpdate

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _payload(**overrides: str) -> EscalationCreate:
    data = {
        "sender_id": "web-42",
        "channel": "web_widget",
        "language": "en",
        "reason": "lost_item",
        "last_user_message": "I lost my passport at Wuhou Shrine",
    }
    data.update(overrides)
    return EscalationCreate.model_validate(data)


@pytest.fixture
def sqlite_session(tmp_path: object) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path}/crud.db")
    create_all(engine)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def _exercise_crud(session: Session) -> None:
    """The CRUD round trip shared by the SQLite and PostgreSQL tests."""
    late_evening_utc = dt.datetime(2026, 11, 29, 17, 30, tzinfo=dt.UTC)  # 01:30 next day in CST
    first = crud.create_escalation(session=session, escalation_in=_payload(), now=late_evening_utc)
    second = crud.create_escalation(
        session=session, escalation_in=_payload(sender_id="wx-1"), now=late_evening_utc
    )

    assert first.reference == "ESC-20261130-0001"
    assert second.reference == "ESC-20261130-0002"
    assert first.status is EscalationStatus.OPEN
    assert first.created_at == late_evening_utc

    updated = crud.update_escalation(
        session=session,
        escalation=second,
        escalation_in=EscalationUpdate(status=EscalationStatus.CLOSED),
    )
    assert updated.status is EscalationStatus.CLOSED
    assert updated.assigned_to is None

    fetched = crud.get_escalation(session=session, reference="ESC-20261130-0002")
    assert fetched is not None and fetched.sender_id == "wx-1"
    assert crud.get_escalation(session=session, reference="ESC-20261130-0099") is None

    rows, count = crud.list_escalations(session=session, status=EscalationStatus.OPEN)
    assert count == 1 and [r.reference for r in rows] == ["ESC-20261130-0001"]
    rows, count = crud.list_escalations(session=session, limit=1)
    assert count == 2 and len(rows) == 1


def test_escalation_crud_round_trip_sqlite(sqlite_session: Session) -> None:
    _exercise_crud(sqlite_session)


def test_escalation_reference_restarts_each_day(sqlite_session: Session) -> None:
    day1 = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
    day2 = day1 + dt.timedelta(days=1)

    refs = [
        crud.create_escalation(session=sqlite_session, escalation_in=_payload(), now=now).reference
        for now in (day1, day1, day2)
    ]

    assert refs == ["ESC-20261129-0001", "ESC-20261129-0002", "ESC-20261130-0001"]


def test_escalation_reference_counts_past_9999(sqlite_session: Session) -> None:
    now = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
    sqlite_session.execute(
        text(
            "INSERT INTO escalation (reference, sender_id, channel, language, reason,"
            " last_user_message, status, created_at, updated_at)"
            " VALUES ('ESC-20261129-9999', 's', 'rest', 'zh', 'r', '', 'open', :t, :t)"
        ),
        {"t": now.replace(tzinfo=None)},
    )
    sqlite_session.commit()

    first = crud.create_escalation(session=sqlite_session, escalation_in=_payload(), now=now)
    second = crud.create_escalation(session=sqlite_session, escalation_in=_payload(), now=now)

    assert (first.reference, second.reference) == ("ESC-20261129-10000", "ESC-20261129-10001")


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A throwaway schema in the local PostgreSQL ``test`` database, dropped afterwards."""
    probe = make_engine(POSTGRES_URL)
    try:
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        probe.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}")
    schema = f"platform_test_{uuid.uuid4().hex[:12]}"
    with probe.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL).execution_options(schema_translate_map={None: schema})
    try:
        yield engine
    finally:
        engine.dispose()
        with probe.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        probe.dispose()


@pytest.mark.scaleout
def test_escalation_crud_round_trip_postgres(postgres_engine: Engine) -> None:
    create_all(postgres_engine)
    with make_session_factory(postgres_engine)() as session:
        _exercise_crud(session)
