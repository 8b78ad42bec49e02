"""Per-app objects of the booking routers: clock, booking settings, payment provider, HTTP client.

All are created once per app on first use and kept in ``app.state`` (tests may set their own:
``app.state.clock`` to move time, ``app.state.booking_settings`` for short holds,
``app.state.payment_http`` for the transport the sandbox sends notifications with).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Request

from common.logsafe import event
from platform_api.bookings.config import BookingSettings, get_booking_settings
from platform_api.bookings.errors import ApiError
from platform_api.bookings.service import BookingContext
from platform_api.core.config import Settings
from platform_api.models import utcnow
from platform_api.payments.config import app_payment_settings
from platform_api.payments.remote import RemoteProvider
from platform_api.payments.sandbox import SandboxProvider

logger = logging.getLogger("platform_api.bookings")


def app_clock(app: FastAPI) -> Callable[[], dt.datetime]:
    """The app's clock (``utcnow`` unless a test set ``app.state.clock``)."""
    clock: Callable[[], dt.datetime] | None = getattr(app.state, "clock", None)
    return clock or utcnow


def app_booking_settings(app: FastAPI) -> BookingSettings:
    """``app.state.booking_settings``, from the environment on first use."""
    settings: BookingSettings | None = getattr(app.state, "booking_settings", None)
    if settings is None:
        settings = get_booking_settings()
        app.state.booking_settings = settings
    return settings


def app_provider(app: FastAPI) -> SandboxProvider | RemoteProvider:
    """The app's sandbox provider, keyed with ``PLATFORM_PAYMENT_SANDBOX_SECRET``: in-process, or
    over HTTP when ``PLATFORM_PAYMENT_PROVIDER_URL`` is set (:mod:`platform_api.payments.remote`).

    Without that secret a local or CI run gets a random key for this process (its pay pages and
    notifications still work, but only within this process); production answers 503
    ``payments_unavailable`` instead, since other instances could not verify its notifications.
    """
    provider: SandboxProvider | RemoteProvider | None = getattr(app.state, "payment_provider", None)
    if provider is None:
        settings: Settings = app.state.settings
        if settings.payment_sandbox_secret is None and settings.environment == "production":
            raise ApiError(
                503, "payments_unavailable", "payments are not configured on this platform"
            )
        if settings.payment_sandbox_secret is not None:
            secret = settings.payment_sandbox_secret.get_secret_value().encode("utf-8")
        else:
            secret = secrets.token_bytes(32)
            logger.warning(event("payment.sandbox_secret_generated", scope="this process"))
        payment = app_payment_settings(app)
        provider = (
            RemoteProvider(
                secret,
                payment.provider_url,
                public_url=payment.provider_public_url,
                timeout_s=payment.provider_timeout_seconds,
            )
            if payment.provider_url
            else SandboxProvider(secret, settings.public_base_url)
        )
        app.state.payment_provider = provider
    return provider


def app_payment_http(app: FastAPI) -> httpx.Client:
    """The HTTP client the sandbox provider delivers notifications with."""
    client: httpx.Client | None = getattr(app.state, "payment_http", None)
    if client is None:
        client = httpx.Client(timeout=5.0)
        app.state.payment_http = client
    return client


def app_context(app: FastAPI) -> BookingContext:
    """The booking context of ``app``."""
    return BookingContext(provider=app_provider(app), settings=app_booking_settings(app))


def get_context(request: Request) -> BookingContext:
    """FastAPI dependency: the booking context."""
    return app_context(request.app)


def get_now(request: Request) -> dt.datetime:
    """FastAPI dependency: the current time from the app's clock."""
    return app_clock(request.app)()


ContextDep = Annotated[BookingContext, Depends(get_context)]
NowDep = Annotated[dt.datetime, Depends(get_now)]
