"""Shared fixtures and helpers of the bookings, payments and partners tests (fixture data only).

Venues are real knowledge-base ids, but every slot, price and count here is invented test data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from stdnum.cn import ric

from platform_api.bookings.config import BookingSettings
from platform_api.bookings.errors import ApiError
from platform_api.bookings.service import BookingContext
from platform_api.core.config import Settings
from platform_api.core.db import make_engine, make_session_factory, migrate
from platform_api.partners.schemas import SlotsPut
from platform_api.partners.service import put_slots
from platform_api.payments.sandbox import SandboxProvider

STAFF_TOKEN = "test-staff-token-7f3a"
BOT_TOKEN = "test-bot-token-91c2"
SANDBOX_SECRET = "sandbox-secret-for-tests-0123"
PARTNER_KEYS = {
    "dujiangyan": "pk-dujiangyan-test-0001",
    "leshan-giant-buddha": "pk-leshan-test-000002",
    "hotel-test-riverside": "pk-hotel-test-0000003",
}
VENUE = "dujiangyan"
DAY = dt.date(2030, 5, 1)
START = dt.datetime(2030, 5, 1, 0, 0, tzinfo=dt.UTC)  # 08:00 in China
HOLD_MINUTES = 15


@dataclass
class FakeClock:
    """The app's clock in tests: fixed until moved."""

    now: dt.datetime = START
    calls: list[dt.datetime] = field(default_factory=list)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def cn_id(sequence: int, birth: str = "19900307") -> str:
    """A valid mainland ID number (Beijing Chaoyang, checksum computed by python-stdnum)."""
    body = f"110105{birth}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18


def visitor(sequence: int, id_type: str = "cn_id") -> dict[str, str]:
    """A real-name visitor of the test data."""
    number = cn_id(sequence) if id_type == "cn_id" else f"E{sequence:08d}"
    return {"name": f"测试游客{sequence}", "id_type": id_type, "id_number": number}


def ticket_body(slot_id: int, count: int = 1, *, first: int = 1, **extra: Any) -> dict[str, Any]:
    """A ``POST /api/bookings`` body for ``count`` adult tickets."""
    body: dict[str, Any] = {
        "venue_id": VENUE,
        "slot_id": slot_id,
        "tickets": [{"category": "adult", "visitor": visitor(first + i)} for i in range(count)],
        "phone": "13800138000",
        "language": "en",
        "channel": "rest",
        "user_id": "u-test-1",
    }
    body.update(extra)
    return body


def slots_body(capacity: int = 5, adult: int = 8000, **extra: Any) -> dict[str, Any]:
    """Two slots of the test day: 09:00-10:00 (``capacity``) and 10:00-11:00 (20)."""
    body: dict[str, Any] = {
        "slots": [
            {
                "start": "09:00",
                "end": "10:00",
                "capacity": capacity,
                "prices": [
                    {"category": "adult", "amount_fen": adult},
                    {"category": "child", "amount_fen": adult // 2},
                ],
            },
            {
                "start": "10:00",
                "end": "11:00",
                "capacity": 20,
                "prices": [{"category": "adult", "amount_fen": adult}],
            },
        ]
    }
    body.update(extra)
    return body


def partner_headers(venue: str = VENUE) -> dict[str, str]:
    return {"X-Partner-Key": PARTNER_KEYS[venue]}


def push_slots(client: TestClient, capacity: int = 5, **extra: Any) -> list[dict[str, Any]]:
    """Push the test day's slots as the venue's partner; returns them."""
    response = client.put(
        f"/api/partners/venues/{VENUE}/slots/{DAY}",
        json=slots_body(capacity, **extra),
        headers=partner_headers(),
    )
    assert response.status_code == 200, response.text
    slots: list[dict[str, Any]] = response.json()["slots"]
    return slots


def sign(raw: bytes, secret: str = SANDBOX_SECRET) -> str:
    return hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def notify(
    client: TestClient,
    reference: str,
    amount_fen: int,
    transaction_id: str = "TX-test-0001",
    paid_at: dt.datetime = START,
    secret: str = SANDBOX_SECRET,
    signature: str | None = None,
) -> Any:
    """Send a sandbox notification signed with ``secret`` (or the given ``signature``)."""
    raw = json.dumps(
        {
            "reference": reference,
            "amount_fen": amount_fen,
            "transaction_id": transaction_id,
            "paid_at": paid_at.isoformat(),
        }
    ).encode()
    return client.post(
        "/api/payments/sandbox/notify",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "X-Sandbox-Signature": signature if signature is not None else sign(raw, secret),
        },
    )


def booking_settings_for(database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=database_url,
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
        partner_keys=",".join(f"{venue}:{key}" for venue, key in PARTNER_KEYS.items()),
        payment_sandbox_secret=SANDBOX_SECRET,
        public_base_url="http://testserver",
        rate_limit_enabled=False,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Platform settings with partner keys and the sandbox secret (throwaway SQLite file)."""
    return booking_settings_for(f"sqlite:///{tmp_path / 'platform.db'}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def booking_app(app: FastAPI, clock: FakeClock) -> FastAPI:
    """The app with a test clock, 15-minute holds and no background sweep (tests sweep)."""
    app.state.clock = clock
    app.state.booking_settings = BookingSettings(
        _env_file=None,  # type: ignore[call-arg]
        hold_minutes=HOLD_MINUTES,
        sweep_seconds=0,
        notify_retry_seconds=[1.0, 2.0],
    )
    return app


@pytest.fixture
def api(booking_app: FastAPI, client: TestClient) -> Iterator[TestClient]:
    """A TestClient (bot token by default); the sandbox sends its notifications through it."""
    booking_app.state.payment_http = client
    yield client


# -- databases for the race and load tests (service level, real threads) -------------------

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _sqlite(tmp_path: Any) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    yield engine
    engine.dispose()


def _postgres() -> Iterator[Engine]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"t_book_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable on loopback: {type(error).__name__}")
    engine = create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", pool_size=20, max_overflow=40
    )
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.scaleout)])
def factory(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[sessionmaker[Session]]:
    """A migrated database: a SQLite file, then a throwaway PostgreSQL database (skipped if down)."""
    engines = _sqlite(tmp_path) if request.param == "sqlite" else _postgres()
    engine = next(engines)
    migrate(engine)
    yield make_session_factory(engine)
    next(engines, None)


@pytest.fixture
def ctx() -> BookingContext:
    return BookingContext(
        provider=SandboxProvider(b"race-test-secret-0123456789", "http://testserver"),
        settings=BookingSettings(_env_file=None, sweep_seconds=0),  # type: ignore[call-arg]
    )


@pytest.fixture
def slot_id(factory: sessionmaker[Session]) -> int:
    """A slot of the test day with 5 places, in the ``factory`` database."""
    with factory() as session:
        slots = put_slots(session, VENUE, DAY, SlotsPut.model_validate(slots_body(5)), START)
        return slots[0].id


def run_parallel(count: int, job: Callable[[int], Any]) -> list[Any]:
    """Run ``job(0..count-1)`` in ``count`` threads released together; ApiErrors become codes."""
    barrier = threading.Barrier(count)

    def start(index: int) -> Any:
        barrier.wait()
        try:
            return job(index)
        except ApiError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))
