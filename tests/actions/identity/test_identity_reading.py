"""Codes and channel names as the identity actions read them."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.identity.reading import channel_of, read_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("482913", "482913"),
        ("my code is 482 913", "482913"),
        ("验证码是４８２９１３", "482913"),
        ("コードは482-913です", "482913"),
        ("13800138000", None),  # a phone number is not a code
        ("12345", None),
        ("no code here", None),
    ],
)
def test_read_code(text: str, code: str | None) -> None:
    assert read_code(text) == code


def _tracker(channel: str | None) -> Tracker:
    events = [{"event": "user", "text": "hi", "input_channel": channel}]
    return Tracker("s", {}, {}, events, False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("channel", "name"),
    [("wechat", "wechat"), ("socketio", "socketio"), (None, "rest"), ("Bad Name!", "rest")],
)
def test_channel_of(channel: str | None, name: str) -> None:
    assert channel_of(_tracker(channel)) == name
