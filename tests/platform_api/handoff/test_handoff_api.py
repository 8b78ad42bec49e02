"""Human handoff, platform side: open, relay both ways, hand back, office hours."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.platform_api.staff.case_fixtures import make_case_settings

ESC_RE = re.compile(r"^ESC-\d{8}-\d{4}$")


def handoff_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sender_id": "web-abc",
        "channel": "rest",
        "language": "ja",
        "reason": "human_handoff",
        "last_user_message": "人と話したい",
        "transcript": [
            {"role": "user", "text": "九寨沟のチケットは？"},
            {"role": "bot", "text": "..."},
            {"role": "user", "text": "人と話したい"},
        ],
    }
    body.update(overrides)
    return body


def test_open_in_office_hours_pauses_the_bot(client: TestClient) -> None:
    opened = client.post("/api/escalations", json=handoff_body())
    state = client.get("/api/conversations/web-abc/handoff").json()
    again = client.post("/api/escalations", json=handoff_body())

    assert opened.status_code == 201
    body = opened.json()
    assert ESC_RE.match(body["reference"])
    assert body["active"] is True and body["in_office_hours"] is True
    assert body["existing"] is False
    assert state == {
        "active": True,
        "reference": body["reference"],
        "language": "ja",
        "since": state["since"],
    }
    assert again.status_code == 200
    assert again.json()["reference"] == body["reference"]
    assert again.json()["existing"] is True


def test_out_of_office_hours_is_not_live(app: FastAPI, client: TestClient, tmp_path: Path) -> None:
    app.state.case_settings = make_case_settings(
        tmp_path, office_weekdays="", office_hours="09:00-18:00"
    )

    body = client.post("/api/escalations", json=handoff_body(sender_id="night-owl")).json()
    state = client.get("/api/conversations/night-owl/handoff").json()

    assert body["active"] is False
    assert body["in_office_hours"] is False
    assert body["office_hours"]
    assert state == {"active": False, "reference": None, "language": None, "since": None}


def test_messages_flow_both_ways_and_staff_hand_back(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    reference = client.post("/api/escalations", json=handoff_body()).json()["reference"]

    relayed = client.post(
        "/api/conversations/web-abc/handoff/messages", json={"text": "返金してほしい"}
    )
    staff = client.post(
        f"/api/staff/escalations/{reference}/messages",
        json={"text": "担当の李です。詳しく教えてください。"},
        headers=agent_headers,
    )
    detail = client.get(f"/api/staff/escalations/{reference}", headers=agent_headers).json()
    claimed = client.post("/api/conversations/web-abc/outbox/claim").json()["messages"]
    back = client.post(f"/api/staff/escalations/{reference}/hand-back", headers=agent_headers)
    state = client.get("/api/conversations/web-abc/handoff").json()
    after = client.post("/api/conversations/web-abc/outbox/claim").json()["messages"]
    late = client.post("/api/conversations/web-abc/handoff/messages", json={"text": "まだいますか"})

    assert relayed.status_code == 201
    assert staff.status_code == 201
    kinds = [(h["kind"], h["text"]) for h in detail["history"]]
    assert ("tourist_message", "返金してほしい") in kinds
    assert ("reply", "担当の李です。詳しく教えてください。") in kinds
    assert [t["text"] for t in detail["transcript"]][0] == "九寨沟のチケットは？"
    assert [(m["kind"], m["text"]) for m in claimed] == [
        ("handoff_message", "担当の李です。詳しく教えてください。")
    ]
    assert back.status_code == 200
    assert state["active"] is False
    assert [m["kind"] for m in after] == ["handoff_ended"]
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "not_handed_off"


def test_tourist_can_end_the_handoff(client: TestClient) -> None:
    client.post("/api/escalations", json=handoff_body())

    ended = client.post("/api/conversations/web-abc/handoff/end")
    twice = client.post("/api/conversations/web-abc/handoff/end")

    assert ended.status_code == 200
    assert ended.json()["active"] is False
    assert twice.status_code == 409
    assert client.get("/api/conversations/web-abc/handoff").json()["active"] is False


def test_staff_cannot_message_a_closed_handoff(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    reference = client.post("/api/escalations", json=handoff_body()).json()["reference"]
    client.post("/api/conversations/web-abc/handoff/end")

    response = client.post(
        f"/api/staff/escalations/{reference}/messages",
        json={"text": "hello"},
        headers=agent_headers,
    )

    assert response.status_code == 409


def test_outbox_peek_does_not_consume(client: TestClient, agent_headers: dict[str, str]) -> None:
    reference = client.post("/api/escalations", json=handoff_body()).json()["reference"]
    client.post(
        f"/api/staff/escalations/{reference}/messages", json={"text": "hi"}, headers=agent_headers
    )

    peeked = client.get("/api/conversations/web-abc/outbox").json()["messages"]
    claimed = client.post("/api/conversations/web-abc/outbox/claim").json()["messages"]

    assert [m["id"] for m in peeked] == [m["id"] for m in claimed]
    assert client.get("/api/conversations/web-abc/outbox").json()["messages"] == []


@pytest.mark.security
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/conversations/x/handoff"),
        ("POST", "/api/conversations/x/handoff/messages"),
        ("POST", "/api/conversations/x/handoff/end"),
        ("GET", "/api/conversations/x/outbox"),
        ("POST", "/api/conversations/x/outbox/claim"),
        ("POST", "/api/complaints"),
        ("GET", "/api/complaints/TS-20261207-0001"),
        ("POST", "/api/privacy/erase"),
    ],
)
def test_conversation_routes_need_the_service_token(
    client: TestClient, agent_headers: dict[str, str], method: str, path: str
) -> None:
    none = client.request(method, path, headers={"Authorization": ""}, json={"text": "x"})
    staff_session = client.request(method, path, headers=agent_headers, json={"text": "x"})

    assert none.status_code == 401
    assert staff_session.status_code == 401


def test_closing_with_the_static_staff_token_ends_the_handoff(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    reference = client.post("/api/escalations", json=handoff_body()).json()["reference"]

    closed = client.patch(
        f"/api/escalations/{reference}", json={"status": "closed"}, headers=staff_headers
    )

    assert closed.status_code == 200
    assert client.get("/api/conversations/web-abc/handoff").json()["active"] is False
    claimed = client.post("/api/conversations/web-abc/outbox/claim").json()["messages"]
    assert [m["kind"] for m in claimed] == ["handoff_ended"]
