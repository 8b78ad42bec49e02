"""Client of the platform API (``platform_api/``) for the action server.

The platform is the one knowledge service: the action server never loads the encoder or the
index, it asks ``/api/kb/resolve`` and renders the entries it gets back. One client (one pool of
keep-alive connections) serves the whole process: :func:`get_platform_api_client`.

Configuration is read once from the environment:

* ``PLATFORM_API_URL`` (default ``http://localhost:8000``)
* ``PLATFORM_API_TIMEOUT`` in seconds (default ``5``)
* ``PLATFORM_BOT_API_TOKEN``: bearer token for the bot-only routes (never logged)
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from knowledge_base.schema import Entry, LocalizedText

DEFAULT_URL = "http://localhost:8000"
DEFAULT_TIMEOUT_S = 5.0
MAX_MESSAGE_CHARS = 4000
"""The platform rejects longer ``last_user_message`` values; the client truncates instead."""
MAX_UNANSWERED_CHARS = 1000
"""Longest question wording the platform keeps for content editors."""
MAX_POOL_CONNECTIONS = 64
"""Keep-alive connections to the platform: enough for every concurrent action run."""


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

    def __init__(
        self, message: str, *, status_code: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        """The platform's structured error code (``sold_out``, ``not_found``...), when it gave one."""


def _error_code(response: httpx.Response) -> str | None:
    """``error.code`` of a structured error body, if the answer is one."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code) if code else None


@dataclass(frozen=True)
class KbMatch:
    """One knowledge-base entry the platform resolved, with its score (1.0 when named)."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class KbResolution:
    """How the platform found the entries (``entity``, ``alias``, ``previous``, ``search``,
    ``none``) and the entries, best first.

    ``kind`` is the place decision (``named``, ``carried_over``, ``unknown``, ``topic``,
    ``searched``, ``none``); ``unknown_place`` names the place the knowledge base does not have.
    """

    match: str
    matches: list[KbMatch]
    kind: str = "none"
    unknown_place: str | None = None


