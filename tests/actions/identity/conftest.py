"""Fixtures of the identity action tests: the real platform app (see tests/actions/bookings/kit.py)
with the sandbox SMS sender, the one true external boundary, whose texts the tests read."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from platform_api.identity.sms import SandboxSmsSender
from tests.actions.bookings.kit import api, http, platform_app

__all__ = ["api", "http", "platform_app", "sms"]


@pytest.fixture
def sms(platform_app: FastAPI) -> SandboxSmsSender:
    """The platform's SMS sender: keeps the texts instead of sending them."""
    sender = SandboxSmsSender()
    platform_app.state.sms_sender = sender
    return sender
