"""``/api/escalations``: created by the bot, listed and updated by staff."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

REFERENCE_RE = re.compile(r"^ESC-\d{8}-\d{4}$")


def test_escalation_create_returns_reference(
    client: TestClient, escalation_payload: dict[str, str]
) -> None:
    response = client.post("/api/escalations", json=escalation_payload)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert REFERENCE_RE.match(body["reference"]), body["reference"]
    assert body["reference"].endswith("-0001")


def test_escalation_references_are_sequential_and_unique(
    client: TestClient, escalation_payload: dict[str, str]
) -> None:
    refs = [
        client.post("/api/escalations", json=escalation_payload).json()["reference"]
        for _ in range(3)
    ]

    assert [ref[-4:] for ref in refs] == ["0001", "0002", "0003"]
    assert len(set(refs)) == 3


@pytest.mark.security
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender_id", ""),
        ("sender_id", "   "),
        ("sender_id", "s" * 129),
        ("channel", "WeChat!"),
        ("channel", ""),
        ("language", "chinese"),
        ("language", 7),
        ("reason", ""),
        ("reason", "r" * 501),
        ("last_user_message", "m" * 4001),
        ("unexpected", "field"),
    ],
)
def test_escalation_create_rejects_bad_input_with_422(
    client: TestClient, escalation_payload: dict[str, object], field: str, value: object
) -> None:
    response = client.post("/api/escalations", json={**escalation_payload, field: value})

    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message"}


@pytest.mark.parametrize("missing", ["sender_id", "channel", "language", "reason"])
def test_escalation_create_requires_fields(
    client: TestClient, escalation_payload: dict[str, str], missing: str
) -> None:
    payload = {k: v for k, v in escalation_payload.items() if k != missing}

    assert client.post("/api/escalations", json=payload).status_code == 422


@pytest.mark.security
def test_escalation_create_rejects_undecodable_body_with_400(client: TestClient) -> None:
    response = client.post(
        "/api/escalations", content=b"\xff not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message"}


def test_escalation_create_rejects_malformed_json_with_400(client: TestClient) -> None:
    response = client.post(
        "/api/escalations", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"


@pytest.mark.security
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dGVzdDp0ZXN0"},
        {"Authorization": "test-staff-token-7f3a"},
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/escalations"), ("PATCH", "/api/escalations/ESC-20261129-0001")],
)
def test_escalation_staff_routes_require_token(
    client: TestClient, headers: dict[str, str], method: str, path: str
) -> None:
    response = client.request(method, path, headers=headers, json={"status": "closed"})

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthorized", "message": "missing or invalid staff token"}
    }
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_escalation_list_for_staff_newest_first(
    client: TestClient, escalation_payload: dict[str, str], staff_headers: dict[str, str]
) -> None:
    first = client.post("/api/escalations", json=escalation_payload).json()["reference"]
    second = client.post(
        "/api/escalations", json={**escalation_payload, "channel": "web_widget", "language": "en"}
    ).json()["reference"]

    response = client.get("/api/escalations", headers=staff_headers)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["reference"] for item in body["data"]] == [second, first]
    item = body["data"][1]
    assert item["sender_id"] == "wx-oAbc123"
    assert item["last_user_message"] == "我要投诉，转人工"
    assert item["status"] == "open"
    assert item["assigned_to"] is None
    assert item["created_at"].endswith(("+00:00", "Z"))


def test_escalation_patch_assigns_then_closes(
    client: TestClient, escalation_payload: dict[str, str], staff_headers: dict[str, str]
) -> None:
    ref = client.post("/api/escalations", json=escalation_payload).json()["reference"]

    assigned = client.patch(
        f"/api/escalations/{ref}",
        json={"status": "assigned", "assigned_to": "王老师"},
        headers=staff_headers,
    )
    closed = client.patch(
        f"/api/escalations/{ref}", json={"status": "closed"}, headers=staff_headers
    )

    assert assigned.status_code == 200
    assert assigned.json()["status"] == "assigned"
    assert assigned.json()["assigned_to"] == "王老师"
    assert closed.json()["status"] == "closed"
    assert closed.json()["assigned_to"] == "王老师"
    listed = client.get("/api/escalations", params={"status": "closed"}, headers=staff_headers)
    assert [item["reference"] for item in listed.json()["data"]] == [ref]
    open_ = client.get("/api/escalations", params={"status": "open"}, headers=staff_headers)
    assert open_.json() == {"data": [], "count": 0}


@pytest.mark.parametrize(
    "body", [{"status": "done"}, {"status": None}, {"priority": "high"}, {"assigned_to": 3}]
)
def test_escalation_patch_rejects_bad_input_with_422(
    client: TestClient,
    escalation_payload: dict[str, str],
    staff_headers: dict[str, str],
    body: dict[str, object],
) -> None:
    ref = client.post("/api/escalations", json=escalation_payload).json()["reference"]

    response = client.patch(f"/api/escalations/{ref}", json=body, headers=staff_headers)

    assert response.status_code == 422


def test_escalation_patch_unknown_reference_is_404(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    response = client.patch(
        "/api/escalations/ESC-19990101-0001", json={"status": "closed"}, headers=staff_headers
    )

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "no escalation with reference 'ESC-19990101-0001'",
        }
    }


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"status": "pending"}]
)
def test_escalation_list_rejects_bad_paging_with_422(
    client: TestClient, staff_headers: dict[str, str], params: dict[str, object]
) -> None:
    assert client.get("/api/escalations", params=params, headers=staff_headers).status_code == 422


@pytest.mark.security
def test_escalation_request_log_has_no_token_or_query(
    client: TestClient, staff_headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="platform_api"):
        client.get("/api/escalations", params={"status": "open"}, headers=staff_headers)

    lines = [r.getMessage() for r in caplog.records if r.name == "platform_api"]
    assert any(
        line.startswith("event=http.request method=GET path=/api/escalations status=200 ")
        for line in lines
    ), lines
    assert not any("test-staff-token" in line or "status=open" in line for line in lines)


@pytest.mark.security
@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Bearer test-staff-token-7f3a"])
def test_escalation_create_requires_the_bot_token(
    client: TestClient, escalation_payload: dict[str, str], header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    client.headers.pop("Authorization", None)
    response = client.post("/api/escalations", json=escalation_payload, headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthorized", "message": "missing or invalid bot token"}
    }


@pytest.mark.security
def test_request_log_names_the_route_not_the_conversation_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="platform_api")
    client.get("/api/conversations/wx-oSecretSender42/handoff")

    lines = [r.getMessage() for r in caplog.records if r.name == "platform_api"]
    assert any("path=/api/conversations/{sender_id}/handoff" in line for line in lines), lines
    assert not any("wx-oSecretSender42" in line for line in lines)