class PlatformApiClient:
    """Thin async wrapper over the platform's HTTP API.

    Each instance keeps one ``httpx.AsyncClient`` (a pool of keep-alive connections), opened on
    first use in the running event loop and closed by :meth:`aclose`. Pass ``transport`` (e.g.
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
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeout_s,
                transport=self._transport,
                headers={"Accept": "application/json", **self._auth_headers},
                limits=httpx.Limits(
                    max_connections=MAX_POOL_CONNECTIONS,
                    max_keepalive_connections=MAX_POOL_CONNECTIONS,
                ),
            )
        return self._client

    async def aclose(self) -> None:
        """Close the pooled connections (a later call opens new ones)."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http().request(method, path, **kwargs)
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
                code=_error_code(response),
            )
        try:
            return response.json()
        except ValueError as exc:
            raise PlatformApiError(
                f"{method} {path}: platform API answered non-JSON",
                status_code=response.status_code,
            ) from exc

    async def resolve_knowledge(
        self,
        text: str,
        *,
        lang: str | None,
        entities: Iterable[tuple[str, str]] = (),
        previous: str | None = None,
        follow_previous: bool = True,
        k: int = 1,
    ) -> KbResolution:
        """The entries ``text`` is about (NLU entities, alias, previous entry, else search)."""
        path = "/api/kb/resolve"
        body = await self._request(
            "POST",
            path,
            json={
                "text": text[:MAX_MESSAGE_CHARS],
                "lang": lang,
                "entities": [{"entity": kind, "value": value} for kind, value in entities],
                "previous": previous,
                "follow_previous": follow_previous,
                "k": k,
            },
        )
        try:
            unknown = body.get("unknown_place")
            return KbResolution(
                match=str(body["match"]),
                matches=[
                    KbMatch(entry=Entry.model_validate(item["entry"]), score=float(item["score"]))
                    for item in body["results"]
                ],
                kind=str(body.get("kind") or "none"),
                unknown_place=str(unknown) if unknown else None,
            )
        except (AttributeError, KeyError, TypeError, ValueError, ValidationError) as exc:
            raise PlatformApiError(f"POST {path}: answer is not a resolution") from exc

    async def upcoming_events(
        self, today: dt.date, *, limit: int, exclude: Iterable[str] = ()
    ) -> list[tuple[Entry, dt.date]]:
        """Festivals expected in the coming weeks, soonest first, without ``exclude``."""
        path = "/api/kb/upcoming-events"
        body = await self._request(
            "GET",
            path,
            params={"today": today.isoformat(), "limit": limit, "exclude": list(exclude)},
        )
        try:
            return [
                (Entry.model_validate(item["entry"]), dt.date.fromisoformat(item["date"]))
                for item in body["events"]
            ]
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            raise PlatformApiError(f"GET {path}: answer is not a list of events") from exc

    async def kb_cities(self) -> dict[str, LocalizedText]:
        """The knowledge base's cities by key, with their names in every language."""
        path = "/api/kb/cities"
        body = await self._request("GET", path)
        try:
            return {
                str(key): LocalizedText.model_validate(names)
                for key, names in body["cities"].items()
            }
        except (AttributeError, KeyError, TypeError, ValueError, ValidationError) as exc:
            raise PlatformApiError(f"GET {path}: answer is not a list of cities") from exc

    async def entries_in_city(self, city: str) -> list[Entry]:
        """Every entry (places and events) of the city with key ``city``."""
        path = "/api/kb/entries"
        body = await self._request("GET", path, params={"city": city})
        try:
            return [Entry.model_validate(item) for item in body["entries"]]
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            raise PlatformApiError(f"GET {path}: answer is not a list of entries") from exc

    async def get_entry(self, entry_id: str) -> Entry | None:
        """One entry by id, or None when the knowledge base has no such entry."""
        path = f"/api/kb/entries/{entry_id}"
        try:
            body = await self._request("GET", path)
        except PlatformApiError as error:
            if error.status_code == 404:
                return None
            raise
        try:
            return Entry.model_validate(body)
        except (TypeError, ValueError, ValidationError) as exc:
            raise PlatformApiError(f"GET {path}: answer is not an entry") from exc

    async def log_unanswered(
        self, *, place: str, language: str, question: str, reason: str = "unknown_place"
    ) -> None:
        """File a question the knowledge base cannot answer, for content editors.

        The platform removes phone, ID and passport numbers before storing the wording.
        """
        await self._request(
            "POST",
            "/api/kb/unanswered",
            json={
                "reason": reason,
                "place": place[:200],
                "language": language,
                "question": question[:MAX_UNANSWERED_CHARS],
            },
        )

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

    # ------------------------------------------------------------ bookings (issue 9)
    async def venue_slots(self, venue_id: str, day: dt.date) -> list[dict[str, Any]]:
        """The day's time slots of a venue with what remains (``[]`` when none are released)."""
        path = f"/api/venues/{venue_id}/slots"
        try:
            body = await self._request("GET", path, params={"date": day.isoformat()})
        except PlatformApiError as error:
            if error.status_code == 404:
                return []
            raise
        slots = body.get("slots") if isinstance(body, dict) else None
        if not isinstance(slots, list):
            raise PlatformApiError(f"GET {path}: answer is not a list of slots")
        return [slot for slot in slots if isinstance(slot, dict)]

    async def create_booking(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        """Hold places (``POST /api/bookings``); the same key and body return the same booking."""
        return await self._booking_answer(
            "POST", "/api/bookings", json=body, headers={"Idempotency-Key": idempotency_key}
        )

    async def get_booking(self, reference: str) -> dict[str, Any] | None:
        """One booking by reference, or None when there is no such booking."""
        try:
            return await self._booking_answer("GET", f"/api/bookings/{reference}")
        except PlatformApiError as error:
            if error.status_code == 404:
                return None
            raise

    async def bookings_for_phone(self, phone: str) -> list[dict[str, Any]]:
        """The bookings made with ``phone`` (E.164), newest first."""
        body = await self._request("GET", "/api/bookings", params={"phone": phone})
        items = body.get("bookings") if isinstance(body, dict) else body
        if not isinstance(items, list):
            raise PlatformApiError("GET /api/bookings: answer is not a list of bookings")
        return [item for item in items if isinstance(item, dict)]

    async def cancel_booking(self, reference: str) -> dict[str, Any]:
        """Cancel a booking; the answer carries ``refund_fen``."""
        return await self._booking_answer("POST", f"/api/bookings/{reference}/cancel")

    async def search_hotels(self, **params: str | int) -> list[dict[str, Any]]:
        """Hotels with rooms for the stay (``city`` or ``near``, ``check_in``, ``check_out``, ``guests``)."""
        body = await self._request("GET", "/api/hotels", params=params)
        hotels = body.get("hotels") if isinstance(body, dict) else None
        if not isinstance(hotels, list):
            raise PlatformApiError("GET /api/hotels: answer is not a list of hotels")
        return [hotel for hotel in hotels if isinstance(hotel, dict)]

    async def create_hotel_booking(
        self, body: dict[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        """Hold rooms (``POST /api/hotel-bookings``), idempotent like ticket bookings."""
        return await self._booking_answer(
            "POST", "/api/hotel-bookings", json=body, headers={"Idempotency-Key": idempotency_key}
        )

    async def venue_live(self, venue_id: str) -> dict[str, Any] | None:
        """Latest partner data of a venue (crowd, weather, with their age), None when it has none."""
        path = f"/api/venues/{venue_id}/live"
        try:
            body = await self._request("GET", path)
        except PlatformApiError as error:
            if error.status_code == 404:
                return None
            raise
        if not isinstance(body, dict):
            raise PlatformApiError(f"GET {path}: answer is not an object")
        return body

    # ------------------------------------------------------------ identity (issue 11)
    async def request_phone_code(
        self, *, sender_id: str, channel: str, phone: str, language: str
    ) -> dict[str, Any]:
        """Text a code to ``phone`` for this conversation: ``{challenge_id, phone_masked, ...}``."""
        body = await self._request(
            "POST",
            "/api/identity/challenges",
            json={"sender_id": sender_id, "channel": channel, "phone": phone, "language": language},
        )
        if not isinstance(body, dict) or not isinstance(body.get("challenge_id"), str):
            raise PlatformApiError("POST /api/identity/challenges: answer is not a challenge")
        return body

    async def confirm_phone_code(
        self, challenge_id: str, *, sender_id: str, code: str
    ) -> dict[str, Any]:
        """Confirm the texted code: ``{verified, phone_masked, expires_at}`` (errors carry a code)."""
        path = f"/api/identity/challenges/{challenge_id}/confirm"
        body = await self._request("POST", path, json={"sender_id": sender_id, "code": code})
        if not isinstance(body, dict) or body.get("verified") is not True:
            raise PlatformApiError(f"POST {path}: answer is not a verification")
        return body

    async def identity_records(self, sender_id: str) -> dict[str, Any] | None:
        """Bookings and complaints of the conversation's verified number on every channel, or
        None when the conversation holds no verified number (any more)."""
        path = f"/api/identity/conversations/{quote(sender_id, safe='')}/records"
        try:
            body = await self._request("GET", path)
        except PlatformApiError as error:
            if error.status_code == 403 and error.code == "not_verified":
                return None
            raise
        if not isinstance(body, dict) or not isinstance(body.get("bookings"), list):
            raise PlatformApiError(f"GET {path}: answer is not a list of records")
        return body

    async def _booking_answer(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        body = await self._request(method, path, **kwargs)
        if not isinstance(body, dict) or not isinstance(body.get("reference"), str):
            raise PlatformApiError(f"{method} {path}: answer is not a booking")
        return body


@lru_cache(maxsize=1)
def get_platform_api_client() -> PlatformApiClient:
    """The process-wide client (one connection pool), built from the settings on first use."""
    return PlatformApiClient()
