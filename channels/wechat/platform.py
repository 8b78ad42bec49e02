"""The platform API as the Rasa-side channels see it: over HTTP, never its internals.

Venue names (``GET /api/kb/entries/{id}``), nearby attractions (``GET /api/places/nearby``), a
tourist's erasure (``POST /api/privacy/erase``, bot token) and guide-device key checks
(``POST /api/devices/verify``, bot token).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

from common.logsafe import event

logger = logging.getLogger(__name__)
TIMEOUT_S = 3.0


class PlatformUnavailable(Exception):
    """The platform did not answer (or answered with an unexpected status)."""


class PlatformClient:
    """Small async client for the routes the channels use."""

    def __init__(self, base_url: str, token: str = "", erase_path: str = "/api/privacy/erase"):
        """``base_url`` e.g. ``http://127.0.0.1:8000``; ``token`` the platform's bot token."""
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.erase_path = erase_path
        self._session: aiohttp.ClientSession | None = None

    @property
    def configured(self) -> bool:
        """True when a base URL is set."""
        return bool(self.base_url)

    async def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S))
        return self._session

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    async def _request(
        self, method: str, path: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> tuple[int, Any]:
        if not self.configured:
            raise PlatformUnavailable("no platform URL configured")
        http = await self._http()
        try:
            async with http.request(
                method, self.base_url + path, headers=self._headers(), **kwargs
            ) as response:
                data = await response.json(content_type=None) if response.status != 204 else None
                status = response.status
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            raise PlatformUnavailable(type(error).__name__) from None
        if status not in ok:
            raise PlatformUnavailable(f"HTTP {status}")
        return status, data

    async def venue_name(self, venue_id: str, lang: str) -> str | None:
        """The venue's name in ``lang`` (``None`` when the knowledge base has no such entry)."""
        try:
            status, data = await self._request("GET", f"/api/kb/entries/{venue_id}", ok=(200, 404))
        except PlatformUnavailable:
            return None
        if status == 404 or not isinstance(data, dict):
            return None
        names = data.get("names") or {}
        return str(names.get(lang) or names.get("en") or names.get("zh") or venue_id)

    async def nearby(self, lat: float, lon: float, lang: str, k: int = 5) -> list[dict[str, Any]]:
        """Attractions near (lat, lon), closest first (``PlatformUnavailable`` when unreachable)."""
        _, data = await self._request(
            "GET", "/api/places/nearby", params={"lat": lat, "lon": lon, "lang": lang, "k": k}
        )
        results = data.get("results") if isinstance(data, dict) else None
        return [r for r in results or [] if isinstance(r, dict)]

    async def erase(self, user_id: str) -> bool:
        """Ask the platform to erase the tourist's data; True when it did."""
        if not self.erase_path:
            return False
        try:
            await self._request("POST", self.erase_path, json={"user_id": user_id})
        except PlatformUnavailable as error:
            logger.error(event("platform.erase.failed", error=str(error)))
            return False
        return True

    async def verify_device(self, api_key: str) -> dict[str, Any] | None:
        """The device profile for ``api_key`` or ``None`` (unknown or revoked key)."""
        status, data = await self._request(
            "POST", "/api/devices/verify", json={"api_key": api_key}, ok=(200, 404)
        )
        return data if status == 200 and isinstance(data, dict) else None

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        await asyncio.sleep(0)
