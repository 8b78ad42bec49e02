"""Every console page renders for staff with cases present (no template error, strict CSP)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.platform_api.staff.case_fixtures import (
    AGENT_PASSWORD,
    SUPERVISOR_PASSWORD,
    console_login,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NO_AUTH = {"Authorization": ""}


@pytest.fixture
def cases(client: TestClient, file_complaint: Callable[..., dict[str, Any]]) -> dict[str, str]:
    complaint = file_complaint(language="ko", booking_references=["BK-20261207-0001"])["reference"]
    client.post(
        f"/api/complaints/{complaint}/evidence", files={"file": ("r.png", PNG, "image/png")}
    )
    client.post(
        f"/api/complaints/{complaint}/evidence/url", json={"url": "https://example.org/r.jpg"}
    )
    escalation = client.post(
        "/api/escalations",
        json={
            "sender_id": "s1",
            "channel": "wechat",
            "language": "ko",
            "reason": "human_handoff",
            "transcript": [{"role": "user", "text": "상담원 연결해 주세요"}],
        },
    ).json()["reference"]
    return {"complaint": complaint, "escalation": escalation}


@pytest.mark.parametrize(
    ("role", "username", "password"),
    [("supervisor", "super.wang", SUPERVISOR_PASSWORD), ("agent", "agent.li", AGENT_PASSWORD)],
)
def test_pages_render(
    client: TestClient,
    make_staff: Callable[..., str],
    cases: dict[str, str],
    role: str,
    username: str,
    password: str,
) -> None:
    make_staff(username, role)
    console_login(client, username, password)
    pages = [
        "/console/",
        "/console/?kind=escalations",
        "/console/?status=open&category=overcharging&language=ko&overdue=no&due_before=2030-01-01&mine=yes",
        f"/console/complaints/{cases['complaint']}",
        f"/console/escalations/{cases['escalation']}",
        "/console/dashboard",
    ]
    for url in pages:
        response = client.get(url, headers=NO_AUTH)
        assert response.status_code == 200, (url, response.text[:500])
        assert response.headers["content-security-policy"].startswith("default-src 'self'")

    detail = client.get(f"/console/complaints/{cases['complaint']}", headers=NO_AUTH).text
    assert "BK-20261207-0001" in detail
    assert "한국어" in detail
    assert "접수되었습니다" in detail  # the Korean ready-made reply is offered
    assert "/console/evidence/" in detail
    assert (
        "상담원 연결해 주세요"
        in client.get(f"/console/escalations/{cases['escalation']}", headers=NO_AUTH).text
    )
    assert (client.get("/console/admin", headers=NO_AUTH).status_code == 200) is (
        role == "supervisor"
    )


def test_evidence_image_is_served_to_staff_only(
    client: TestClient, make_staff: Callable[..., str], cases: dict[str, str]
) -> None:
    anonymous = client.get("/console/evidence/1", headers=NO_AUTH, follow_redirects=False)
    make_staff("agent.li")
    console_login(client, "agent.li", AGENT_PASSWORD)
    image = client.get("/console/evidence/1", headers=NO_AUTH)

    assert anonymous.status_code == 303
    assert image.status_code == 200
    assert image.content == PNG
    assert image.headers["content-type"] == "image/png"


def test_bad_filter_is_a_clear_4xx_page(client: TestClient, make_staff: Callable[..., str]) -> None:
    make_staff("agent.li")
    console_login(client, "agent.li", AGENT_PASSWORD)

    response = client.get("/console/?due_before=tomorrow", headers=NO_AUTH)

    assert response.status_code == 422
    assert "due_before" in response.text


def test_console_reply_with_a_ready_made_text_without_javascript(
    client: TestClient, make_staff: Callable[..., str], cases: dict[str, str]
) -> None:
    make_staff("agent.li")
    csrf = console_login(client, "agent.li", AGENT_PASSWORD)

    response = client.post(
        f"/console/complaints/{cases['complaint']}/reply",
        data={"csrf_token": csrf, "text": "", "canned": "received"},
        headers=NO_AUTH,
    )
    status = client.get(
        f"/api/complaints/{cases['complaint']}", params={"phone": "13812345678"}
    ).json()

    assert response.status_code == 200  # redirected back to the case
    assert status["replies"][0]["text"].startswith("안녕하세요")
