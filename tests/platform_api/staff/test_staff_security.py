"""Security of the staff API and console: every route enumerated from the app itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from platform_api.staff.auth import require_supervisor
from tests.platform_api.conftest import BOT_TOKEN, STAFF_TOKEN
from tests.platform_api.staff.case_fixtures import (
    AGENT_PASSWORD,
    console_login,
    csrf_from,
)

pytestmark = pytest.mark.security
PUBLIC = {("GET", "/console/login"), ("POST", "/console/login")}
SAMPLE = {"reference": "TS-20261207-0001", "evidence_id": "1", "action": "note"}


def _routes(app: FastAPI, prefix: str) -> Iterator[tuple[str, str, APIRoute]]:
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path or ""
        if isinstance(route, APIRoute) and path.startswith(prefix):
            for method in sorted(route.methods):
                yield method, path, route


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(m.group(1), "x"), path)


def _needs_supervisor(dependant: Dependant) -> bool:
    return dependant.call is require_supervisor or any(
        _needs_supervisor(d) for d in dependant.dependencies
    )


def staff_api_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    return [r for r in _routes(app, "/api/staff/") if (r[0], r[1]) not in PUBLIC]


def test_the_enumeration_finds_the_contract_routes(app: FastAPI) -> None:
    found = {(m, p) for m, p, _ in _routes(app, "/api/staff/")}
    console = {(m, p) for m, p, _ in _routes(app, "/console")}

    assert ("GET", "/api/staff/complaints") in found
    assert ("POST", "/api/staff/complaints/{reference}/replies") in found
    assert len(found) >= 20
    assert ("GET", "/console/") in console and ("GET", "/console/dashboard") in console


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer nonsense-token", f"Bearer {BOT_TOKEN}", f"Bearer {STAFF_TOKEN}"],
    ids=["none", "garbage", "service-token", "legacy-staff-token"],
)
def test_every_staff_api_route_refuses_without_a_staff_login(
    app: FastAPI, client: TestClient, authorization: str
) -> None:
    refused = []
    for method, path, _ in staff_api_routes(app):
        response = client.request(
            method, _concrete(path), headers={"Authorization": authorization}, json={}
        )
        if response.status_code != 401 or response.json()["error"]["code"] != "unauthorized":
            refused.append((method, path, response.status_code))

    assert refused == []


def test_supervisor_routes_refuse_agents(
    app: FastAPI, client: TestClient, agent_headers: dict[str, str]
) -> None:
    supervisor_only = [
        (m, p) for m, p, route in staff_api_routes(app) if _needs_supervisor(route.dependant)
    ]

    answers = {
        (m, p): client.request(m, _concrete(p), headers=agent_headers, json={}).status_code
        for m, p in supervisor_only
    }

    assert set(supervisor_only) >= {
        ("GET", "/api/staff/users"),
        ("POST", "/api/staff/users"),
        ("GET", "/api/staff/audit"),
        ("POST", "/api/staff/privacy/erase"),
    }
    assert set(answers.values()) == {403}


def test_every_console_page_sends_anonymous_visitors_to_login(
    app: FastAPI, client: TestClient
) -> None:
    wrong = []
    for method, path, _ in _routes(app, "/console"):
        if (method, path) in PUBLIC:
            continue
        response = client.request(
            method,
            _concrete(path),
            headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
            follow_redirects=False,
        )
        if response.status_code != 303 or response.headers.get("location") != "/console/login":
            wrong.append((method, path, response.status_code))

    assert wrong == []


def test_console_admin_pages_refuse_agents(
    app: FastAPI, client: TestClient, make_staff: Callable[..., str]
) -> None:
    make_staff("agent.li")
    csrf = console_login(client, "agent.li", AGENT_PASSWORD)
    admin = [(m, p) for m, p, _ in _routes(app, "/console/admin")]

    answers = {
        (m, p): client.request(
            m,
            p,
            data={"csrf_token": csrf, "user_id": "x", "username": "y"},
            headers={"Authorization": ""},
        ).status_code
        for m, p in admin
    }

    assert len(admin) >= 3
    assert set(answers.values()) == {403}


def test_console_forms_need_the_csrf_token(
    client: TestClient,
    make_staff: Callable[..., str],
    file_complaint: Callable[..., dict[str, Any]],
) -> None:
    reference = file_complaint()["reference"]
    make_staff("agent.li")
    console_login(client, "agent.li", AGENT_PASSWORD)
    url = f"/console/complaints/{reference}/reply"

    missing = client.post(url, data={"text": "forged"}, headers={"Authorization": ""})
    wrong = client.post(
        url, data={"text": "forged", "csrf_token": "guess"}, headers={"Authorization": ""}
    )
    status = client.get(f"/api/complaints/{reference}", params={"phone": "13812345678"}).json()

    assert missing.status_code == 403
    assert wrong.status_code == 403
    assert status["replies"] == []


def test_login_form_needs_its_csrf_cookie(
    client: TestClient, make_staff: Callable[..., str]
) -> None:
    make_staff("agent.li")

    response = client.post(
        "/console/login",
        data={"username": "agent.li", "password": AGENT_PASSWORD, "csrf_token": "made-up"},
        headers={"Authorization": ""},
        follow_redirects=False,
    )

    assert response.status_code == 403


def test_stored_script_is_rendered_inert(
    client: TestClient,
    make_staff: Callable[..., str],
    file_complaint: Callable[..., dict[str, Any]],
) -> None:
    payload = "<script>alert('x')</script>"
    reference = file_complaint(description=payload, merchant='<img src=x onerror="alert(1)">')[
        "reference"
    ]
    make_staff("super.wang", "supervisor")
    csrf = console_login(client, "super.wang", "super-pass-Qz9-long")
    client.post(
        f"/console/complaints/{reference}/reply",
        data={"text": payload, "csrf_token": csrf},
        headers={"Authorization": ""},
    )

    queue = client.get("/console/", headers={"Authorization": ""})
    detail = client.get(f"/console/complaints/{reference}", headers={"Authorization": ""})

    for page in (queue, detail):
        assert payload not in page.text
        assert "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]


def test_phones_are_masked_unless_assigned_or_supervisor(
    client: TestClient,
    agent_headers: dict[str, str],
    supervisor_headers: dict[str, str],
    file_complaint: Callable[..., dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("DEBUG"):
        reference = file_complaint(phone="13812345678", description="My ID is 110101199003074514")[
            "reference"
        ]

    listed = client.get("/api/staff/complaints", headers=agent_headers).json()[0]
    before = client.get(f"/api/staff/complaints/{reference}", headers=agent_headers).json()
    client.post(
        f"/api/staff/complaints/{reference}/assign",
        json={"username": "agent.li"},
        headers=agent_headers,
    )
    after = client.get(f"/api/staff/complaints/{reference}", headers=agent_headers).json()
    supervisor = client.get(f"/api/staff/complaints/{reference}", headers=supervisor_headers).json()

    assert listed["phone"] == "+86*******5678"
    assert "110101199003074514" not in listed["summary"]
    assert before["phone"] == "+86*******5678" and "110101199003074514" not in before["description"]
    assert after["phone"] == "+8613812345678" and "110101199003074514" in after["description"]
    assert supervisor["phone"] == "+8613812345678"
    assert not any("13812345678" in r.getMessage() for r in caplog.records)


def test_agents_cannot_assign_cases_to_others(
    client: TestClient,
    agent_headers: dict[str, str],
    make_staff: Callable[..., str],
    file_complaint: Callable[..., dict[str, Any]],
) -> None:
    reference = file_complaint()["reference"]
    make_staff("agent.zhao")

    response = client.post(
        f"/api/staff/complaints/{reference}/assign",
        json={"username": "agent.zhao"},
        headers=agent_headers,
    )

    assert response.status_code == 403


def test_login_page_is_not_a_token_oracle(client: TestClient) -> None:
    page = client.get("/console/login", headers={"Authorization": ""})

    assert csrf_from(page.text)
    assert page.headers["x-frame-options"] == "DENY"
