"""The web widget's conversation ids: derived from a secret only the tourist's browser holds.

The widget keeps 32 random bytes (64 hex digits) in localStorage and sends them when it opens its
socket; the socket.io channel and the platform's staff-reply route derive the Rasa sender id from
them. A sender id (visible to staff, stored with bookings and complaints) therefore never lets
anyone join the conversation's socket room or read its staff replies. ``widget/src/session.ts``
computes the same id in the browser. Standard library only: both environments import it.
"""

from __future__ import annotations

import hashlib
import re

SECRET_PATTERN = re.compile(r"^[0-9a-f]{64}$")
SENDER_PREFIX = "web-"


def is_widget_secret(value: object) -> bool:
    """True for 64 lower-case hex digits (what the widget generates)."""
    return isinstance(value, str) and bool(SECRET_PATTERN.match(value))


def sender_id_for(secret: str) -> str:
    """``web-`` + the first 32 hex digits of SHA-256("tianfu-widget-session:" + secret)."""
    if not is_widget_secret(secret):
        raise ValueError("a widget secret is 64 lower-case hex digits")
    digest = hashlib.sha256(f"tianfu-widget-session:{secret}".encode()).hexdigest()
    return SENDER_PREFIX + digest[:32]
