"""What the identity actions read from messages and trackers: the texted code, the channel."""

from __future__ import annotations

import re
import unicodedata

from rasa_sdk import Tracker

_CODE = re.compile(r"(?<!\d)(\d{3})[\s\-]?(\d{3})(?!\d)")
_CHANNEL = re.compile(r"^[a-z][a-z0-9_\-]{0,31}$")


def read_code(text: str) -> str | None:
    """The 6-digit code in ``text`` ("123456", "123 456", "验证码１２３４５６"), else None.

    A longer run of digits (a phone number) is not a code.
    """
    match = _CODE.search(unicodedata.normalize("NFKC", text))
    return match.group(1) + match.group(2) if match else None


def channel_of(tracker: Tracker) -> str:
    """The input channel of the latest message, as the platform names channels (``rest`` when
    unknown)."""
    channel = (tracker.get_latest_input_channel() or "").strip().lower()
    return channel if _CHANNEL.fullmatch(channel) else "rest"
