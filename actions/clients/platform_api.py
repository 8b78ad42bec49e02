"""Client of the platform API (``platform_api/``) for the action server.

Configuration is read once from the environment:

* ``PLATFORM_API_URL`` (default ``http://localhost:8000``)
* ``PLATFORM_API_TIMEOUT`` in seconds (default ``5``)
* ``PLATFORM_BOT_API_TOKEN``: bearer token for the bot-only routes (never logged)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import httpx

DEFAULT_URL = "http://localhost:8000"
DEFAULT_TIMEOUT_S = 5.0
MAX_MESSAGE_CHARS = 4000
"""The platform rejects longer ``last_user_message`` values; the client truncates instead."""


@dataclass(frozen=True)
class PlatformApiSettings:
    """Where the platform API lives and how long to wait for it."""

    base_url: str = DEFAULT_URL
    timeout_s: float = DEFAULT_TIMEOUT_S
    bot_token: str = field(default="", repr=False)


@lru_cache(maxsize=1)
def get_platform_api_settings() -> PlatformApiSettings:
    """Settings from the environment, read once per process."""
    timeout_raw = os.environ.get("PLATFORM_API_TIMEOUT", "").strip()
    try:
        timeout_s = float(timeout_raw) if timeout_raw else DEFAULT_TIMEOUT_S
    except ValueError as exc:
        raise ValueError(f"PLATFORM_API_TIMEOUT must be a number of seconds: {exc}") from exc
    return PlatformApiSettings(
        base_url=os.environ.get("PLATFORM_API_URL", "").strip() or DEFAULT_URL,
        timeout_s=timeout_s,
        bot_token=os.environ.get("PLATFORM_BOT_API_TOKEN", "").strip(),
    )


class PlatformApiError(Exception):
    """The platform API could not be reached or refused the request.

    ``status_code`` is the HTTP status, or None for timeouts and connection errors. The message
    names the method, path and status only: no headers, no credentials.
    """

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class PlatformApiClient:
    """Thin async wrapper over the platform's HTTP API.

    Each call opens and closes its own ``httpx.AsyncClient``, so an instance needs no cleanup
    and can be created per action run. Pass ``transport`` (e.g.
    ``httpx.ASGITransport(app=...)``) in tests to talk to the real FastAPI app in-process.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout_s: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        bot_token: str | None = None,
    ) -> None:
        settings = get_platform_api_settings()
        self.base_url = base_url or settings.base_url
        self.timeout_s = timeout_s if timeout_s is not None else settings.timeout_s
        self._transport = transport
        token = bot_token if bot_token is not None else settings.bot_token
        self._auth_headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url,
            timeout=self.timeout_s,
            transport=self._transport,
            headers={"Accept": "application/json", **self._auth_headers},
        )

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            async with self._new_client() as client:
                response = await client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise PlatformApiError(f"{method} {path}: platform API timed out") from exc
        except httpx.HTTPError as exc:
            raise PlatformApiError(
                f"{method} {path}: platform API unreachable ({type(exc).__name__})"
            ) from exc
        if response.is_error:
            raise PlatformApiError(
                f"{method} {path}: platform API answered HTTP {response.status_code}",
                status_code=response.status_code,
            )
        try:
            return response.json()
        except ValueError as exc:
            raise PlatformApiError(
                f"{method} {path}: platform API answered non-JSON",
                status_code=response.status_code,
            ) from exc

    async def create_escalation(
        self,
        *,
        sender_id: str,
        channel: str,
        language: str,
        reason: str,
        last_user_message: str,
    ) -> str:
        """Open a hand-off to human staff; returns its reference (``ESC-YYYYMMDD-NNNN``)."""
        body = await self._request(
            "POST",
            "/api/escalations",
            json={
                "sender_id": sender_id,
                "channel": channel,
                "language": language,
                "reason": reason,
                "last_user_message": last_user_message[:MAX_MESSAGE_CHARS],
            },
        )
        reference = body.get("reference") if isinstance(body, dict) else None
        if not isinstance(reference, str) or not reference:
            raise PlatformApiError("POST /api/escalations: answer has no reference")
        return reference
