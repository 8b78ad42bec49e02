"""The sandbox payment provider: behaves like a real one, with no money moving.

* ``create_order`` opens a ``sandbox_order`` (``NOTPAY``) with its ``time_expire``.
* ``pay_url`` is a page the platform serves (:mod:`platform_api.payments.routes`); the link carries
  an HMAC of the reference, so references cannot be guessed into pay pages.
* Pressing "pay" marks the order ``SUCCESS`` with a new transaction id and sends the notification:
  ``POST <public_base_url>/api/payments/sandbox/notify`` with the JSON body
  ``{"reference", "amount_fen", "transaction_id", "paid_at"}`` and ``X-Sandbox-Signature`` = hex
  HMAC-SHA256 of the raw body with ``PLATFORM_PAYMENT_SANDBOX_SECRET``. Anything but a 2xx answer
  is retried later (``BookingSettings.notify_retry_seconds``) by the sweep, as providers retry.
* ``refund`` and ``close_order`` change the order as a provider would; ``query`` reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Sequence
from typing import Any, cast

import httpx
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from common.logsafe import event
from platform_api.bookings.errors import ApiError
from platform_api.models import utcnow
from platform_api.payments.models import SandboxOrder
from platform_api.payments.provider import OrderState, PaymentNotification

logger = logging.getLogger("platform_api.payments")

NOTIFY_PATH = "/api/payments/sandbox/notify"
PAY_PATH = "/api/payments/sandbox/pay"
SIGNATURE_HEADER = "X-Sandbox-Signature"
_REFERENCE = re.compile(r"(BK|HB)-\d{8}-\d{4,20}")
_TRANSACTION = re.compile(r"[0-9A-Za-z_\-|*]{1,64}")
"""Transaction ids as WeChat Pay allows them (letters, digits and ``_-|*``)."""


def sign(secret: bytes, raw_body: bytes) -> str:
    """Hex HMAC-SHA256 of ``raw_body``."""
    return hmac.new(secret, raw_body, hashlib.sha256).hexdigest()


def _parse_time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("paid_at must be an ISO 8601 string")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class SandboxProvider:
    """The sandbox provider (see the module docstring)."""

    name = "sandbox"

    def __init__(self, secret: bytes, public_base_url: str) -> None:
        self.secret = secret
        self.public_base_url = public_base_url.rstrip("/")

    # -- orders ---------------------------------------------------------------------------------
    def create_order(
        self,
        session: Session,
        *,
        reference: str,
        amount_fen: int,
        description: str,
        time_expire: dt.datetime,
    ) -> None:
        """Open an unpaid order (added to the caller's transaction)."""
        session.add(
            SandboxOrder(
                out_trade_no=reference,
                amount_fen=amount_fen,
                description=description[:200],
                status="NOTPAY",
                time_expire=time_expire,
                notify_url=self.public_base_url + NOTIFY_PATH,
            )
        )

    def page_token(self, reference: str) -> str:
        """The pay link's token: an HMAC of the reference (32 hex digits)."""
        return sign(self.secret, b"pay-page:" + reference.encode("utf-8"))[:32]

    def pay_url(self, reference: str) -> str:
        """``<public_base_url>/api/payments/sandbox/pay/<reference>?t=<token>``."""
        return f"{self.public_base_url}{PAY_PATH}/{reference}?t={self.page_token(reference)}"

    def query(self, session: Session, reference: str) -> OrderState | None:
        """The order as the provider sees it."""
        order = session.get(SandboxOrder, reference)
        if order is None:
            return None
        return OrderState(
            reference=order.out_trade_no,
            status=order.status,
            amount_fen=order.amount_fen,
            transaction_id=order.transaction_id,
            refunded_fen=order.refunded_fen,
            paid_at=order.paid_at,
        )

    def refund(
        self,
        session: Session,
        *,
        reference: str,
        transaction_id: str,
        amount_fen: int,
        refund_no: str = "",
    ) -> None:
        """Record a refund on the order (the sandbox refunds at once; a real one notifies later).

        In-process the caller's ``payment_refund`` row, claimed and marked in the same database,
        keeps a ``refund_no`` from being refunded twice; the standalone server checks it itself.
        """
        if amount_fen <= 0:
            return
        order = session.get(SandboxOrder, reference)
        if order is not None:
            order.refunded_fen += amount_fen
            order.status = "REFUND"
        logger.info(
            event("payment.refund", provider=self.name, reference=reference, amount_fen=amount_fen)
        )

    def close_order(self, session: Session, reference: str) -> None:
        """An unpaid order can no longer be paid."""
        order = session.get(SandboxOrder, reference)
        if order is not None and order.status == "NOTPAY":
            order.status = "CLOSED"

    # -- the tourist pays -----------------------------------------------------------------------
    def pay(self, session: Session, reference: str, now: dt.datetime) -> SandboxOrder:
        """The "pay" button: NOTPAY → SUCCESS with a new transaction id, notification queued.

        One conditional UPDATE (``WHERE status = 'NOTPAY' AND time_expire > now``), so two clicks
        never make two payments. ApiError 409 when the order is closed, expired or already paid.
        """
        order = session.get(SandboxOrder, reference)
        if order is None:
            raise ApiError(404, "unknown_order", "no such order")
        transaction_id = "SBX" + secrets.token_hex(12)
        body = json.dumps(
            {
                "reference": order.out_trade_no,
                "amount_fen": order.amount_fen,
                "transaction_id": transaction_id,
                "paid_at": now.isoformat(),
            },
            separators=(",", ":"),
        )
        result = session.execute(
            update(SandboxOrder)
            .where(
                SandboxOrder.out_trade_no == reference,
                SandboxOrder.status == "NOTPAY",
                SandboxOrder.time_expire > now,
            )
            .values(
                status="SUCCESS",
                transaction_id=transaction_id,
                paid_at=now,
                notify_body=body,
                next_notify_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        session.refresh(order)
        if cast(CursorResult[Any], result).rowcount != 1:
            state = "expired" if order.status == "NOTPAY" else order.status.lower()
            raise ApiError(409, "order_not_payable", f"this order cannot be paid ({state})")
        return order

    # -- notifications --------------------------------------------------------------------------
    def verify_notification(self, raw_body: bytes, signature: str | None) -> PaymentNotification:
        """The notification if the HMAC matches the raw body; 401/422 ApiError otherwise."""
        expected = sign(self.secret, raw_body)
        presented = (signature or "").strip().lower().encode("utf-8")  # bytes: any header text
        if not presented or not hmac.compare_digest(expected.encode("ascii"), presented):
            raise ApiError(401, "bad_signature", "the notification signature does not match")
        try:
            data = json.loads(raw_body)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            reference, amount, transaction = (
                data["reference"],
                data["amount_fen"],
                data["transaction_id"],
            )
            if not isinstance(reference, str) or not isinstance(transaction, str):
                raise ValueError("reference and transaction_id must be strings")
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                raise ValueError("amount_fen must be a non-negative integer")
            if not _TRANSACTION.fullmatch(transaction) or not _REFERENCE.fullmatch(reference):
                raise ValueError("bad transaction_id or reference")
            paid_at = _parse_time(data["paid_at"])
        except (ValueError, KeyError, TypeError):
            raise ApiError(
                422,
                "bad_notification",
                "expected JSON with reference, amount_fen (integer fen), transaction_id, paid_at",
            ) from None
        return PaymentNotification(
            reference=reference, amount_fen=amount, transaction_id=transaction, paid_at=paid_at
        )

    def deliver(
        self,
        session: Session,
        order: SandboxOrder,
        client: httpx.Client,
        retry_seconds: Sequence[float],
        now: dt.datetime,
    ) -> bool:
        """POST the order's notification once; on failure schedule the next attempt.

        True when the platform acknowledged it (2xx). After the last retry the order stays
        unacknowledged with no next attempt (a real provider gives up too; ``query`` still works).
        """
        if order.notify_body is None or order.notify_acknowledged:
            return order.notify_acknowledged
        body = order.notify_body.encode("utf-8")
        order.notify_attempts += 1
        try:
            response = client.post(
                order.notify_url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    SIGNATURE_HEADER: sign(self.secret, body),
                },
            )
            acknowledged = 200 <= response.status_code < 300
        except httpx.HTTPError:
            acknowledged = False
        if acknowledged:
            order.notify_acknowledged = True
            order.next_notify_at = None
        else:
            index = order.notify_attempts - 1
            order.next_notify_at = (
                now + dt.timedelta(seconds=retry_seconds[index])
                if index < len(retry_seconds)
                else None
            )
        session.commit()
        logger.info(
            event(
                "payment.notify_sent",
                reference=order.out_trade_no,
                attempt=order.notify_attempts,
                acknowledged=acknowledged,
            )
        )
        return acknowledged


def redeliver_due(
    session: Session,
    provider: SandboxProvider,
    client: httpx.Client,
    retry_seconds: Sequence[float],
    now: dt.datetime | None = None,
) -> int:
    """Send every notification whose next attempt is due; returns how many were acknowledged."""
    now = now or utcnow()
    orders = session.scalars(
        select(SandboxOrder)
        .where(
            SandboxOrder.notify_acknowledged.is_(False),
            SandboxOrder.next_notify_at.is_not(None),
            SandboxOrder.next_notify_at <= now,
        )
        .limit(100)
    ).all()
    return sum(provider.deliver(session, order, client, retry_seconds, now) for order in orders)
