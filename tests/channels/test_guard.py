"""``channels.guard``: request bodies and message lengths, checked before the assistant."""

from __future__ import annotations

import json
import time

import pytest

from channels.guard import BadRequest, GuardSettings, Verdict, check_text, parse_body

pytestmark = pytest.mark.security
SETTINGS = GuardSettings(max_message_chars=20, max_body_bytes=10_000)


def body(data: object) -> bytes:
    return json.dumps(data).encode("utf-8")


def test_guard_parses_a_well_formed_message() -> None:
    message = parse_body(
        body({"sender": "t1", "message": "你好", "metadata": {"a": 1}, "input_channel": "web"}),
        SETTINGS,
    )

    assert (message.sender_id, message.text, message.input_channel) == ("t1", "你好", "web")
    assert message.metadata == {"a": 1}


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"", "JSON object"),
        (b"not json", "JSON object"),
        (b"\xff\xfe", "JSON object"),
        (body([1, 2]), "JSON object"),
        (body("hello"), "JSON object"),
        (body(None), "JSON object"),
        (body({"message": "hi"}), "'sender'"),
        (body({"sender": "", "message": "hi"}), "'sender'"),
        (body({"sender": 42, "message": "hi"}), "'sender'"),
        (body({"sender": "x" * 129, "message": "hi"}), "'sender'"),
        (body({"sender": "t1"}), "'message'"),
        (body({"sender": "t1", "message": 5}), "'message'"),
        (body({"sender": "t1", "message": ["hi"]}), "'message'"),
        (body({"sender": "t1", "message": "hi", "metadata": [1]}), "'metadata'"),
        (body({"sender": "t1", "message": "hi", "input_channel": "Bad Name!"}), "'input_channel'"),
    ],
)
def test_guard_malformed_body_is_a_400_naming_the_problem(raw: bytes, detail: str) -> None:
    with pytest.raises(BadRequest) as raised:
        parse_body(raw, SETTINGS)

    assert raised.value.status == 400
    assert detail in raised.value.detail


def test_guard_oversized_body_is_a_413_before_parsing() -> None:
    with pytest.raises(BadRequest) as raised:
        parse_body(b"{" + b" " * 10_001 + b"}", SETTINGS)

    assert raised.value.status == 413


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("九寨沟门票多少钱", Verdict.PASS),
        ("x" * 20, Verdict.PASS),
        ("x" * 21, Verdict.TOO_LONG),
        (" " * 500, Verdict.TOO_LONG),
        ("", Verdict.EMPTY),
        ("  \n\t\u3000 ", Verdict.EMPTY),
    ],
)
def test_guard_check_text(text: str, verdict: Verdict) -> None:
    assert check_text(text, SETTINGS) is verdict


def test_guard_a_100_kb_message_is_checked_in_milliseconds() -> None:
    raw = body({"sender": "t1", "message": "熊猫" * 50_000})
    started = time.process_time()

    message = parse_body(raw, GuardSettings())
    verdict = check_text(message.text, GuardSettings())

    assert verdict is Verdict.TOO_LONG
    assert time.process_time() - started < 0.1


def test_guard_settings_from_credentials() -> None:
    settings = GuardSettings.from_credentials({"max_message_chars": "300", "detect_chars": 100})

    assert settings == GuardSettings(max_message_chars=300, detect_chars=100)
    assert GuardSettings.from_credentials(None) == GuardSettings()
    with pytest.raises(ValueError):
        GuardSettings.from_credentials({"max_message_chars": 0})
