"""Checks of the REST channel's requests, before anything reaches the assistant.

Pure functions (no Rasa import), so they are tested in the application environment and cost
microseconds: the body is parsed at most once and a message is only measured, never parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

DEFAULT_MAX_MESSAGE_CHARS = 300
"""Longer messages get a polite notice: the NLU pipeline needs about a second of CPU for 300 characters."""
DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_DETECT_CHARS = 200
MAX_SENDER_CHARS = 128
_CHANNEL_NAME = re.compile(r"^[a-z][a-z0-9_\-]{0,31}$")


@dataclass(frozen=True)
class GuardSettings:
    """Limits of the guarded REST channel (``credentials.yml``, read once at start)."""

    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    detect_chars: int = DEFAULT_DETECT_CHARS

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> GuardSettings:
        """Settings from the channel's ``credentials.yml`` section; missing keys keep defaults."""
        values = dict(credentials or {})
        settings = cls(
            max_message_chars=int(values.get("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS)),
            max_body_bytes=int(values.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
            detect_chars=int(values.get("detect_chars", DEFAULT_DETECT_CHARS)),
        )
        if min(settings.max_message_chars, settings.max_body_bytes, settings.detect_chars) < 1:
            raise ValueError("rest channel limits must be positive integers")
        return settings


class BadRequest(Exception):
    """The request cannot be a message; ``status`` and ``detail`` go back to the client as JSON."""

    def __init__(self, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class IncomingMessage:
    """A well-formed REST message."""

    sender_id: str
    text: str
    input_channel: str | None = None
    metadata: dict[str, Any] | None = None


class Verdict(Enum):
    """What to do with a well-formed message."""

    PASS = "pass"
    EMPTY = "empty"
    TOO_LONG = "too_long"


def parse_body(body: bytes | None, settings: GuardSettings) -> IncomingMessage:
    """The message of a request body, or :class:`BadRequest` saying what is wrong with it."""
    raw = body or b""
    if len(raw) > settings.max_body_bytes:
        raise BadRequest(f"request body larger than {settings.max_body_bytes} bytes", status=413)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("body must be a JSON object") from None
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest("'sender' must be a non-empty string")
    if len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"'sender' must be at most {MAX_SENDER_CHARS} characters")
    text = data.get("message")
    if not isinstance(text, str):
        raise BadRequest("'message' must be a string")
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be a JSON object")
    channel = data.get("input_channel")
    if channel is not None and not (isinstance(channel, str) and _CHANNEL_NAME.match(channel)):
        raise BadRequest("'input_channel' must be a short lower-case name")
    return IncomingMessage(sender_id=sender, text=text, input_channel=channel, metadata=metadata)


def check_text(text: str, settings: GuardSettings) -> Verdict:
    """Whether ``text`` may go to the assistant (length is checked before anything else)."""
    if len(text) > settings.max_message_chars:
        return Verdict.TOO_LONG
    if not text.strip():
        return Verdict.EMPTY
    return Verdict.PASS
