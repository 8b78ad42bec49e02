"""The in-process sandbox's side of the payment faults: a notification that never gets through is
found by the sweep's order query, and an owed refund is sent once however often it is tried."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from platform_api.bookings.sweeper import sweep_once
from platform_api.payments import refunds
from platform_api.payments.config import PaymentSettings
from platform_api.payments.models import Payment, PaymentRefund, SandboxOrder
from tests.platform_api.bookings.kit import FakeClock
from tests.platform_api.payments.test_notifications import _hold, _status


def _count(app: FastAPI, model: object, *where: object) -> int:
    with app.state.session_factory() as session:
        query = select(func.count()).select_from(model).where(*where)  # type: ignore[arg-type]
        return int(session.scalar(query) or 0)


def test_lost_notification_is_confirmed_by_the_order_query_once(
    api: TestClient, booking_app: FastAPI, clock: FakeClock
) -> None:
    booking_app.state.payment_settings = PaymentSettings(
        _env_file=None,  # type: ignore[call-arg]
        reconcile_after_seconds=60,
    )
    held = _hold(api)
    reference = str(held["reference"])
    # every delivery to the platform fails, and the provider gives up after its retries
    booking_app.state.payment_http = httpx.Client(
        transport=httpx.MockTransport(lambda request: httpx.Response(503))
    )
    assert api.post(str(held["pay_url"])).status_code == 202
    for _ in range(3):
        clock.advance(seconds=5)
        assert sweep_once(booking_app) == (0, 0)
    assert _status(api, reference) == "held"  # too young to be asked about: 15 s old
    clock.advance(seconds=60)
    sweep_once(booking_app)
    assert _status(api, reference) == "confirmed"
    clock.advance(seconds=60)
    sweep_once(booking_app)
    assert _count(booking_app, Payment) == 1
    assert _count(booking_app, PaymentRefund) == 0


def test_owed_refund_is_sent_once(api: TestClient, booking_app: FastAPI, clock: FakeClock) -> None:
    held = _hold(api)
    reference = str(held["reference"])
    assert api.post(str(held["pay_url"])).status_code == 200
    cancelled = api.post(f"/api/bookings/{reference}/cancel")
    assert cancelled.status_code == 200
    assert _count(booking_app, PaymentRefund, PaymentRefund.status == "done") == 1
    refunded = _count(booking_app, SandboxOrder, SandboxOrder.status == "REFUND")
    assert refunded == 1
    with booking_app.state.session_factory() as session:
        row = session.scalars(select(PaymentRefund)).one()
        order = session.get(SandboxOrder, reference)
        assert order is not None and order.refunded_fen == row.amount_fen > 0
        # a second send of the same refund (another process, a retried sweep) does nothing
        assert refunds.send(session, booking_app.state.payment_provider, row.refund_no, clock())
        session.refresh(order)
        assert order.refunded_fen == row.amount_fen and row.attempts == 1
    clock.advance(minutes=30)
    sweep_once(booking_app)
    assert _count(booking_app, PaymentRefund) == 1
