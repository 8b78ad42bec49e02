"""Staff accounts, logins, sessions with expiry, the first supervisor at start-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from platform_api.core.config import Settings
from platform_api.main import create_app
from platform_api.staff import accounts, auth
from platform_api.staff.models import StaffUser
from platform_api.staff.setup import AdminPasswordError
from tests.platform_api.conftest import BOT_TOKEN, STAFF_TOKEN
from tests.platform_api.staff.case_fixtures import AGENT_PASSWORD, login_headers


def test_login_gives_a_bearer_token_that_works(
    client: TestClient, make_staff: Callable[..., str]
) -> None:
    make_staff("agent.li")

    response = client.post(
        "/api/staff/login", json={"username": "agent.li", "password": AGENT_PASSWORD}
    )
    token = response.json()["access_token"]
    me = client.get("/api/staff/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert response.json()["role"] == "agent"
    assert me.json() == {"username": "agent.li", "role": "agent"}


def test_passwords_are_stored_as_argon2id_hashes(
    app: FastAPI, make_staff: Callable[..., str]
) -> None:
    make_staff("agent.li")

    with app.state.session_factory() as db:
        stored = db.scalar(select(StaffUser.password_hash))

    assert stored is not None and stored.startswith("$argon2id$")
    assert AGENT_PASSWORD not in stored


@pytest.mark.security
@pytest.mark.parametrize(
    ("username", "password"), [("agent.li", "wrong-password-123"), ("nobody", AGENT_PASSWORD)]
)
def test_wrong_credentials_get_the_same_401(
    client: TestClient, make_staff: Callable[..., str], username: str, password: str
) -> None:
    make_staff("agent.li")

    response = client.post("/api/staff/login", json={"username": username, "password": password})

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthorized", "message": "wrong username or password"}
    }


@pytest.mark.security
def test_repeated_failures_lock_the_account(
    client: TestClient, make_staff: Callable[..., str]
) -> None:
    make_staff("agent.li")
    for _ in range(auth.MAX_FAILED_LOGINS):
        client.post(
            "/api/staff/login", json={"username": "agent.li", "password": "wrong-password-123"}
        )

    response = client.post(
        "/api/staff/login", json={"username": "agent.li", "password": AGENT_PASSWORD}
    )

    assert response.status_code == 423


@pytest.mark.security
def test_expired_sessions_are_refused(
    app: FastAPI, client: TestClient, make_staff: Callable[..., str]
) -> None:
    make_staff("agent.li")
    nine_hours_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=9)
    with app.state.session_factory() as db:
        token, _ = auth.login(
            db, "agent.li", AGENT_PASSWORD, app.state.case_settings, now=nine_hours_ago
        )

    api = client.get("/api/staff/complaints", headers={"Authorization": f"Bearer {token}"})
    client.cookies.set(auth.COOKIE_NAME, token, path="/console")
    page = client.get("/console/", headers={"Authorization": ""}, follow_redirects=False)

    assert api.status_code == 401
    assert page.status_code == 303
    assert page.headers["location"] == "/console/login"


@pytest.mark.security
def test_logout_revokes_the_token(client: TestClient, make_staff: Callable[..., str]) -> None:
    make_staff("agent.li")
    headers = login_headers(client, "agent.li", AGENT_PASSWORD)

    assert client.post("/api/staff/logout", headers=headers).status_code == 204
    assert client.get("/api/staff/me", headers=headers).status_code == 401


@pytest.mark.security
@pytest.mark.parametrize(
    "password", ["changeme", "password", "short-1", "agent.li-is-me-123", "changeme123"]
)
def test_placeholder_and_weak_passwords_are_refused(
    app: FastAPI, client: TestClient, password: str
) -> None:
    with app.state.session_factory() as db, pytest.raises(ValueError, match="password"):
        accounts.create_user(db, username="agent.li", password=password, role="agent")


def test_supervisors_create_accounts_through_the_api(
    client: TestClient, supervisor_headers: dict[str, str]
) -> None:
    created = client.post(
        "/api/staff/users",
        json={"username": "agent.zhao", "password": "another-long-pass-9", "role": "agent"},
        headers=supervisor_headers,
    )
    weak = client.post(
        "/api/staff/users",
        json={"username": "agent.qian", "password": "changeme", "role": "agent"},
        headers=supervisor_headers,
    )

    assert created.status_code == 201
    assert login_headers(client, "agent.zhao", "another-long-pass-9")
    assert weak.status_code == 422
    assert "placeholder" in weak.json()["error"]["message"]


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'boot.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
        **overrides,  # type: ignore[arg-type]
    )


def test_first_supervisor_is_created_at_start_up(tmp_path: Path) -> None:
    app = create_app(
        _settings(tmp_path, staff_admin_user="Chief", staff_admin_password="a-real-admin-pass-42")
    )

    with TestClient(app) as client:
        headers = login_headers(client, "chief", "a-real-admin-pass-42")
        me = client.get("/api/staff/me", headers=headers).json()

    assert me == {"username": "chief", "role": "supervisor"}


@pytest.mark.security
@pytest.mark.parametrize("password", ["changeme", "password", "short"])
def test_start_up_refuses_a_placeholder_admin_password(tmp_path: Path, password: str) -> None:
    app = create_app(_settings(tmp_path, staff_admin_user="chief", staff_admin_password=password))

    with pytest.raises(AdminPasswordError, match="PLATFORM_STAFF_ADMIN_PASSWORD"), TestClient(app):
        pass
