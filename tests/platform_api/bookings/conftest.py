"""Fixtures of the booking tests (see kit.py)."""

from tests.platform_api.bookings.kit import api, booking_app, clock, ctx, factory, settings, slot_id

__all__ = ["api", "booking_app", "clock", "ctx", "factory", "settings", "slot_id"]
