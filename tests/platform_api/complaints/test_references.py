"""References stay unique and gap-free per day when many cases are filed at once."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from platform_api.complaints.schemas import ComplaintCreate
from platform_api.complaints.service import create_complaint
from platform_api.complaints.settings import CaseSettings
from platform_api.core.db import make_engine, make_session_factory, migrate
from platform_api.handoff.schemas import HandoffCreate
from platform_api.handoff.service import open_handoff
from tests.platform_api.staff.case_fixtures import complaint_body

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
WRITERS = 12
LATE_EVENING_UTC = dt.datetime(2026, 12, 7, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 8th in CST


def _file_concurrently(engine: Engine) -> tuple[list[str], list[str]]:
    factory = make_session_factory(engine)
    settings = CaseSettings(
        _env_file=None, office_weekdays="mon,tue,wed,thu,fri,sat,sun", office_hours="00:00-23:59"
    )  # type: ignore[call-arg]
    complaints: list[str] = []
    escalations: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)

    def work(i: int) -> None:
        try:
            barrier.wait()
            with factory() as db:
                row = create_complaint(
                    db,
                    ComplaintCreate(**complaint_body(user_id=f"u{i}")),
                    settings,
                    now=LATE_EVENING_UTC,
                )
                complaints.append(row.reference)
            with factory() as db:
                esc, _ = open_handoff(
                    db,
                    HandoffCreate(sender_id=f"s{i}", channel="rest", language="zh", reason="r"),
                    settings,
                    now=LATE_EVENING_UTC,
                )
                escalations.append(esc.reference)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return complaints, escalations


def _check(complaints: list[str], escalations: list[str]) -> None:
    expected = [f"{n:04d}" for n in range(1, WRITERS + 1)]
    assert sorted(ref[-4:] for ref in complaints) == expected
    assert sorted(ref[-4:] for ref in escalations) == expected
    assert {ref[:12] for ref in complaints} == {"TS-20261208-"}  # CST date, not UTC
    assert {ref[:13] for ref in escalations} == {"ESC-20261208-"}


def test_concurrent_references_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'refs.db'}")
    migrate(engine)

    _check(*_file_concurrently(engine))


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"t_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable on loopback: {type(error).__name__}")
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.scaleout
def test_concurrent_references_on_postgres(postgres_engine: Engine) -> None:
    migrate(postgres_engine)

    _check(*_file_concurrently(postgres_engine))
