"""Payment-provider settings (``PLATFORM_PAYMENT_*``), read once per app.

Without ``PLATFORM_PAYMENT_PROVIDER_URL`` the sandbox provider runs inside the platform (its
orders in the platform's database, its pay page served by the platform). With it, the platform
talks to a provider over HTTP (:mod:`platform_api.payments.remote`), e.g. the standalone sandbox
provider (``python -m platform_api.payments.provider_server``), and every call is bounded by
``PLATFORM_PAYMENT_PROVIDER_TIMEOUT_SECONDS``. The app keeps one instance in
``app.state.payment_settings`` (tests set their own).
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PaymentSettings(BaseSettings):
    """Where the provider is, how long to wait for it, when to ask it about a silent order."""

    model_config = SettingsConfigDict(
        env_prefix="PLATFORM_PAYMENT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    provider_url: str = ""
    """``PLATFORM_PAYMENT_PROVIDER_URL``: the provider's API base URL (empty: in-process sandbox)."""
    provider_public_url: str = ""
    """``PLATFORM_PAYMENT_PROVIDER_PUBLIC_URL``: the provider as tourists' browsers reach it (pay
    pages; default: ``PLATFORM_PAYMENT_PROVIDER_URL``)."""
    provider_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    """``PLATFORM_PAYMENT_PROVIDER_TIMEOUT_SECONDS``: the longest wait for one provider call; keep
    it below the action server's ``PLATFORM_API_TIMEOUT`` (5 s), so a hold the provider was too slow
    for is rolled back before the action gives up, and the tourist is never told "nothing was
    booked" about a hold that was kept."""
    reconcile_after_seconds: float = Field(default=60.0, ge=0)
    """``PLATFORM_PAYMENT_RECONCILE_AFTER_SECONDS``: a hold this old with no notification is
    queried at the provider by the sweep (a paid order then confirms the booking)."""


@lru_cache(maxsize=1)
def get_payment_settings() -> PaymentSettings:
    """The process-wide payment settings."""
    return PaymentSettings()


def app_payment_settings(app: FastAPI) -> PaymentSettings:
    """``app.state.payment_settings``, from the environment on first use."""
    settings: PaymentSettings | None = getattr(app.state, "payment_settings", None)
    if settings is None:
        settings = get_payment_settings()
        app.state.payment_settings = settings
    return settings
