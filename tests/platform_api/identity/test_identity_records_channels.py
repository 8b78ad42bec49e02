"""The verified number's records come from every channel, and only from that number; the sandbox
SMS texts are readable over HTTP by staff outside production (how end-to-end tests read a code)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_api.identity.settings import IdentitySettings, get_identity_settings
from platform_api.identity.sms import SandboxSmsSender
from tests.platform_api.bookings.kit import (
    STAFF_TOKEN,
    api,
    booking_app,
    clock,
    push_slots,
    settings,
    ticket_body,
)

__all__ = ["api", "booking_app", "clock", "settings"]

PHONE = "13800138000"
E164 = "+8613800138000"
OTHER = "13900139000"
VERIFIER = "guide-device-07"
STAFF = {"Authorization": f"Bearer {STAFF_TOKEN}"}


@pytest.fixture
def sms(booking_app: FastAPI) -> SandboxSmsSender:
    sender = SandboxSmsSender()
    booking_app.state.sms_sender = sender
    booking_app.dependency_overrides[get_identity_settings] = lambda: IdentitySettings(
        resend_interval_s=0
    )
    return sender


def _book(api: TestClient, slot_id: int, phone: str, channel: str, first: int) -> str:
    body = ticket_body(slot_id, 1, first=first, phone=phone, channel=channel, user_id=channel)
    response = api.post("/api/bookings", json=body, headers={"Idempotency-Key": f"k-{first}"})
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


def _complain(api: TestClient, phone: str, channel: str) -> str:
    response = api.post(
        "/api/complaints",
        json={
            "category": "overcharging",
            "merchant": "Tea house by the east gate",
            "description": "They charged twice the price on the menu.",
            "phone": phone,
            "language": "en",
            "channel": channel,
            "user_id": f"{channel}-user",
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


def _verify(api: TestClient, sms: SandboxSmsSender, sender: str = VERIFIER) -> None:
    sent = api.post(
        "/api/identity/challenges",
        json={"sender_id": sender, "channel": "guide", "phone": PHONE, "language": "en"},
    )
    assert sent.status_code == 201, sent.text
    code = re.search(r"\b(\d{6})\b", sms.sent[E164][-1])
    assert code
    confirmed = api.post(
        f"/api/identity/challenges/{sent.json()['challenge_id']}/confirm",
        json={"sender_id": sender, "code": code.group(1)},
    )
    assert confirmed.status_code == 200, confirmed.text


def test_records_list_every_channel_of_the_verified_number_and_nothing_else(
    api: TestClient, sms: SandboxSmsSender
) -> None:
    slot = push_slots(api, capacity=10)[0]["slot_id"]
    on_wechat = _book(api, slot, PHONE, "wechat", 1)
    on_widget = _book(api, slot, "+86 138 0013 8000", "socketio", 2)
    not_mine = _book(api, slot, OTHER, "wechat", 3)
    complaint_rest = _complain(api, PHONE, "rest")
    complaint_other = _complain(api, OTHER, "socketio")

    _verify(api, sms)
    body = api.get(f"/api/identity/conversations/{VERIFIER}/records").json()

    assert [(b["reference"], b["channel"]) for b in body["bookings"]] == [
        (on_widget, "socketio"),
        (on_wechat, "wechat"),
    ]
    assert body["bookings"][0]["venue_id"] == "dujiangyan"
    assert body["bookings"][0]["status"] == "held"
    assert [(c["reference"], c["channel"]) for c in body["complaints"]] == [
        (complaint_rest, "rest")
    ]
    assert body["complaints"][0]["category"] == "overcharging"
    assert not_mine not in str(body) and complaint_other not in str(body)
    assert body["phone_masked"] == "+86138****8000"


def test_another_conversation_of_the_same_number_still_needs_its_own_code(
    api: TestClient, sms: SandboxSmsSender
) -> None:
    _verify(api, sms)

    other = api.get("/api/identity/conversations/wechat-someone/records")

    assert other.status_code == 403 and other.json()["error"]["code"] == "not_verified"


def test_staff_read_the_sandbox_texts_of_a_number(api: TestClient, sms: SandboxSmsSender) -> None:
    _verify(api, sms)

    texts = api.get("/api/identity/sandbox/sms", params={"phone": PHONE}, headers=STAFF)
    as_bot = api.get("/api/identity/sandbox/sms", params={"phone": PHONE})

    assert texts.status_code == 200
    assert texts.json()["texts"] == sms.sent[E164]
    assert as_bot.status_code == 401


def test_no_sandbox_texts_in_production_or_with_a_real_provider(
    api: TestClient, booking_app: FastAPI
) -> None:
    class Provider:
        def send(self, phone: str, text: str) -> None:
            """A contracted provider (the boundary): nothing is kept."""

    booking_app.state.sms_sender = Provider()
    with_provider = api.get("/api/identity/sandbox/sms", params={"phone": PHONE}, headers=STAFF)
    booking_app.state.sms_sender = SandboxSmsSender()
    booking_app.state.settings = booking_app.state.settings.model_copy(
        update={"environment": "production"}
    )
    in_production = api.get("/api/identity/sandbox/sms", params={"phone": PHONE}, headers=STAFF)

    assert with_provider.status_code == 404 and in_production.status_code == 404
    assert in_production.json()["error"]["code"] == "no_sandbox"
