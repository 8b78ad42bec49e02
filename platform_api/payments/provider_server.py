"""The sandbox payment provider as its own server (the API :mod:`.remote` talks to).

It keeps its orders in its own database (the ``sandbox_order`` table plus a table of refund
numbers already honoured), serves the tourist's pay page and sends the signed "paid"
notification to the platform, re-sent every second until acknowledged. No money moves.

Faults can be switched on to rehearse a provider outage (:class:`Faults`, or
``POST /_sandbox/faults`` with the same fields): ``error`` answers 503 without doing anything,
``hang`` waits ``hang_seconds`` before doing the work (the caller has usually given up by then,
as with a real timeout), ``drop_notifications`` takes payments but never notifies.

    python -m platform_api.payments.provider_server --port 8090 \
        --platform-url http://127.0.0.1:8000 --db sqlite:////tmp/sandbox-provider.db

The shared secret is ``PLATFORM_PAYMENT_SANDBOX_SECRET`` (the same as the platform's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hmac
import html
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, Header, HTTPException, Query
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from common.logsafe import event
from platform_api.bookings.errors import ApiError
from platform_api.models import utcnow
from platform_api.payments.models import SandboxOrder
from platform_api.payments.remote import api_key
from platform_api.payments.sandbox import SandboxProvider, redeliver_due

logger = logging.getLogger("platform_api.payments.provider_server")

ENDPOINTS = frozenset({"create", "query", "refund", "close", "pay"})
RETRY_SECONDS = [1.0, 2.0, 5.0, 10.0, 30.0]
_refund_numbers = MetaData()
refund_numbers = Table(
    "sandbox_refund_number",
    _refund_numbers,
    Column("refund_no", String(64), primary_key=True),
    Column("reference", String(32), nullable=False),
    Column("amount_fen", Integer, nullable=False),
)


@dataclass
class Faults:
    """What the provider does wrong now (tests and rehearsals change it while it runs)."""

    mode: str = "ok"
    """``ok``, ``error`` (503, nothing done) or ``hang`` (answer after ``hang_seconds``)."""
    hang_seconds: float = 10.0
    endpoints: frozenset[str] = ENDPOINTS
    """Which API calls the mode applies to (``create``, ``query``, ``refund``, ``close``, ``pay``)."""
    drop_notifications: bool = False
    calls: Counter[str] = field(default_factory=Counter)
    """API calls received, by endpoint (also the failed ones)."""

    def apply(self, endpoint: str) -> None:
        """Count the call, then fail or stall it as configured."""
        self.calls[endpoint] += 1
        if self.mode == "ok" or endpoint not in self.endpoints:
            return
        if self.mode == "error":
            raise HTTPException(503, "sandbox fault: provider unavailable")
        if self.mode == "hang":
            time.sleep(self.hang_seconds)


class FaultsBody(BaseModel):
    """``POST /_sandbox/faults``."""

    mode: str = Field(default="ok", pattern="^(ok|error|hang)$")
    hang_seconds: float = Field(default=10.0, ge=0, le=120)
    endpoints: list[str] | None = None
    drop_notifications: bool = False


class OrderBody(BaseModel):
    reference: str = Field(max_length=32)
    amount_fen: int = Field(ge=0)
    description: str = Field(default="", max_length=200)
    time_expire: dt.datetime


class RefundBody(BaseModel):
    refund_no: str = Field(max_length=64)
    transaction_id: str = Field(max_length=64)
    amount_fen: int = Field(gt=0)


def _state(order: SandboxOrder) -> dict[str, Any]:
    return {
        "reference": order.out_trade_no,
        "status": order.status,
        "amount_fen": order.amount_fen,
        "transaction_id": order.transaction_id,
        "refunded_fen": order.refunded_fen,
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
    }


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        status_code=status_code,
        content=(
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title></head><body>"
            "<p>SANDBOX — no real money moves. 沙箱支付，不产生真实扣款。</p>"
            f"{body}</body></html>"
        ),
    )


def create_provider_app(
    secret: bytes,
    platform_url: str,
    database_url: str = "sqlite://",
    *,
    faults: Faults | None = None,
    notify_client: httpx.Client | None = None,
    redeliver_every_s: float = 1.0,
) -> FastAPI:
    """The provider's app; ``app.state.faults`` is its :class:`Faults`."""
    memory = database_url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        database_url,
        connect_args={"check_same_thread": False} if database_url.startswith("sqlite") else {},
        poolclass=StaticPool if memory else None,
    )
    SandboxOrder.__table__.create(engine, checkfirst=True)  # type: ignore[attr-defined]
    _refund_numbers.create_all(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    provider = SandboxProvider(secret, platform_url)
    http = notify_client or httpx.Client(timeout=5.0)
    lock = threading.Lock()  # one writer at a time (SQLite; the sandbox is not a load target)
    key = api_key(secret)
    app = FastAPI(title="Sandbox payment provider", docs_url=None, redoc_url=None)
    app.state.faults = faults or Faults()
    app.state.engine = engine
    stop = threading.Event()

    def fault(endpoint: str, presented: str | None) -> None:
        if not hmac.compare_digest(key.encode(), (presented or "").encode()):
            raise HTTPException(401, "bad key")
        app.state.faults.apply(endpoint)

    def db() -> Session:
        return sessions()

    @app.post("/v1/orders")
    def create(
        body: OrderBody, x_sandbox_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        fault("create", x_sandbox_key)
        with lock, db() as session:
            existing = session.get(SandboxOrder, body.reference)
            if existing is not None:  # a retried create: the same order, or a conflict
                same = existing.amount_fen == body.amount_fen
                return JSONResponse(_state(existing), status_code=200 if same else 409)
            provider.create_order(
                session,
                reference=body.reference,
                amount_fen=body.amount_fen,
                description=body.description,
                time_expire=body.time_expire,
            )
            session.commit()
            order = session.get(SandboxOrder, body.reference)
            assert order is not None
            return JSONResponse(_state(order), status_code=201)

    @app.get("/v1/orders/{reference}")
    def query(reference: str, x_sandbox_key: Annotated[str | None, Header()] = None) -> Any:
        fault("query", x_sandbox_key)
        with lock, db() as session:
            order = session.get(SandboxOrder, reference)
            if order is None:
                return JSONResponse({"detail": "no such order"}, status_code=404)
            return _state(order)

    @app.post("/v1/orders/{reference}/refunds")
    def refund(
        reference: str, body: RefundBody, x_sandbox_key: Annotated[str | None, Header()] = None
    ) -> Any:
        fault("refund", x_sandbox_key)
        with lock, db() as session:
            order = session.get(SandboxOrder, reference)
            if order is None or order.transaction_id is None:
                return JSONResponse({"detail": "no paid order"}, status_code=404)
            seen = session.execute(
                select(refund_numbers).where(refund_numbers.c.refund_no == body.refund_no)
            ).first()
            if seen is not None:
                return {"refund_no": body.refund_no, "duplicate": True, **_state(order)}
            provider.refund(
                session,
                reference=reference,
                transaction_id=body.transaction_id,
                amount_fen=body.amount_fen,
                refund_no=body.refund_no,
            )
            session.execute(
                insert(refund_numbers).values(
                    refund_no=body.refund_no, reference=reference, amount_fen=body.amount_fen
                )
            )
            session.commit()
            return {"refund_no": body.refund_no, "duplicate": False, **_state(order)}

    @app.post("/v1/orders/{reference}/close")
    def close(reference: str, x_sandbox_key: Annotated[str | None, Header()] = None) -> Any:
        fault("close", x_sandbox_key)
        with lock, db() as session:
            provider.close_order(session, reference)
            session.commit()
            order = session.get(SandboxOrder, reference)
            return _state(order) if order else JSONResponse({}, status_code=404)

    def _check_link(reference: str, token: str) -> None:
        if not hmac.compare_digest(provider.page_token(reference).encode(), token.encode()):
            raise ApiError(403, "bad_pay_link", "this payment link is not valid")

    @app.get("/pay/{reference}", response_class=HTMLResponse)
    def pay_page(reference: str, t: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
        with lock, db() as session:
            order = session.get(SandboxOrder, reference)
            try:
                _check_link(reference, t)
                if order is None:
                    raise ApiError(404, "unknown_order", "no such order")
            except ApiError as error:
                return _page("Payment", f"<h1 id='error'>{html.escape(error.message)}</h1>", 403)
            amount = f"¥{order.amount_fen // 100}.{order.amount_fen % 100:02d}"
            return _page(
                "Pay",
                f"<h1>{html.escape(reference)}</h1><p id='amount'>{amount}</p>"
                f"<p id='status'>{html.escape(order.status)}</p>"
                f"<form method='post'><button id='pay' type='submit'>Pay 支付</button></form>",
            )

    @app.post("/pay/{reference}", response_class=HTMLResponse)
    def pay(reference: str, t: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
        app.state.faults.apply("pay")
        with lock, db() as session:
            try:
                _check_link(reference, t)
                order = provider.pay(session, reference, utcnow())
            except ApiError as error:
                code = html.escape(error.code)
                return _page(
                    "Payment",
                    f"<h1 id='error' data-code='{code}'>{html.escape(error.message)}</h1>",
                    error.status_code,
                )
            if app.state.faults.drop_notifications:
                order.next_notify_at = None  # never delivered, never retried
                session.commit()
                logger.info(event("sandbox.notify_dropped", reference=reference))
                return _page("Paid", f"<h1 id='result'>Paid {html.escape(reference)}</h1>", 202)
            acknowledged = provider.deliver(session, order, http, RETRY_SECONDS, utcnow())
        status = 200 if acknowledged else 202
        return _page("Paid", f"<h1 id='result'>Paid {html.escape(reference)}</h1>", status)

    @app.post("/_sandbox/faults")
    def set_faults(body: FaultsBody, x_sandbox_key: Annotated[str | None, Header()] = None) -> Any:
        if not hmac.compare_digest(key.encode(), (x_sandbox_key or "").encode()):
            raise HTTPException(401, "bad key")
        faults_now: Faults = app.state.faults
        faults_now.mode, faults_now.hang_seconds = body.mode, body.hang_seconds
        faults_now.endpoints = frozenset(body.endpoints) if body.endpoints else ENDPOINTS
        faults_now.drop_notifications = body.drop_notifications
        return {"mode": body.mode, "calls": dict(faults_now.calls)}

    def redeliver_loop() -> None:
        while not stop.wait(redeliver_every_s):
            if app.state.faults.drop_notifications:
                continue
            try:
                with lock, db() as session:
                    redeliver_due(session, provider, http, RETRY_SECONDS, utcnow())
            except Exception:  # noqa: BLE001 - the loop outlives one bad round
                logger.exception("sandbox redelivery failed")

    @app.on_event("startup")
    def start_redelivery() -> None:
        if redeliver_every_s > 0:
            threading.Thread(target=redeliver_loop, name="sandbox-notify", daemon=True).start()

    @app.on_event("shutdown")
    def stop_redelivery() -> None:
        stop.set()

    return app


def main() -> None:  # pragma: no cover - a command-line entry point
    """Serve the sandbox provider (see the module docstring)."""
    import uvicorn

    from platform_api.core.config import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--platform-url", default="http://127.0.0.1:8000")
    parser.add_argument("--db", default="sqlite://")
    args = parser.parse_args()
    secret = get_settings().payment_sandbox_secret
    if secret is None:
        raise SystemExit("PLATFORM_PAYMENT_SANDBOX_SECRET must be set (shared with the platform)")
    app = create_provider_app(secret.get_secret_value().encode(), args.platform_url, args.db)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    main()
