"""``-m security``: the parsers that read what tourists and partners send, fuzzed with hypothesis.

Each parser gets arbitrary text or bytes (control characters, invalid UTF-8, emoji, huge numbers,
SQL and script strings hypothesis mixes in) and must either return a value of its documented shape
or raise its own documented error, never anything else. Bounded by ``settings(max_examples=...)``;
the counts are written to ``reports/fuzz_parsers.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.bookings import identity, understanding
from actions.complaints import parsing
from channels.guard import BadRequest, GuardSettings, IncomingMessage, parse_body
from channels.wechat.crypto import DecryptError, WeChatCrypto
from channels.wechat.messages import MessageError, parse_inbound

pytestmark = pytest.mark.security
EXAMPLES = 300
TODAY = dt.date(2026, 12, 7)
CASES: Counter[str] = Counter()
REPORT = Path(__file__).resolve().parents[2] / "reports" / "fuzz_parsers.json"
NASTY = st.sampled_from(
    [
        "'; DROP TABLE booking; --",
        "<script>alert(1)</script>",
        "\u202e\u0000\ufeff",
        "🐼" * 50,
        "9" * 400,
        "-1",
        "0",
        "1e309",
        "明天上午 -3 张",
        "9999-12-31",
        "0001-01-01",
    ]
)
TEXT = st.one_of(
    st.text(max_size=400), NASTY, st.builds(lambda a, b: a + b, NASTY, st.text(max_size=50))
)
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=2000), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
)
def test_rest_body_parser_returns_a_message_or_a_400(body: bytes) -> None:
    CASES["channels.guard.parse_body"] += 1
    try:
        message = parse_body(body, GuardSettings())
    except BadRequest as error:
        assert 400 <= error.status < 500
    else:
        assert isinstance(message, IncomingMessage) and isinstance(message.text, str)


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=2000),
        TEXT.map(
            lambda t: f"<xml><MsgType>text</MsgType><Content>{t}</Content></xml>".encode(
                "utf-8", "surrogatepass"
            )
        ),
        st.just(
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<xml><Content>&b;</Content></xml>"
        ),
        st.just(
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>'
        ),
    )
)
def test_wechat_xml_parser_never_expands_entities_or_crashes(body: bytes) -> None:
    CASES["channels.wechat.messages.parse_inbound"] += 1
    try:
        inbound = parse_inbound(body)
    except MessageError:
        return
    text = json.dumps(inbound.__dict__, default=str)
    assert "root:" not in text and "aaaaaaaaaaaaaaaaaaaa" not in text


CRYPTO = WeChatCrypto(
    token="fuzz-token",
    encoding_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    app_id="wx0123456789abcdef",
)


@FUZZ
@given(ciphertext=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.hex())))
def test_wechat_decrypt_refuses_garbage_with_its_own_error(ciphertext: str) -> None:
    CASES["channels.wechat.crypto.decrypt"] += 1
    with pytest.raises(DecryptError):
        CRYPTO.decrypt(ciphertext)


@FUZZ
@given(text=TEXT, lang=st.sampled_from(["zh", "en", "ja", "ko", "fr", "de", "es", "ru"]))
def test_booking_understanding_returns_sane_values(text: str, lang: str) -> None:
    CASES["actions.bookings.understanding"] += 1
    reading = understanding.read_date(text, lang, TODAY)
    day = getattr(reading, "day", None)
    assert day is None or isinstance(day, dt.date)
    counts = understanding.read_ticket_counts(text)
    assert all(isinstance(v, int) and v >= 0 for v in counts.values())
    count = understanding.read_count(text)
    assert count is None or count >= 0
    choice = understanding.read_choice(text, 5)
    assert choice is None or 1 <= choice <= 5 or 0 <= choice < 5


@FUZZ
@given(text=TEXT)
def test_identity_and_phone_readers_never_crash(text: str) -> None:
    CASES["actions.bookings.identity"] += 1
    identity.read_visitor(text)
    phone = identity.read_phone(text)
    assert phone is None or phone.startswith("+")


@FUZZ
@given(text=TEXT)
def test_complaint_parsers_return_sane_values(text: str) -> None:
    CASES["actions.complaints.parsing"] += 1
    amount = parsing.amount_fen(text)
    assert amount is None or amount >= 0
    phone = parsing.phone_e164(text)
    assert phone is None or phone.startswith("+")
    assert parsing.category(text) is None or isinstance(parsing.category(text), str)
    day = parsing.occurred_on(text, [], TODAY)
    assert day is None or isinstance(day, dt.date)
    parsing.reference(text)
    parsing.evidence_urls(text, None)


def test_write_report() -> None:
    """Runs last in this file: how many cases each parser was given."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps({"cases": dict(CASES), "total": sum(CASES.values())}, indent=2) + "\n"
    )
    assert sum(CASES.values()) > 0
