"""The periodic sweep: expires unpaid holds and re-sends unacknowledged sandbox notifications.

Runs in a daemon thread for the app's lifetime (the booking router's lifespan) every
``PLATFORM_BOOKING_SWEEP_SECONDS`` (0 turns it off; holds still expire lazily on access).
:func:`sweep_once` is what each round does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from common.logsafe import event
from platform_api.bookings.deps import (
    app_booking_settings,
    app_clock,
    app_context,
    app_payment_http,
    app_provider,
)
from platform_api.bookings.service import expire_due
from platform_api.payments.sandbox import SandboxProvider, redeliver_due
from platform_api.payments.sweep import payments_sweep

logger = logging.getLogger("platform_api.bookings")


def sweep_once(app: FastAPI) -> tuple[int, int]:
    """One round: (holds expired, notifications acknowledged); it also asks the provider about
    silent holds and re-sends owed refunds (:func:`platform_api.payments.sweep.payments_sweep`)."""
    ctx = app_context(app)
    now = app_clock(app)()
    with app.state.session_factory() as session:
        expired = expire_due(session, ctx, now)
    delivered = 0
    provider = app_provider(app)
    if isinstance(provider, SandboxProvider):  # a remote provider re-sends its own
        with app.state.session_factory() as session:
            delivered = redeliver_due(
                session,
                provider,
                app_payment_http(app),
                ctx.settings.notify_retry_seconds,
                now,
            )
    payments_sweep(app, now)
    return expired, delivered


def _run(app: FastAPI, stop: threading.Event, period: float) -> None:
    while not stop.wait(period):
        try:
            expired, delivered = sweep_once(app)
            if expired or delivered:
                logger.info(event("booking.sweep", expired=expired, notified=delivered))
        except Exception:  # noqa: BLE001 - the sweep must survive a database hiccup
            logger.exception("booking sweep failed")


@asynccontextmanager
async def sweeper_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the sweep thread with the app; stop it (and close the notify client) at shutdown."""
    period = app_booking_settings(app).sweep_seconds
    stop = threading.Event()
    thread = None
    if period > 0:
        thread = threading.Thread(
            target=_run, args=(app, stop, period), name="booking-sweeper", daemon=True
        )
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=5)
