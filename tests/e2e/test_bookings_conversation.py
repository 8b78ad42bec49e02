"""End to end: book, pay through the sandbox, check and cancel a ticket over Rasa's REST channel
(English, Chinese, Japanese), then the platform's database holds exactly the expected rows.

The venue's partner pushes invented test slots first (its key is set in tests/e2e/conftest.py);
the payment is the sandbox provider's notification signed with the stack's own secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import socket
import sqlite3
from collections.abc import Iterator

import httpx
import pytest

from tests.actions.bookings.kit import cn_id
from tests.e2e.conftest import Stack, running_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

VENUE = "dujiangyan"
PARTNER_KEY = "e2e-partner-key-dujiangyan-01"  # the test venue's partner system (test slots only)
HOTEL, HOTEL_KEY = "hotel-e2e-riverside", "e2e-partner-key-hotel-riverside-01"  # a test hotel
CAPACITY = 10
REFERENCE = re.compile(r"BK-\d{8}-\d+")


def china_tomorrow() -> dt.date:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date() + dt.timedelta(days=1)


def free_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The stack as `make run` starts it, on free ports, with a partner key for the test venue
    (its own database, so the rows it holds are only this module's)."""
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "PLATFORM_PORT": free_port()}
    keys = f"{VENUE}:{PARTNER_KEY},{HOTEL}:{HOTEL_KEY}"
    with running_stack(
        tmp_path_factory.mktemp("e2e-bookings"), **ports, PLATFORM_PARTNER_KEYS=keys
    ) as started:
        yield started


@pytest.fixture(scope="module")
def slots(stack: Stack) -> Iterator[dt.date]:
    """Tomorrow's slots at the venue, pushed by its partner system."""
    day = china_tomorrow()
    body = {
        "slots": [
            {
                "start": "09:00",
                "end": "10:00",
                "capacity": CAPACITY,
                "prices": [
                    {"category": "adult", "amount_fen": 8000},
                    {"category": "child", "amount_fen": 4000},
                ],
            }
        ]
    }
    response = httpx.put(
        f"{stack.platform}/api/partners/venues/{VENUE}/slots/{day.isoformat()}",
        json=body,
        headers={"X-Partner-Key": PARTNER_KEY},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    yield day


def say(stack: Stack, sender: str, message: str) -> str:
    """The bot's replies to ``message``, joined."""
    response = httpx.post(
        f"{stack.rasa}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json())


def pay(stack: Stack, reference: str) -> None:
    """The sandbox provider tells the platform that ``reference`` was paid (signed notify)."""
    bot = {"Authorization": f"Bearer {stack.secrets['PLATFORM_BOT_API_TOKEN']}"}
    booking = httpx.get(f"{stack.platform}/api/bookings/{reference}", headers=bot, timeout=30)
    assert booking.status_code == 200, booking.text
    raw = json.dumps(
        {
            "reference": reference,
            "amount_fen": booking.json()["amount_fen"],
            "transaction_id": f"TX-E2E-{reference}",
            "paid_at": dt.datetime.now(dt.UTC).isoformat(),
        }
    ).encode()
    secret = stack.secrets["PLATFORM_PAYMENT_SANDBOX_SECRET"].encode()
    response = httpx.post(
        f"{stack.platform}/api/payments/sandbox/notify",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "X-Sandbox-Signature": hmac.new(secret, raw, hashlib.sha256).hexdigest(),
        },
        timeout=30,
    )
    assert response.status_code < 300, response.text


SCRIPTS = {
    "en": {
        "start": "I'd like to book tickets for Dujiangyan tomorrow",
        "tickets": "2 adults",
        "visitors": [f"Mary Brown, ID {cn_id(301)}", "John Smith passport E12345678"],
        "phone": "13835180661",
        "yes": "yes",
        "check": "check my booking",
        "cancel": "cancel my booking",
        "words": {
            "slots": "Time slots",
            "held": "Pay here",
            "confirmed": "paid and confirmed",
            "refund": "full",
            "cancelled": "is cancelled",
        },
    },
    "zh": {
        "start": "我想订明天都江堰的门票",
        "tickets": "两个大人",
        "visitors": [f"张伟 {cn_id(302)}", f"李娜 身份证 {cn_id(303)}"],
        "phone": "13835180662",
        "yes": "是",
        "check": "帮我查一下订单",
        "cancel": "我要取消预订",
        "words": {
            "slots": "可预约时段",
            "held": "支付链接",
            "confirmed": "已支付并确认",
            "refund": "全额退款",
            "cancelled": "已取消",
        },
    },
    "ja": {
        "start": "明日の都江堰のチケットを予約したいです",
        "tickets": "大人1名",
        "visitors": ["田中太郎 パスポート TK1234567"],
        "phone": "+81 90-1234-5678",
        "yes": "はい",
        "check": "予約の状況を確認してください",
        "cancel": "予約をキャンセルしてください",
        "words": {
            "slots": "入場時間帯",
            "held": "お支払い",
            "confirmed": "確定しています",
            "refund": "全額",
            "cancelled": "キャンセルしました",
        },
    },
}


@pytest.mark.parametrize("lang", list(SCRIPTS))
def test_book_pay_check_and_cancel_over_the_rest_channel(
    stack: Stack, slots: dt.date, lang: str
) -> None:
    script = SCRIPTS[lang]
    words = script["words"]
    sender = f"e2e-booking-{lang}"
    offer = say(stack, sender, script["start"])
    assert words["slots"] in offer and "09:00" in offer, offer
    say(stack, sender, "1")
    say(stack, sender, script["tickets"])
    for visitor in script["visitors"]:
        say(stack, sender, visitor)
    summary = say(stack, sender, script["phone"])
    assert "0661" in summary or "0662" in summary or "5678" in summary, summary
    assert cn_id(301) not in summary and cn_id(302) not in summary
    held = say(stack, sender, script["yes"])
    assert words["held"] in held, held
    found = REFERENCE.search(held)
    assert found, held
    reference = found.group()

    tracker = httpx.get(
        f"{stack.rasa}/conversations/{sender}/tracker",
        params={"token": stack.secrets["RASA_AUTH_TOKEN"]},
        timeout=30,
    ).json()
    assert tracker["slots"]["booking_visitors"] is None
    assert tracker["slots"]["booking_phone"] is None
    assert tracker["slots"]["last_booking"]["reference"] == reference
    assert "*" in tracker["slots"]["last_booking"]["phone"]

    if lang == "en":  # a yes right after the payment link checks the booking: not paid yet
        waiting = say(stack, sender, "ok")
        assert reference in waiting and "waiting for payment" in waiting, waiting
    pay(stack, reference)
    status = say(stack, sender, script["check"])
    assert reference in status and words["confirmed"] in status, status
    question = say(stack, sender, script["cancel"])
    assert reference in question and words["refund"] in question, question
    done = say(stack, sender, script["yes"])
    assert reference in done and words["cancelled"] in done, done


def test_book_a_hotel_near_an_attraction_over_the_rest_channel(
    stack: Stack, slots: dt.date
) -> None:
    """A test hotel near the venue pushes two nights; the tourist books them (held, not paid)."""
    headers = {"X-Partner-Key": HOTEL_KEY}
    profile = {
        "name": "Riverside E2E Hotel",
        "city": "Dujiangyan",
        "near": [VENUE],
        "room_types": [{"code": "twin", "name": "Twin room", "max_guests": 2}],
    }
    response = httpx.put(
        f"{stack.platform}/api/partners/hotels/{HOTEL}", json=profile, headers=headers, timeout=30
    )
    assert response.status_code == 200, response.text
    nights = [
        {
            "date": (slots + dt.timedelta(days=i)).isoformat(),
            "room_type": "twin",
            "rooms": 3,
            "price_fen": 30000,
        }
        for i in range(2)
    ]
    response = httpx.put(
        f"{stack.platform}/api/partners/hotels/{HOTEL}/inventory",
        json={"nights": nights},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    sender = "e2e-hotel-en"
    asked = say(stack, sender, "I need a hotel near Dujiangyan from tomorrow for 2 nights")
    assert "How many guests" in asked, asked
    offer = say(stack, sender, "2 adults")
    assert "Riverside E2E Hotel" in offer and "600" in offer, offer
    say(stack, sender, "1")
    say(stack, sender, "Mary Brown passport E7654321")
    summary = say(stack, sender, "13835180663")
    assert "E7654321" not in summary and "Riverside E2E Hotel" in summary, summary
    held = say(stack, sender, "yes")
    assert re.search(r"HB-\d{8}-\d+", held) and "Pay here" in held, held


def test_the_database_holds_exactly_the_expected_rows(stack: Stack, slots: dt.date) -> None:
    """Runs after the conversations (file order): three cancelled, refunded ticket bookings and one
    held hotel booking."""
    with sqlite3.connect(stack.log_dir / "platform.db") as db:
        bookings = db.execute(
            "SELECT reference, status, amount_fen, refund_fen, quantity, language FROM booking"
            " ORDER BY id"
        ).fetchall()
        visitors = db.execute(
            "SELECT b.language, v.category, v.name, v.id_type FROM booking_visitor v"
            " JOIN booking b ON b.id = v.booking_id ORDER BY v.id"
        ).fetchall()
        payments = db.execute(
            "SELECT outcome, amount_fen, refund_fen FROM payment ORDER BY id"
        ).fetchall()
        places = db.execute(
            "SELECT capacity, reserved FROM time_slot WHERE venue_id = ? AND day = ?",
            (VENUE, slots.isoformat()),
        ).fetchall()
    assert [(b[1], b[2], b[3], b[4], b[5]) for b in bookings] == [
        ("cancelled", 16000, 16000, 2, "en"),
        ("cancelled", 16000, 16000, 2, "zh"),
        ("cancelled", 8000, 8000, 1, "ja"),
        ("held", 60000, 0, 1, "en"),  # the hotel: two nights of one twin room, not paid
    ]
    assert visitors == [
        ("en", "adult", "Mary Brown", "cn_id"),
        ("en", "adult", "John Smith", "passport"),
        ("zh", "adult", "张伟", "cn_id"),
        ("zh", "adult", "李娜", "cn_id"),
        ("ja", "adult", "田中太郎", "passport"),
        ("en", "guest", "Mary Brown", "passport"),
    ]
    assert payments == [
        ("confirmed", 16000, 16000),
        ("confirmed", 16000, 16000),
        ("confirmed", 8000, 8000),
    ]
    assert places == [(CAPACITY, 0)]  # every place given back


def test_the_logs_hold_no_phone_or_document_number(stack: Stack, slots: dt.date) -> None:
    """Rasa's, the action server's and the platform's logs after the conversations above."""
    secrets = [
        "13835180661",
        "13835180662",
        "13835180663",
        "9012345678",
        cn_id(301),
        cn_id(302),
        cn_id(303),
        "E12345678",
        "TK1234567",
        "E7654321",
    ]
    logs = {path.name: path.read_text("utf-8") for path in stack.log_dir.glob("*.log")}
    assert {"rasa.log", "actions.log", "platform.log"} <= set(logs)
    leaks = [(name, secret) for name, text in logs.items() for secret in secrets if secret in text]
    assert leaks == []
