"""Payment routes: the sandbox notification endpoint, the sandbox pay page, order query.

* ``POST /api/payments/sandbox/notify`` — JSON ``{"reference", "amount_fen", "transaction_id",
  "paid_at"}`` with ``X-Sandbox-Signature`` (hex HMAC-SHA256 of the raw body). 200
  ``{"result": outcome}`` once applied or absorbed (see :mod:`platform_api.payments.service`);
  401 ``bad_signature``, 422 ``bad_notification``, 404 ``unknown_booking``, 409
  ``amount_mismatch`` change nothing.
* ``GET /api/payments/sandbox/pay/{reference}?t=…`` — the pay page (HTML, "SANDBOX — no real money");
  ``POST`` the same URL = the "pay" button: the order is paid at the sandbox and its signed
  notification is sent to ``public_base_url`` at once, re-sent by the sweep until acknowledged.
  Refusals (bad link 403, paid/closed/expired order 409) are HTML pages too, with
  ``<h1 id="error" data-code="…">``.
* ``GET /api/payments/orders/{reference}`` (service token) — the provider's order state (query);
  503 ``payment_unavailable`` when a remote provider does not answer.

With a remote provider (``PLATFORM_PAYMENT_PROVIDER_URL``) the pay pages are the provider's own
and these two answer 404 ``pay_elsewhere``.
"""

from __future__ import annotations

import hmac
import html
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from platform_api.api.deps import CurrentBot, SessionDep
from platform_api.bookings.deps import (
    ContextDep,
    NowDep,
    app_clock,
    app_context,
    app_payment_http,
    app_provider,
)
from platform_api.bookings.errors import ApiError, StructuredErrorRoute
from platform_api.bookings.schemas import REFERENCE_PATTERN
from platform_api.bookings.service import get_booking
from platform_api.payments.sandbox import PAY_PATH, SIGNATURE_HEADER, SandboxProvider
from platform_api.payments.service import apply_notification

router = APIRouter(tags=["payments"], route_class=StructuredErrorRoute)
ReferencePath = Annotated[str, Path(pattern=REFERENCE_PATTERN, max_length=32)]
MAX_NOTIFY_BYTES = 4096


@router.post("/api/payments/sandbox/notify")
async def sandbox_notify(
    request: Request,
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER, max_length=128)] = None,
) -> dict[str, str]:
    """The sandbox provider's asynchronous "paid" notification (signed raw body)."""
    raw = await request.body()
    if len(raw) > MAX_NOTIFY_BYTES:
        raise ApiError(413, "too_large", "notification body too large")
    app = request.app
    provider = app_provider(app)
    note = provider.verify_notification(raw, signature)

    def apply() -> str:
        with app.state.session_factory() as session:
            return apply_notification(session, app_context(app), note, app_clock(app)())

    return {"result": await run_in_threadpool(apply)}


def _in_process(request: Request) -> SandboxProvider:
    """The in-process sandbox; 404 when the provider is remote (its own server has the page)."""
    provider = app_provider(request.app)
    if not isinstance(provider, SandboxProvider):
        raise ApiError(404, "pay_elsewhere", "this platform's provider has its own pay page")
    return provider


def _check_token(request: Request, reference: str, token: str) -> None:
    expected = _in_process(request).page_token(reference)
    # bytes: compare_digest refuses non-ASCII str, and a link may carry anything
    if not hmac.compare_digest(expected.encode(), token.encode()):
        raise ApiError(403, "bad_pay_link", "this payment link is not valid")


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        status_code=status_code,
        content=(
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif;"
            "max-width:32em;margin:2em auto'>"
            "<p style='background:#fe8;padding:.5em'>SANDBOX — no real money moves. "
            "沙箱支付，不产生真实扣款。</p>"
            f"{body}</body></html>"
        ),
    )


def _error_page(error: ApiError) -> HTMLResponse:
    """A tourist-facing page for a refused payment, with the same status and error code."""
    return _page(
        "Payment",
        f"<h1 id='error' data-code='{html.escape(error.code)}'>{html.escape(error.message)}</h1>"
        "<p>无法支付：请回到对话查看预订状态。Please go back to the chat to check your booking.</p>",
        status_code=error.status_code,
    )


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


@router.get("/api/payments/sandbox/pay/{reference}", response_class=HTMLResponse)
def pay_page(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    reference: ReferencePath,
    t: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """The page a tourist opens from ``pay_url``: amount, reference and a "pay" button."""
    try:
        _check_token(request, reference, t)
        booking = get_booking(session, ctx, reference, now)
    except ApiError as error:
        return _error_page(error)
    ref, amount = html.escape(booking.reference), _yuan(booking.amount_fen)
    if booking.status.value != "held":
        return _page(
            "Payment",
            f"<h1>{ref}</h1><p>This booking is {booking.status.value}; nothing to pay. "
            f"预订状态：{booking.status.value}。</p>",
        )
    action = html.escape(f"{PAY_PATH}/{booking.reference}?t={t}")
    return _page(
        "Pay",
        f"<h1>{ref}</h1><p>Amount 金额: <strong id='amount'>{amount}</strong></p>"
        f"<p>Pay before 请在此前支付: {html.escape(booking.expires_at.isoformat())} (UTC)</p>"
        f"<form method='post' action='{action}'>"
        "<button type='submit' id='pay' name='pay' value='1'>Pay 支付</button></form>",
    )


@router.post("/api/payments/sandbox/pay/{reference}", response_class=HTMLResponse)
def pay(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    now: NowDep,
    reference: ReferencePath,
    t: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """The "pay" button: the sandbox takes the money and notifies the platform (signed)."""
    try:
        _check_token(request, reference, t)
        provider = _in_process(request)
        order = provider.pay(session, reference, now)
    except ApiError as error:
        return _error_page(error)
    acknowledged = provider.deliver(
        session, order, app_payment_http(request.app), ctx.settings.notify_retry_seconds, now
    )
    booking = get_booking(session, ctx, reference, now)
    ref = html.escape(reference)
    if acknowledged and booking.status.value == "confirmed":
        return _page(
            "Paid",
            f"<h1 id='result'>Paid — booking {ref} is confirmed.</h1><p>支付成功，预订已确认。</p>",
        )
    return _page(
        "Paid",
        f"<h1 id='result'>Paid — waiting for confirmation of {ref}.</h1>"
        "<p>已付款，正在等待确认；确认后会通知您。</p>",
        status_code=202,
    )


@router.get("/api/payments/orders/{reference}", dependencies=[CurrentBot])
def query_order(session: SessionDep, ctx: ContextDep, reference: ReferencePath) -> dict[str, Any]:
    """The provider's view of the order (status, transaction, refunds) — for reconciliation."""
    state = ctx.provider.query(session, reference)
    if state is None:
        raise ApiError(404, "unknown_order", "no such order")
    return {
        "reference": state.reference,
        "status": state.status,
        "amount_fen": state.amount_fen,
        "transaction_id": state.transaction_id,
        "refunded_fen": state.refunded_fen,
    }
