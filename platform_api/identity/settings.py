"""Identity settings (``PLATFORM_IDENTITY_*``), read once per process."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IdentitySettings(BaseSettings):
    """How long codes and verified links live, and how often a code may be asked for or tried."""

    model_config = SettingsConfigDict(env_prefix="PLATFORM_IDENTITY_", extra="ignore")

    code_ttl_s: int = Field(default=600, ge=60, le=3600)
    """A code is valid for 10 minutes."""
    max_attempts: int = Field(default=5, ge=1, le=10)
    """Wrong codes before the challenge is spent (a 6-digit code: 5 in 10^6 chances)."""
    resend_interval_s: int = Field(default=60, ge=0, le=3600)
    """A conversation waits this long before asking for another code."""
    max_codes_per_phone_hour: int = Field(default=5, ge=1, le=50)
    """No number gets more SMS than this per hour, whoever asks (no SMS bombing)."""
    link_ttl_s: int = Field(default=86_400, ge=300, le=30 * 86_400)
    """A verified number opens its records to the conversation for a day."""


@lru_cache(maxsize=1)
def get_identity_settings() -> IdentitySettings:
    """The process-wide identity settings (FastAPI dependency; override in tests)."""
    return IdentitySettings()
