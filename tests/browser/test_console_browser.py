"""The staff console in headless Chromium: log in, find a complaint, reply, resolve, dashboard.

The complaints are filed through the API as the action server files them; the tourist's side is
read back through the routes the action server and channel use (status, outbox).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.console_fixtures import Platform
from tests.browser.console_helpers import (
    dashboard_figure,
    login,
    open_complaint,
    reply,
    resolve,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = "13812345678"


def _file(platform: Platform, **overrides: object) -> str:
    body = {
        "category": "overcharging",
        "merchant": "Fixture noodle shop",
        "description": "Menu said 18 yuan, I was charged 80.",
        "occurred_on": "2026-12-01",
        "amount_fen": 8000,
        "phone": PHONE,
        "language": "ja",
        "channel": "rest",
        "user_id": "browser-tourist-ja",
        **overrides,
    }
    with platform.api() as api:
        response = api.post("/api/complaints", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


def test_staff_reply_and_resolution_reach_the_tourist_and_the_dashboard(
    console_platform: Platform, console_page: Page
) -> None:
    reference = _file(console_platform)
    zh_reference = _file(
        console_platform,
        language="zh",
        user_id="browser-tourist-zh",
        description="<script>alert(1)</script>",
    )

    login(
        console_page,
        console_platform.base_url,
        console_platform.admin_user,
        console_platform.admin_password,
    )
    shot(console_page, "console_queue")
    resolved_before = int(dashboard_figure(console_page, console_platform.base_url, "resolved"))
    open_complaint(console_page, console_platform.base_url, reference, language="ja")
    expect(console_page.locator(".facts")).to_contain_text("日本語")
    sent = reply(console_page, canned_label="We received your complaint")
    shot(console_page, "console_complaint_replied")

    with console_platform.api() as api:
        status = api.get(f"/api/complaints/{reference}", params={"phone": PHONE}).json()
        outbox = api.post("/api/conversations/browser-tourist-ja/outbox/claim").json()["messages"]
    assert "苦情を受け付けました" in sent  # the Japanese ready-made reply filled the box
    assert status["status"] == "in_progress"
    assert [r["text"] for r in status["replies"]] == [sent]
    assert [(m["kind"], m["text"]) for m in outbox] == [("complaint_reply", sent)]

    resolve(console_page, "店舗が差額62元を返金しました。")
    expect(console_page.get_by_role("heading", level=1)).to_contain_text("resolved")
    resolved_after = int(dashboard_figure(console_page, console_platform.base_url, "resolved"))
    assert console_page.evaluate("typeof Chart") == "function"
    expect(console_page.locator("#chart-category")).to_be_visible()
    shot(console_page, "console_dashboard")

    with console_platform.api() as api:
        final = api.get(f"/api/complaints/{reference}", params={"phone": PHONE}).json()
    assert resolved_after == resolved_before + 1
    assert final["status"] == "resolved"
    assert final["outcome"] == "店舗が差額62元を返金しました。"

    open_complaint(console_page, console_platform.base_url, zh_reference, language="zh")
    expect(console_page.locator(".facts")).to_contain_text("中文")
    expect(console_page.locator(".description")).to_have_text(
        "<script>alert(1)</script>"
    )  # as text
    zh_sent = reply(console_page, canned_label="We are contacting the business")
    with console_platform.api() as api:
        zh_status = api.get(f"/api/complaints/{zh_reference}", params={"phone": PHONE}).json()
    assert zh_sent.startswith("我们正在与相关商家核实情况")
    assert zh_status["latest_reply"]["text"] == zh_sent


def test_staff_talk_to_a_handed_off_tourist_and_hand_back(
    console_platform: Platform, console_page: Page
) -> None:
    with console_platform.api() as api:
        opened = api.post(
            "/api/escalations",
            json={
                "sender_id": "browser-handoff",
                "channel": "rest",
                "language": "zh",
                "reason": "human_handoff",
                "transcript": [{"role": "user", "text": "我要人工服务"}],
            },
        ).json()
        api.post("/api/conversations/browser-handoff/handoff/messages", json={"text": "门票退不了"})
    reference = opened["reference"]
    assert opened["active"] is True

    login(
        console_page,
        console_platform.base_url,
        console_platform.admin_user,
        console_platform.admin_password,
    )
    console_page.get_by_role("link", name="Escalations").click()
    console_page.locator(f'tr[data-reference="{reference}"]').get_by_role(
        "link", name=reference
    ).click()
    expect(console_page.locator(".history")).to_contain_text("门票退不了")
    console_page.get_by_label("Message to the tourist").fill("您好，我是客服小李，请提供订单号。")
    console_page.get_by_role("button", name="Send").click()
    expect(console_page.get_by_role("status")).to_contain_text("Done: message")
    shot(console_page, "console_handoff")
    console_page.get_by_role("button", name="Hand back to the assistant").click()
    expect(console_page.get_by_role("status")).to_contain_text("Done: hand-back")

    with console_platform.api() as api:
        messages = api.post("/api/conversations/browser-handoff/outbox/claim").json()["messages"]
        state = api.get("/api/conversations/browser-handoff/handoff").json()
    assert [(m["kind"], m["text"]) for m in messages] == [
        ("handoff_message", "您好，我是客服小李，请提供订单号。"),
        ("handoff_ended", ""),
    ]
    assert state["active"] is False
