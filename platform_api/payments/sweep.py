"""The payments' part of the periodic sweep: reconciliation queries and owed refunds."""

from __future__ import annotations

import datetime as dt
import logging

from fastapi import FastAPI

from common.logsafe import event
from platform_api.bookings.deps import app_clock, app_context
from platform_api.payments import refunds
from platform_api.payments.config import app_payment_settings
from platform_api.payments.reconcile import reconcile_due

logger = logging.getLogger("platform_api.payments")


def payments_sweep(app: FastAPI, now: dt.datetime | None = None) -> tuple[int, int]:
    """(bookings confirmed by a provider query, refunds the provider accepted)."""
    ctx = app_context(app)
    now = now or app_clock(app)()
    after = app_payment_settings(app).reconcile_after_seconds
    with app.state.session_factory() as session:
        confirmed = reconcile_due(session, ctx, now, after)
    with app.state.session_factory() as session:
        refunded = refunds.send_due(session, ctx.provider, now)
    if confirmed or refunded:
        logger.info(event("payment.sweep", reconciled=confirmed, refunded=refunded))
    return confirmed, refunded
