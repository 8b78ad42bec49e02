"""``/api/complaints``: filing, the tourist's status by reference + phone, evidence, replies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from tests.platform_api.staff.case_fixtures import complaint_body

REFERENCE_RE = re.compile(r"^TS-(\d{8})-(\d{4})$")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_filing_returns_reference_status_and_deadline(client: TestClient) -> None:
    response = client.post("/api/complaints", json=complaint_body())

    assert response.status_code == 201
    body = response.json()
    match = REFERENCE_RE.match(body["reference"])
    assert match, body
    today_cst = dt.datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d")
    assert match.group(1) == today_cst
    assert match.group(2) == "0001"
    assert body["status"] == "open"
    due = dt.datetime.fromisoformat(body["due_at"])
    now = dt.datetime.now(dt.UTC)
    assert now + dt.timedelta(days=5) <= due <= now + dt.timedelta(days=10)  # 5 working days
    assert due.astimezone(ZoneInfo("Asia/Shanghai")).weekday() < 5


def test_references_follow_each_other(file_complaint: Callable[..., dict[str, Any]]) -> None:
    refs = [file_complaint(user_id=f"u{i}")["reference"] for i in range(3)]

    assert [ref[-4:] for ref in refs] == ["0001", "0002", "0003"]


def test_safety_complaints_are_due_sooner(file_complaint: Callable[..., dict[str, Any]]) -> None:
    normal = dt.datetime.fromisoformat(file_complaint()["due_at"])
    safety = dt.datetime.fromisoformat(file_complaint(category="safety")["due_at"])

    assert safety < normal


def test_status_needs_the_phone_the_case_was_filed_with(
    client: TestClient, file_complaint: Callable[..., dict[str, Any]]
) -> None:
    reference = file_complaint(phone="13812345678")["reference"]

    same_number = client.get(f"/api/complaints/{reference}", params={"phone": "+86 138 1234 5678"})
    wrong = client.get(f"/api/complaints/{reference}", params={"phone": "13912345678"})

    assert same_number.status_code == 200
    assert same_number.json()["reference"] == reference
    assert same_number.json()["replies"] == []
    assert wrong.status_code == 404
    assert wrong.json()["error"]["code"] == "not_found"
    assert "13812345678" not in wrong.text


@pytest.mark.security
def test_a_tourist_cannot_read_another_tourists_case(
    client: TestClient, file_complaint: Callable[..., dict[str, Any]]
) -> None:
    mine = file_complaint(phone="13812345678", user_id="alice")
    theirs = file_complaint(phone="13987654321", user_id="bob", description="private matter")

    response = client.get(f"/api/complaints/{theirs['reference']}", params={"phone": "13812345678"})
    unknown = client.get("/api/complaints/TS-20261207-9999", params={"phone": "13812345678"})

    assert response.status_code == 404
    assert "private matter" not in response.text
    assert response.json() == unknown.json()  # same answer as a reference that does not exist
    assert (
        client.get(
            f"/api/complaints/{mine['reference']}", params={"phone": "13812345678"}
        ).status_code
        == 200
    )


def test_staff_reply_reaches_status_and_outbox(
    client: TestClient,
    file_complaint: Callable[..., dict[str, Any]],
    agent_headers: dict[str, str],
) -> None:
    reference = file_complaint(user_id="tourist-7")["reference"]

    sent = client.post(
        f"/api/staff/complaints/{reference}/replies",
        json={"text": "We called the teahouse; they will refund you."},
        headers=agent_headers,
    )
    status = client.get(f"/api/complaints/{reference}", params={"phone": "13812345678"}).json()
    claimed = client.post("/api/conversations/tourist-7/outbox/claim").json()["messages"]
    again = client.post("/api/conversations/tourist-7/outbox/claim").json()["messages"]

    assert sent.status_code == 201
    assert status["status"] == "in_progress"
    assert [r["text"] for r in status["replies"]] == [
        "We called the teahouse; they will refund you."
    ]
    assert status["latest_reply"]["text"] == status["replies"][0]["text"]
    assert [(m["kind"], m["reference"], m["language"]) for m in claimed] == [
        ("complaint_reply", reference, "en")
    ]
    assert again == []


@pytest.mark.security
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "not a phone"}, "phone"),
        ({"category": "rudeness"}, "category"),
        ({"merchant": None}, "venue_id"),
        ({"occurred_on": "2099-01-01"}, "occurred_on"),
        ({"amount_fen": -5}, "amount_fen"),
        ({"language": "it"}, "language"),
        ({"description": "   "}, "description"),
        ({"unexpected": 1}, "unexpected"),
        ({"evidence_urls": ["javascript:alert(1)"]}, "evidence_urls"),
    ],
)
def test_bad_complaints_get_a_structured_4xx(
    client: TestClient, overrides: dict[str, Any], field: str
) -> None:
    response = client.post("/api/complaints", json=complaint_body(**overrides))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert field in error["message"]


def test_unknown_venue_is_refused_and_known_venue_accepted(client: TestClient) -> None:
    unknown = client.post(
        "/api/complaints", json=complaint_body(merchant=None, venue_id="no-such-place")
    )
    known = client.post(
        "/api/complaints", json=complaint_body(merchant=None, venue_id="jiuzhaigou")
    )

    assert unknown.status_code == 422
    assert "venue_id" in unknown.json()["error"]["message"]
    assert known.status_code == 201


@pytest.mark.security
def test_complaint_routes_need_the_service_token(client: TestClient) -> None:
    no_token = client.post("/api/complaints", json=complaint_body(), headers={"Authorization": ""})
    staff_token = client.post(
        "/api/complaints",
        json=complaint_body(),
        headers={"Authorization": "Bearer test-staff-token-7f3a"},
    )

    assert no_token.status_code == 401
    assert no_token.json()["error"]["code"] == "unauthorized"
    assert staff_token.status_code == 401


@pytest.mark.security
def test_undecodable_body_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/complaints", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"


def test_evidence_upload_and_url(
    client: TestClient, file_complaint: Callable[..., dict[str, Any]], case_settings: Any
) -> None:
    reference = file_complaint()["reference"]

    image = client.post(
        f"/api/complaints/{reference}/evidence", files={"file": ("receipt.png", PNG, "image/png")}
    )
    link = client.post(
        f"/api/complaints/{reference}/evidence/url", json={"url": "https://example.org/receipt.jpg"}
    )
    text = client.post(
        f"/api/complaints/{reference}/evidence",
        files={"file": ("x.png", b"<svg onload=alert(1)>", "image/png")},
    )
    huge = client.post(
        f"/api/complaints/{reference}/evidence",
        files={"file": ("big.png", PNG + b"\x00" * case_settings.evidence_max_bytes, "image/png")},
    )

    assert image.status_code == 201
    assert image.json()["content_type"] == "image/png"
    assert (case_settings.evidence_dir / (image.json()["sha256"] + ".png")).read_bytes() == PNG
    assert link.status_code == 201
    assert text.status_code == 415
    assert huge.status_code == 413


@pytest.mark.security
def test_phone_guessing_on_a_reference_is_cut_off(
    client: TestClient, file_complaint: Callable[..., dict[str, Any]]
) -> None:
    reference = file_complaint(phone="13812345678")["reference"]
    other = file_complaint(phone="13812345678", user_id="other")["reference"]

    guesses = [
        client.get(f"/api/complaints/{reference}", params={"phone": f"1391234{n:04d}"}).status_code
        for n in range(10)
    ]
    right_phone = client.get(f"/api/complaints/{reference}", params={"phone": "13812345678"})
    other_case = client.get(f"/api/complaints/{other}", params={"phone": "13812345678"})

    assert guesses == [404] * 10
    assert right_phone.status_code == 429
    assert right_phone.json()["error"]["code"] == "too_many_requests"
    assert other_case.status_code == 200
