"""``common.logsafe``: no tourist text, query string, phone or ID number reaches a log."""

from __future__ import annotations

import io
import json
import logging

import pytest

from common.logsafe import RedactingFilter, event, pseudonym, redact_message

pytestmark = pytest.mark.security
TEXT = "ZEBRA-7 我想去九寨沟 please"


def emit(record_args: tuple[object, ...], msg: str, exc: BaseException | None = None) -> str:
    """What a handler with the filter writes for one record."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.logsafe")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    if exc is None:
        logger.info(msg, *record_args)
    else:
        try:
            raise exc
        except BaseException:
            logger.exception(msg, *record_args)
    return stream.getvalue()


def test_logsafe_structured_event_loses_user_text_keys() -> None:
    line = json.dumps({"event": "rest.message.received.failure", "text": TEXT, "sender_id": "wx-1"})

    out = emit((), line)

    assert "ZEBRA-7" not in out and "wx-1" not in out
    assert "rest.message.received.failure" in out


def test_logsafe_nested_structured_values_are_redacted() -> None:
    line = json.dumps(
        {"event": "x", "parse_data": {"entities": [{"value": "九寨沟"}], "text": TEXT}}
    )

    assert "ZEBRA-7" not in redact_message(line) and "九寨沟" not in redact_message(line)


def test_logsafe_query_strings_are_dropped_from_urls() -> None:
    out = emit(("http://127.0.0.1:5005/conversations/a/tracker?token=s3cr3t-value&x=1",), "uri: %s")

    assert "s3cr3t-value" not in out
    assert "/conversations/a/tracker?<redacted>" in out


@pytest.mark.parametrize(
    "number", ["13800138000", "+86 138 0013 8000", "028-8765-4321", "51010719900307123X"]
)
def test_logsafe_phone_and_id_numbers_are_masked(number: str) -> None:
    assert number not in emit((number,), "caller %s")


def test_logsafe_escalation_references_and_small_numbers_stay() -> None:
    out = emit(("ESC-20261207-0001", 42), "escalation %s filed in %d ms")

    assert "ESC-20261207-0001" in out and "42" in out


def test_logsafe_traceback_keeps_frames_and_type_but_not_the_message() -> None:
    out = emit((), "failed", ValueError(f"cannot parse {TEXT}"))

    assert "ZEBRA-7" not in out
    assert "ValueError" in out and "test_logsafe.py" in out


def test_logsafe_cjk_runs_are_redacted_from_plain_messages() -> None:
    assert "九寨沟" not in emit((TEXT,), "Received user message '%s'")


def test_logsafe_event_formats_key_value_pairs() -> None:
    assert (
        event("a.b", n=3, lang="zh", note="two words") == 'event=a.b n=3 lang=zh note="two words"'
    )


def test_logsafe_pseudonym_is_stable_salted_and_not_the_id() -> None:
    first = pseudonym("wx-oAbc123")

    assert first == pseudonym("wx-oAbc123") != pseudonym("wx-oAbc124")
    assert "oAbc123" not in first and first.startswith("c-")
    assert pseudonym(None) == "-"
