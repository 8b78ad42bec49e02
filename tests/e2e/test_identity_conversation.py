"""Cross-channel identity end to end (issue 11), against the running stack on its own ports.

A ticket is booked on WeChat (the platform API, as the WeChat channel's conversation does, with
``channel=wechat``), a complaint is filed in a REST conversation, and a third conversation proves
the phone number with the code the platform texted (read from the sandbox SMS sender through its
staff route, never guessed) and sees both; asking again later needs no new code. The tracker and the
logs keep neither the number nor the code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.actions.bookings.kit import cn_id
from tests.e2e.conftest import STAFF_TOKEN, Stack, running_stack
from tests.e2e.test_complaints_conversation import CHINESE, Tourist, file_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PORTS = {"RASA_PORT": "15305", "ACTIONS_PORT": "15355", "PLATFORM_PORT": "18300"}
VENUE = "dujiangyan"
PARTNER_KEY = "e2e-identity-partner-key-dujiangyan"
PHONE = "13800138000"  # the complaint form's test number (CHINESE steps say "138 0013 8000")
E164 = "+8613800138000"
MASKED = "+86138****8000"


@pytest.fixture(scope="module")
def identity_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("e2e-identity"),
        **PORTS,
        PLATFORM_PARTNER_KEYS=f"{VENUE}:{PARTNER_KEY}",
    ) as started:
        yield started


def book_on_wechat(stack: Stack) -> str:
    """Tomorrow's test slot at the venue, then a booking made on the WeChat channel."""
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date() + dt.timedelta(days=1)
    slots = {
        "slots": [
            {
                "start": "09:00",
                "end": "10:00",
                "capacity": 10,
                "prices": [{"category": "adult", "amount_fen": 8000}],
            }
        ]
    }
    pushed = httpx.put(
        f"{stack.platform}/api/partners/venues/{VENUE}/slots/{day.isoformat()}",
        json=slots,
        headers={"X-Partner-Key": PARTNER_KEY},
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    booked = httpx.post(
        f"{stack.platform}/api/bookings",
        json={
            "venue_id": VENUE,
            "slot_id": pushed.json()["slots"][0]["slot_id"],
            "tickets": [
                {
                    "category": "adult",
                    "visitor": {"name": "测试游客", "id_type": "cn_id", "id_number": cn_id(811)},
                }
            ],
            "phone": PHONE,
            "language": "zh",
            "channel": "wechat",
            "user_id": "wechat-openid-e2e-identity",
        },
        headers={
            "Authorization": f"Bearer {stack.secrets['PLATFORM_BOT_API_TOKEN']}",
            "Idempotency-Key": "e2e-identity-wechat-1",
        },
        timeout=30,
    )
    assert booked.status_code == 201, booked.text
    return str(booked.json()["reference"])


def texts_to(stack: Stack) -> list[str]:
    """What the sandbox SMS sender kept for the number (staff route, not in production)."""
    answer = httpx.get(
        f"{stack.platform}/api/identity/sandbox/sms",
        params={"phone": PHONE},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    texts: list[str] = answer.json()["texts"]
    return texts


def code_in(text: str) -> str:
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
    assert found, text
    return found.group(1)


def test_a_third_conversation_verifies_the_number_and_sees_wechat_and_rest_records(
    identity_stack: Stack,
) -> None:
    booking = book_on_wechat(identity_stack)
    complaint, _ = file_complaint(Tourist(identity_stack, "e2e-identity-rest-a"), CHINESE)
    tourist = Tourist(identity_stack, "e2e-identity-widget-c")

    reply = tourist.text("show my bookings and complaints")
    assert "6-digit code" in reply and "number" in reply, reply
    reply = tourist.text("+86 138 0013 8000")
    assert f"texted a 6-digit code to {MASKED}" in reply, reply
    sent = texts_to(identity_stack)
    assert len(sent) == 1 and "verification code" in sent[0]  # the code comes in English
    code = code_in(sent[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    reply = tourist.text(wrong)
    assert "not right" in reply, reply
    reply = tourist.text(code)

    assert f"Verified: {MASKED}" in reply, reply
    assert booking in reply and complaint in reply, reply
    assert "Dujiangyan" in reply and "waiting for payment" in reply, reply
    assert "Forced shopping" in reply and "waiting for staff" in reply, reply

    # later in the session: no new code, also for a plain "my bookings" (check_booking)
    again = tourist.text("my bookings and my complaints please")
    assert booking in again and complaint in again, again
    plain = tourist.text("my bookings")
    assert booking in plain and "BK-20261208-00000001" not in plain, plain
    assert len(texts_to(identity_stack)) == 1
    # a conversation that verified nothing still checks one booking by reference + phone
    assert "BK-20261208-00000001" in Tourist(identity_stack, "e2e-identity-d").text("my bookings")

    tracker = httpx.get(
        f"{identity_stack.rasa}/conversations/{tourist.sender}/tracker",
        params={"token": identity_stack.secrets["RASA_AUTH_TOKEN"]},
        timeout=30,
    ).json()
    slots = {name: value for name, value in tracker["slots"].items() if value is not None}
    assert slots.get("identity_verified") == MASKED
    for name in ("identity_phone", "identity_code", "identity_challenge"):
        assert name not in slots, slots
    assert not any(PHONE in str(v) or code in str(v) for v in slots.values()), slots

    logs = {
        p.name: p.read_text("utf-8", errors="replace") for p in identity_stack.log_dir.glob("*.log")
    }
    assert {"rasa.log", "actions.log", "platform.log"} <= set(logs)
    secret = re.compile(rf"(?<!\d)(?:{code}|{PHONE}|{E164[1:]})(?!\d)")
    assert [name for name, text in logs.items() if secret.search(text)] == []


def test_stop_and_wrong_number_in_german_and_japanese(identity_stack: Stack) -> None:
    german = Tourist(identity_stack, "e2e-identity-de")
    reply = german.text("zeig mir meine Buchungen und Beschwerden")
    assert "Handynummer" in reply, reply
    reply = german.text("12345")
    assert "gültigen Telefonnummer" in reply, reply
    reply = german.text("abbrechen")
    assert "nicht bestätigt" in reply, reply

    japanese = Tourist(identity_stack, "e2e-identity-ja")
    reply = japanese.text("電話番号の認証をお願いします")
    assert "認証コード" in reply, reply
    reply = japanese.text("やめます")
    assert "中止しました" in reply, reply
