"""The real platform app in-process (ASGI transport) for the complaint and hand-off actions,
with a staff account to reply through the staff API, and tracker builders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from rasa_sdk import Tracker

from actions.complaints.client import CaseApiClient
from platform_api.complaints.settings import CaseSettings
from platform_api.core.config import Settings
from platform_api.core.db import create_all
from platform_api.main import create_app
from platform_api.staff import accounts

BOT_TOKEN = "complaints-test-bot-token"
STAFF_TOKEN = "complaints-test-staff-token"
AGENT = ("agent.li", "Rivers-and-Pandas-2026")
ALL_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def make_platform(
    tmp_path: Path, *, office_hours: str = "00:00-23:59", weekdays: list[str] | None = None
) -> FastAPI:
    """The platform on a throwaway SQLite database; office hours decide live hand-offs."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'platform.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
    )
    app = create_app(settings)
    create_all(app.state.engine)
    app.state.case_settings = CaseSettings(
        _env_file=None,  # type: ignore[call-arg]
        office_hours=office_hours,
        office_weekdays=ALL_WEEK if weekdays is None else weekdays,
        evidence_dir=tmp_path / "evidence",
    )
    with app.state.session_factory() as session:
        accounts.create_user(session, username=AGENT[0], password=AGENT[1], role="agent")
    return app


@pytest.fixture
def platform_app(tmp_path: Path) -> Iterator[FastAPI]:
    """Staff are on duty around the clock: hand-offs are live."""
    app = make_platform(tmp_path)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(platform_app: FastAPI) -> CaseApiClient:
    """The action server's case client, talking to the in-process platform."""
    return CaseApiClient(
        "http://platform.test",
        transport=httpx.ASGITransport(app=platform_app),
        bot_token=BOT_TOKEN,
    )


class Staff:
    """A logged-in agent using the staff API."""

    def __init__(self, app: FastAPI) -> None:
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://platform.test"
        )
        self.token = ""

    async def login(self) -> Staff:
        answer = await self.http.post(
            "/api/staff/login", json={"username": AGENT[0], "password": AGENT[1]}
        )
        answer.raise_for_status()
        self.token = answer.json()["access_token"]
        return self

    async def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return await self.http.post(
            path, json=body or {}, headers={"Authorization": f"Bearer {self.token}"}
        )

    async def get(self, path: str) -> httpx.Response:
        return await self.http.get(path, headers={"Authorization": f"Bearer {self.token}"})


@pytest.fixture
async def staff(platform_app: FastAPI) -> Staff:
    return await Staff(platform_app).login()


def make_tracker(
    text: str = "",
    *,
    intent: str = "file_complaint",
    confidence: float = 0.99,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    channel: str = "rest",
    metadata: dict[str, Any] | None = None,
    sender: str = "tourist-1",
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text`` on ``channel``."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
    }
    user_event = {
        "event": "user",
        "text": text,
        "parse_data": latest,
        "input_channel": channel,
        "metadata": metadata or {},
        "timestamp": 1_796_000_000.0,
    }
    return Tracker(
        sender,
        {"language": "en", **(slots or {})},
        latest,
        [*(events or []), user_event],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )
