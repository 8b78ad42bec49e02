"""``-m security``: hostile and odd input through the REST channel of the running stack.

Bodies that are not text, emoji-only messages, SQL and script strings in form fields, negative,
zero and huge party sizes, dates far in the past or the future: every one gets a clear answer (or a
400 for a broken body), never a trace or an empty reply, and the conversation goes on.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import httpx
import pytest

from tests.e2e.conftest import E2E_PARTNER_KEYS, Stack

pytestmark = [pytest.mark.security, pytest.mark.e2e, pytest.mark.slow]
VENUE, PARTNER_KEY = E2E_PARTNER_KEYS.split(":", 1)
TRACE_MARKERS = ("Traceback", "Exception", "Error:", "sqlite", "SELECT ")
INJECTION = "Robert'); DROP TABLE booking;--"


def say(stack: Stack, sender: str, message: str) -> str:
    response = httpx.post(
        f"{stack.rasa}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    text = "\n".join(m.get("text") or "" for m in response.json())
    assert text.strip(), f"empty reply to {message!r}"
    assert not any(marker in text for marker in TRACE_MARKERS), text
    return text


@pytest.mark.parametrize(
    "body",
    [b"\x00\x01\x02\xff\xfe", b'{"sender": "x", "message": "\xff\xfe"}', bytes(range(256)) * 4],
)
def test_binary_and_invalid_utf8_bodies_get_a_400(stack: Stack, body: bytes) -> None:
    response = httpx.post(f"{stack.rasa}/webhooks/rest/webhook", content=body, timeout=30)
    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize("message", ["🐼🐼🐼", "👍", "🙏🏻🇨🇳", "\u200b\u200b"])
def test_emoji_only_messages_get_an_answer(stack: Stack, message: str) -> None:
    say(stack, f"emoji-{hash(message) & 0xFFFF}", message)


@pytest.fixture(scope="module")
def tomorrow(stack: Stack) -> dt.date:
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date() + dt.timedelta(days=1)
    body = {"slots": [{"start": "14:00", "end": "15:00", "capacity": 50,
                       "prices": [{"category": "adult", "amount_fen": 8000}]}]}  # fmt: skip
    pushed = httpx.put(
        f"{stack.platform}/api/partners/venues/{VENUE}/slots/{day.isoformat()}",
        json=body,
        headers={"X-Partner-Key": PARTNER_KEY},
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    return day


def test_party_sizes_and_injection_in_a_booking_are_refused_and_nothing_runs(
    stack: Stack, tomorrow: dt.date
) -> None:
    sender = "bad-input-booking"
    offer = say(stack, sender, "I'd like to book tickets for Dujiangyan tomorrow")
    assert "14:00" in offer, offer
    say(stack, sender, "14:00")  # by its start time: other tests may have pushed other slots
    for silly in ("-3 adults", "0 adults", "100000 adults"):
        answer = say(stack, sender, silly)
        assert "How many tickets" in answer and not re.search(r"BK-\d{8}", answer), answer
    say(stack, sender, "1 adult")
    refused = say(stack, sender, f"{INJECTION} passport E87654321")
    assert "passport" in refused and "Noted" not in refused, refused  # not a name: asked again
    say(stack, sender, "Robert Tables passport E87654321")
    say(stack, sender, "13835180669")
    held = say(stack, sender, "yes")
    found = re.search(r"BK-\d{8}-\d+", held)
    assert found, held
    with sqlite3.connect(stack.log_dir / "platform.db") as db:
        quantity = db.execute(
            "SELECT quantity FROM booking WHERE reference = ?", (found.group(),)
        ).fetchone()[0]
        names = [row[0] for row in db.execute("SELECT name FROM booking_visitor")]
    assert quantity == 1  # the -3, 0 and 100000 never reached the platform
    assert "Robert Tables" in names and not any("DROP" in name for name in names)


@pytest.mark.parametrize("when", ["on 1999-01-01", "on 2099-12-31"])
def test_dates_far_in_the_past_or_future_are_explained(stack: Stack, when: str) -> None:
    sender = f"bad-date-{when[-4:]}"
    answer = say(stack, sender, f"I want to book tickets for Dujiangyan {when}")
    assert not re.search(r"BK-\d{8}", answer)
    assert "14:00" not in answer  # no slots offered for a day that is not bookable
    assert "Reply with the number of the slot" not in answer  # never an empty list to pick from


def test_script_string_in_a_complaint_is_stored_as_text(stack: Stack) -> None:
    sender = "bad-input-complaint"
    script = ["I want to file a complaint", "1", "<script>alert('x')</script> tea house", "yesterday",
              "200 yuan", "<img src=x onerror=alert(1)> charged 200 for a 50 yuan tea", "13835180668", "yes"]  # fmt: skip
    reply = ""
    for message in script:
        reply = say(stack, sender, message)
    assert re.search(r"TS-\d{8}-\d+", reply), reply
    with sqlite3.connect(stack.log_dir / "platform.db") as db:
        descriptions = [row[0] for row in db.execute("SELECT description FROM complaint")]
    assert any("onerror" in text for text in descriptions)
