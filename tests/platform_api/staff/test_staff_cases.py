"""Staff work on complaints: queue filters, notes, resolve/reopen, dashboard, audit, erasure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from common.languages import SUPPORTED_LANGUAGES
from platform_api.complaints.models import Complaint

Filer = Callable[..., dict[str, Any]]


def _refs(client: TestClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = client.get("/api/staff/complaints", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [row["reference"] for row in response.json()]


def test_queue_lists_reference_and_language_and_filters(
    app: FastAPI, client: TestClient, agent_headers: dict[str, str], file_complaint: Filer
) -> None:
    ja = file_complaint(language="ja", category="forced_shopping", user_id="a")["reference"]
    zh = file_complaint(language="zh", merchant=None, venue_id="jiuzhaigou", user_id="b")[
        "reference"
    ]
    late = file_complaint(language="en", user_id="c")["reference"]
    with app.state.session_factory() as db:
        db.execute(
            update(Complaint)
            .where(Complaint.reference == late)
            .values(due_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        )
        db.commit()

    listed = client.get("/api/staff/complaints", headers=agent_headers)
    rows = listed.json()

    assert isinstance(rows, list)
    assert listed.headers["X-Total-Count"] == "3"
    assert {(r["reference"], r["language"]) for r in rows} == {(ja, "ja"), (zh, "zh"), (late, "en")}
    assert _refs(client, agent_headers, language="ja") == [ja]
    assert _refs(client, agent_headers, category="forced_shopping") == [ja]
    assert _refs(client, agent_headers, venue="jiuzhaigou") == [zh]
    assert _refs(client, agent_headers, overdue="true") == [late]
    assert rows[0]["reference"] == late  # soonest deadline first
    assert (
        client.get(
            "/api/staff/complaints", params={"status": "lost"}, headers=agent_headers
        ).status_code
        == 422
    )


def test_notes_stay_internal_and_resolution_reaches_the_tourist(
    client: TestClient, agent_headers: dict[str, str], file_complaint: Filer
) -> None:
    reference = file_complaint(user_id="t-9")["reference"]

    client.post(
        f"/api/staff/complaints/{reference}/notes",
        json={"text": "merchant called back"},
        headers=agent_headers,
    )
    resolved = client.post(
        f"/api/staff/complaints/{reference}/resolve",
        json={"outcome": "Refund of 180 yuan agreed."},
        headers=agent_headers,
    )
    status = client.get(f"/api/complaints/{reference}", params={"phone": "13812345678"}).json()
    outbox = client.post("/api/conversations/t-9/outbox/claim").json()["messages"]
    twice = client.post(
        f"/api/staff/complaints/{reference}/resolve",
        json={"outcome": "again"},
        headers=agent_headers,
    )
    reopened = client.post(
        f"/api/staff/complaints/{reference}/reopen",
        json={"reason": "tourist disagrees"},
        headers=agent_headers,
    )

    assert resolved.status_code == 200
    assert status["status"] == "resolved"
    assert status["outcome"] == "Refund of 180 yuan agreed."
    assert status["replies"] == []  # the note is not shown
    assert "merchant called back" not in str(status)
    assert [(m["kind"], m["status"]) for m in outbox] == [("complaint_status", "resolved")]
    assert twice.status_code == 409
    assert reopened.json()["status"] == "in_progress"


def test_dashboard_changes_with_the_work(
    client: TestClient, agent_headers: dict[str, str], file_complaint: Filer
) -> None:
    reference = file_complaint(language="ja")["reference"]
    before = client.get("/api/staff/dashboard", headers=agent_headers).json()
    client.post(
        f"/api/staff/complaints/{reference}/replies",
        json={"text": "確認中です"},
        headers=agent_headers,
    )
    client.post(
        f"/api/staff/complaints/{reference}/resolve",
        json={"outcome": "返金済み"},
        headers=agent_headers,
    )
    after = client.get("/api/staff/dashboard", headers=agent_headers).json()

    assert (before["open"], before["resolved"]) == (1, 0)
    assert (after["open"], after["resolved"]) == (0, 1)
    assert before["median_hours_to_resolution"] is None
    assert after["median_hours_to_resolution"] is not None
    assert after["median_hours_to_first_reply"] is not None
    assert after["complaints_per_day"][-1]["count"] == 1
    assert after["cases_per_language"] == {"ja": 1}
    assert after["complaints_per_category"] == {"overcharging": 1}


def test_dashboard_groups_unanswered_questions_per_language(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    for place, lang in [("春熙路", "zh"), ("春熙路", "zh"), ("Great Wall", "en")]:
        client.post(
            "/api/kb/unanswered", json={"place": place, "language": lang, "question": place}
        )

    figures = client.get("/api/staff/dashboard", headers=agent_headers).json()

    assert figures["unanswered_per_language"] == {"en": 1, "zh": 2}
    assert figures["unanswered_top_places"]["zh"] == [{"place": "春熙路", "count": 2}]


def test_every_action_is_audited(
    client: TestClient,
    agent_headers: dict[str, str],
    supervisor_headers: dict[str, str],
    file_complaint: Filer,
) -> None:
    reference = file_complaint()["reference"]
    client.post(
        f"/api/staff/complaints/{reference}/replies", json={"text": "hello"}, headers=agent_headers
    )
    client.post(
        f"/api/staff/complaints/{reference}/resolve",
        json={"outcome": "done"},
        headers=agent_headers,
    )

    log = client.get("/api/staff/audit", headers=supervisor_headers).json()["data"]

    actions = [(e["actor"], e["action"], e["target"]) for e in log]
    assert ("agent.li", "complaint.reply", reference) in actions
    assert ("agent.li", "complaint.resolve", reference) in actions
    assert ("agent.li", "staff.login", "") in actions
    assert all(e["at"] for e in log)


def test_ready_made_replies_exist_in_the_eight_languages(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    texts = {}
    for language in SUPPORTED_LANGUAGES:
        body = client.get(
            "/api/staff/canned-replies", params={"language": language}, headers=agent_headers
        ).json()
        texts[language] = [r["text"] for r in body["replies"]]

    assert all(len(replies) == 4 for replies in texts.values())
    assert len({replies[0] for replies in texts.values()}) == 8  # each language its own text


def test_erasure_anonymises_a_tourist(
    app: FastAPI,
    client: TestClient,
    supervisor_headers: dict[str, str],
    file_complaint: Filer,
) -> None:
    reference = file_complaint(user_id="wx-open-id-1", description="my phone 13812345678")[
        "reference"
    ]
    client.post(
        f"/api/staff/complaints/{reference}/replies",
        json={"text": "ok"},
        headers=supervisor_headers,
    )
    client.post(
        "/api/escalations",
        json={
            "sender_id": "wx-open-id-1",
            "channel": "wechat",
            "language": "zh",
            "reason": "human_handoff",
            "last_user_message": "转人工",
        },
    )

    result = client.post("/api/privacy/erase", json={"user_id": "wx-open-id-1"}).json()
    status = client.get(f"/api/complaints/{reference}", params={"phone": "13812345678"})
    detail = client.get(f"/api/staff/complaints/{reference}", headers=supervisor_headers).json()
    outbox = client.get("/api/conversations/wx-open-id-1/outbox").json()["messages"]
    handoff = client.get("/api/conversations/wx-open-id-1/handoff").json()

    assert result == {"complaints": 1, "escalations": 1, "outbox_messages": 1, "evidence_files": 0}
    assert status.status_code == 404
    assert detail["description"] == "[erased]"
    assert detail["phone"] == ""
    assert detail["user_id"].startswith("erased-")
    assert detail["category"] == "overcharging"  # statistics kept
    assert outbox == [] and handoff["active"] is False


def test_dashboard_shows_conversations_and_fallback_rate_from_broker_events(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    import datetime as dt
    import json

    from platform_api.analytics.events import parse_event, store_event

    before = client.get("/api/staff/dashboard", headers=agent_headers).json()
    now = dt.datetime.now(dt.UTC).timestamp()
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        for i, (sender, intent, lang, channel) in enumerate(
            [("a", "greet", "ja", "wechat"), ("a", "nlu_fallback", "ja", "wechat"),
             ("b", "ask_ticket_price", "zh", "rest"), ("b", "ask_opening_hours", "zh", "rest")]
        ):  # fmt: skip
            body = {"sender_id": sender, "event": "user", "timestamp": now + i, "input_channel": channel,
                    "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "language": lang}}  # fmt: skip
            store_event(session, parse_event(json.dumps(body).encode()))
    after = client.get("/api/staff/dashboard", headers=agent_headers).json()

    assert before["fallback_rate"] is None and before["conversations_total"] == 0
    assert after["fallback_rate"] == 0.25
    assert after["conversations_total"] == 2
    assert after["conversations_per_channel"] == {"wechat": 1, "rest": 1}
    assert after["conversations_per_language"] == {"ja": 1, "zh": 1}
