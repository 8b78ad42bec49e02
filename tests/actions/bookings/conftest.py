"""Fixtures of the booking action tests (see kit.py)."""

from tests.actions.bookings.kit import api, http, platform_app

__all__ = ["api", "http", "platform_app"]
