"""Reusable fixtures for complaints, handoff and the staff console (imported by their conftests).

Use from another test folder with ``from tests.platform_api.staff.case_fixtures import *``; they
build on ``app``/``client`` from ``tests/platform_api/conftest.py`` (throwaway SQLite, bot token
sent by default).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_api.complaints.settings import CaseSettings
from platform_api.staff import accounts

AGENT_PASSWORD = "agent-pass-Xy7-long"
SUPERVISOR_PASSWORD = "super-pass-Qz9-long"
ALL_DAYS = "mon,tue,wed,thu,fri,sat,sun"


def make_case_settings(tmp_path: Path, **overrides: Any) -> CaseSettings:
    """Case settings isolated from the environment; staff always in office by default."""
    values: dict[str, Any] = {
        "office_weekdays": ALL_DAYS,
        "office_hours": "00:00-23:59",
        "evidence_dir": tmp_path / "evidence",
    }
    values.update(overrides)
    return CaseSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def case_settings(tmp_path: Path) -> CaseSettings:
    return make_case_settings(tmp_path)


@pytest.fixture(autouse=True)
def use_case_settings(app: FastAPI, case_settings: CaseSettings) -> None:
    app.state.case_settings = case_settings


@pytest.fixture
def make_staff(app: FastAPI, client: TestClient) -> Callable[..., str]:
    """``make_staff(username, role="agent", password=...)`` creates an account; returns the name."""

    def _make(username: str, role: str = "agent", password: str | None = None) -> str:
        password = password or (SUPERVISOR_PASSWORD if role == "supervisor" else AGENT_PASSWORD)
        with app.state.session_factory() as db:
            accounts.create_user(db, username=username, password=password, role=role)
        return username

    return _make


def login_headers(client: TestClient, username: str, password: str) -> dict[str, str]:
    """``Authorization`` header of a fresh staff login through the API."""
    response = client.post("/api/staff/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def agent_headers(client: TestClient, make_staff: Callable[..., str]) -> dict[str, str]:
    make_staff("agent.li")
    return login_headers(client, "agent.li", AGENT_PASSWORD)


@pytest.fixture
def supervisor_headers(client: TestClient, make_staff: Callable[..., str]) -> dict[str, str]:
    make_staff("super.wang", "supervisor")
    return login_headers(client, "super.wang", SUPERVISOR_PASSWORD)


def complaint_body(**overrides: Any) -> dict[str, Any]:
    """A valid ``POST /api/complaints`` body (fixture venue, made-up merchant and phone)."""
    body: dict[str, Any] = {
        "category": "overcharging",
        "merchant": "Test teahouse (fixture)",
        "description": "Charged 200 yuan for tea priced 20 on the menu.",
        "occurred_on": "2026-12-01",
        "amount_fen": 20000,
        "phone": "13812345678",
        "language": "en",
        "channel": "rest",
        "user_id": "tourist-1",
    }
    body.update(overrides)
    return body


@pytest.fixture
def file_complaint(client: TestClient) -> Callable[..., dict[str, Any]]:
    """``file_complaint(**overrides)`` files one through the API and returns the 201 body."""

    def _file(**overrides: Any) -> dict[str, Any]:
        response = client.post("/api/complaints", json=complaint_body(**overrides))
        assert response.status_code == 201, response.text
        return dict(response.json())

    return _file


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form of a console page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def console_login(client: TestClient, username: str, password: str) -> str:
    """Log ``client`` into the console (cookie kept by the client); returns the session CSRF token."""
    page = client.get("/console/login", headers={"Authorization": ""})
    response = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        headers={"Authorization": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    queue = client.get("/console/", headers={"Authorization": ""})
    assert queue.status_code == 200
    return csrf_from(queue.text)
