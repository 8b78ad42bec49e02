"""The platform's client of a payment provider reached over HTTP (the standalone sandbox).

Every call is bounded by ``PLATFORM_PAYMENT_PROVIDER_TIMEOUT_SECONDS``. A refused connection, a
5xx or no answer in time raises 503 ``payment_unavailable`` (:func:`provider.unavailable`), which
the callers turn into a consistent state: no hold (``create_order``), a pending refund retried
by the sweep (``refund``), a query asked again next sweep (``query``); closing an unpaid order
is best effort (a payment that still arrives is refunded as late). The provider's API:

* ``POST /v1/orders`` ``{"reference", "amount_fen", "description", "time_expire"}``
* ``GET /v1/orders/{reference}`` → the order (404: none)
* ``POST /v1/orders/{reference}/refunds`` ``{"refund_no", "transaction_id", "amount_fen"}``
  (idempotent per ``refund_no``)
* ``POST /v1/orders/{reference}/close``
* ``GET``/``POST /pay/{reference}?t=…`` — the tourist's pay page (served by the provider)

``create_order`` runs inside the hold's database transaction (as the in-process sandbox does), so
a hold never exists without its order; the row locks (SQLite: the writer lock) are held for at most
the timeout while the provider answers.

Requests carry ``X-Sandbox-Key`` (an HMAC of the shared sandbox secret); notifications come
back signed to ``/api/payments/sandbox/notify`` as from the in-process sandbox.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import httpx
from sqlalchemy.orm import Session

from common.logsafe import event
from platform_api.bookings.errors import ApiError
from platform_api.payments.provider import OrderState, PaymentNotification, unavailable
from platform_api.payments.sandbox import SandboxProvider, sign

logger = logging.getLogger("platform_api.payments")

KEY_HEADER = "X-Sandbox-Key"


def api_key(secret: bytes) -> str:
    """The key the platform presents to the sandbox provider's API."""
    return sign(secret, b"provider-api")[:32]


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class RemoteProvider:
    """:class:`~platform_api.payments.provider.PaymentProvider` over HTTP."""

    name = "sandbox"

    def __init__(
        self,
        secret: bytes,
        base_url: str,
        *,
        public_url: str = "",
        timeout_s: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """``base_url``: the provider's API; ``public_url``: where tourists' browsers reach it."""
        self._local = SandboxProvider(secret, "")  # signatures and pay-link tokens only
        self.base_url = base_url.rstrip("/")
        self.public_url = (public_url or base_url).rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout_s,
            headers={KEY_HEADER: api_key(secret)},
            transport=transport,
        )

    def _call(self, call: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            detail = "timeout"
        except httpx.HTTPError as error:
            detail = type(error).__name__
        else:
            if response.status_code < 500:
                return response
            detail = f"HTTP {response.status_code}"
        logger.warning(event("payment.provider_unavailable", call=call, detail=detail))
        raise unavailable(detail)

    @staticmethod
    def _refused(call: str, response: httpx.Response) -> ApiError:
        logger.error(event("payment.provider_refused", call=call, status=response.status_code))
        return ApiError(502, "payment_refused", "the payment provider refused the request")

    def create_order(
        self,
        session: Session,
        *,
        reference: str,
        amount_fen: int,
        description: str,
        time_expire: dt.datetime,
    ) -> None:
        """Open the order at the provider (raises, so the caller's hold rolls back)."""
        body = {
            "reference": reference,
            "amount_fen": amount_fen,
            "description": description[:200],
            "time_expire": time_expire.isoformat(),
        }
        response = self._call("create_order", "POST", "/v1/orders", json=body)
        if response.status_code not in (200, 201):
            raise self._refused("create_order", response)

    def page_token(self, reference: str) -> str:
        """The pay link's token (the provider checks the same HMAC)."""
        return self._local.page_token(reference)

    def pay_url(self, reference: str) -> str:
        """The provider's pay page for ``reference``."""
        return f"{self.public_url}/pay/{reference}?t={self.page_token(reference)}"

    def verify_notification(self, raw_body: bytes, signature: str | None) -> PaymentNotification:
        """Same signed body as the in-process sandbox's."""
        return self._local.verify_notification(raw_body, signature)

    def query(self, session: Session, reference: str) -> OrderState | None:
        """The provider's order (None when it has none)."""
        response = self._call("query", "GET", f"/v1/orders/{reference}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._refused("query", response)
        data = response.json()
        return OrderState(
            reference=str(data["reference"]),
            status=str(data["status"]),
            amount_fen=int(data["amount_fen"]),
            transaction_id=data.get("transaction_id"),
            refunded_fen=int(data.get("refunded_fen") or 0),
            paid_at=_time(data.get("paid_at")),
        )

    def refund(
        self,
        session: Session,
        *,
        reference: str,
        transaction_id: str,
        amount_fen: int,
        refund_no: str,
    ) -> None:
        """Ask for the refund (idempotent at the provider per ``refund_no``)."""
        if amount_fen <= 0:
            return
        body = {"refund_no": refund_no, "transaction_id": transaction_id, "amount_fen": amount_fen}
        response = self._call("refund", "POST", f"/v1/orders/{reference}/refunds", json=body)
        if response.status_code != 200:
            raise self._refused("refund", response)
        logger.info(
            event("payment.refund", provider=self.name, reference=reference, amount_fen=amount_fen)
        )

    def close_order(self, session: Session, reference: str) -> None:
        """Close an unpaid order; a provider that is down is only logged (a payment that still
        comes is refunded as late by :mod:`platform_api.payments.service`)."""
        try:
            self._call("close_order", "POST", f"/v1/orders/{reference}/close")
        except ApiError:
            pass

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()
