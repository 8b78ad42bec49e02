"""Booking and payment settings (``PLATFORM_BOOKING_*``), read once per process.

The platform's :class:`~platform_api.core.config.Settings` holds the secrets and URLs shared with
other parts (``payment_sandbox_secret``, ``public_base_url``, ``partner_keys``); the knobs that only
bookings use live here. The app keeps one instance in ``app.state.booking_settings`` (tests set
their own).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class BookingSettings(BaseSettings):
    """Hold expiry, the background sweep and the sandbox notification retries."""

    model_config = SettingsConfigDict(
        env_prefix="PLATFORM_BOOKING_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    hold_minutes: float = Field(default=15.0, gt=0, le=24 * 60)
    """``PLATFORM_BOOKING_HOLD_MINUTES``: how long an unpaid hold keeps its places."""
    sweep_seconds: float = Field(default=30.0, ge=0)
    """``PLATFORM_BOOKING_SWEEP_SECONDS``: period of the expiry / notify-retry sweep (0 = off)."""
    notify_retry_seconds: list[float] = [2.0, 5.0, 15.0, 30.0, 60.0, 180.0, 600.0]
    """Delays before each re-delivery of an unacknowledged sandbox notification."""
    max_tickets: int = Field(default=10, ge=1, le=100)
    """Most tickets (or hotel guests) in one booking."""


@lru_cache(maxsize=1)
def get_booking_settings() -> BookingSettings:
    """The process-wide booking settings."""
    return BookingSettings()
