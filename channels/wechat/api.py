"""WeChat server API: the shared access-token cache and customer-service (客服) text messages.

* The access token is fetched by one process at a time (a short lock in the store) and kept in
  the store until 60 s before it expires; a call answered with 40001/40014/42001 drops that token
  (only if nobody replaced it yet), fetches a new one and retries once.
* Customer-service messages respect the reply window: a tourist's message allows 5 messages
  within 48 hours, a subscribe, scan or menu click 3 within a minute. When a turn has more
  messages than the window still allows, the remaining ones are joined into the last allowed
  message; once the window is used up nothing more is sent (WeChat would refuse with 45047) and
  the drop is logged. Notifications outside the window need template messages (not sent here).
* A send WeChat refuses (45015/45047: the window is closed; the others after one token refresh or
  one retry of "system busy"/5xx) or does not answer within the timeout keeps that text and the
  rest of its batch for the tourist's next message (:mod:`channels.wechat.undelivered`). Every
  call is bounded by the timeout, and none of them is on the passive reply's path.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from typing import Any, Literal

import aiohttp

from channels.wechat.store import Store
from channels.wechat.undelivered import Undelivered
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
WINDOW_CLOSED = frozenset({45015, 45047})
"""Out of the 48-hour reply window / over its message count: nothing more until the tourist writes."""
BUSY = -1
RETRY_PAUSE_S = 0.2
TOKEN_MARGIN_S = 60.0
HTTP_TIMEOUT_S = 5.0
WINDOWS: dict[str, tuple[int, float]] = {"message": (5, 48 * 3600.0), "event": (3, 60.0)}
"""Trigger → (messages allowed, seconds)."""


class WeChatApiError(Exception):
    """WeChat answered with a non-zero ``errcode`` (or not at all: -1, ``timed_out`` when no
    answer came within the timeout)."""

    def __init__(self, errcode: int, errmsg: str = "", *, timed_out: bool = False) -> None:
        super().__init__(f"errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.timed_out = timed_out

    @property
    def retryable(self) -> bool:
        """-1 "system busy" (or a 5xx / refused connection): WeChat says to try again. Not after a
        timeout: the message may have been delivered, and the 5-second budget is spent."""
        return self.errcode == BUSY and not self.timed_out


def _transport_error(error: Exception) -> WeChatApiError:
    return WeChatApiError(BUSY, type(error).__name__, timed_out=isinstance(error, TimeoutError))


class AccessTokens:
    """The Official Account's access token, shared through the store."""

    def __init__(
        self,
        store: Store,
        api_base: str,
        app_id: str,
        app_secret: str,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout_s: float = HTTP_TIMEOUT_S,
    ) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.api_base = api_base.rstrip("/")
        self.app_id = app_id
        self._secret = app_secret
        self._session = session
        self._key = f"token:{app_id}"
        self._lock_key = f"token-lock:{app_id}"

    async def session(self) -> aiohttp.ClientSession:
        """One HTTP client session per channel (created lazily inside the event loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout_s)
            )
        return self._session

    async def get(self) -> str:
        """A valid access token (from the store, or fetched by exactly one process)."""
        deadline = time.monotonic() + 2 * self.timeout_s
        while True:
            token = await self.store.get(self._key)
            if token:
                return token
            if await self.store.set(self._lock_key, "1", 2 * self.timeout_s, only_new=True):
                try:
                    return await self._fetch()
                finally:
                    await self.store.delete(self._lock_key)
            if time.monotonic() > deadline:
                raise WeChatApiError(-1, "timed out waiting for another process's token fetch")
            await asyncio.sleep(0.05)

    async def invalidate(self, token: str) -> None:
        """Drop ``token`` when WeChat says it is invalid (unless already replaced)."""
        await self.store.delete_if_equals(self._key, token)

    async def _fetch(self) -> str:
        http = await self.session()
        params = {"grant_type": "client_credential", "appid": self.app_id, "secret": self._secret}
        try:
            async with http.get(f"{self.api_base}/cgi-bin/token", params=params) as response:
                data = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            logger.error(event("wechat.token.failed", error=type(error).__name__))
            raise _transport_error(error) from None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not token:
            code = int(data.get("errcode", -1)) if isinstance(data, dict) else -1
            logger.error(event("wechat.token.failed", errcode=code))
            raise WeChatApiError(
                code, str(data.get("errmsg", "")) if isinstance(data, dict) else ""
            )
        expires_in = float(data.get("expires_in") or 7200)
        await self.store.set(self._key, str(token), max(1.0, expires_in - TOKEN_MARGIN_S))
        logger.info(event("wechat.token.refreshed", expires_in=int(expires_in)))
        return str(token)

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None and not self._session.closed:
            await self._session.close()


class ReplyWindow:
    """How many customer-service messages each tourist may still receive."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _key(kind: str, openid: str) -> str:
        return f"window:{kind}:{openid}"

    async def open(self, openid: str, trigger: Literal["message", "event"]) -> None:
        """A tourist's message (or event) opens a fresh window."""
        allowed, seconds = WINDOWS[trigger]
        await self.store.set(self._key(trigger, openid), str(allowed), seconds)

    async def remaining(self, openid: str) -> int:
        """Messages still allowed now."""
        total = 0
        for kind in WINDOWS:
            value = await self.store.get(self._key(kind, openid))
            total += max(0, int(value)) if value else 0
        return total

    async def take(self, openid: str) -> bool:
        """Use one message of the window (the short event window first); False when none is left."""
        for kind in ("event", "message"):
            left = await self.store.decrement_if_exists(self._key(kind, openid))
            if left is not None and left >= 0:
                return True
        return False

    async def forget(self, openid: str) -> None:
        """Drop the tourist's windows (unsubscribe)."""
        await self.store.delete(*(self._key(kind, openid) for kind in WINDOWS))


def fit_to_window(texts: Sequence[str], allowed: int) -> list[str]:
    """``texts`` as at most ``allowed`` messages: the overflow is joined into the last one."""
    if allowed <= 0:
        return []
    if len(texts) <= allowed:
        return list(texts)
    return [*texts[: allowed - 1], "\n\n".join(texts[allowed - 1 :])]


class CustomerService:
    """Sends customer-service text messages (``cgi-bin/message/custom/send``)."""

    def __init__(
        self, tokens: AccessTokens, window: ReplyWindow, undelivered: Undelivered | None = None
    ) -> None:
        self.tokens = tokens
        self.window = window
        self.undelivered = undelivered or Undelivered(window.store)

    async def _post(self, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        http = await self.tokens.session()
        url = f"{self.tokens.api_base}/cgi-bin/message/custom/send"
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            async with http.post(
                url,
                params={"access_token": token},
                data=body,
                headers={"Content-Type": "application/json; charset=utf-8"},
            ) as response:
                data = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            raise _transport_error(error) from None
        return data if isinstance(data, dict) else {"errcode": BUSY}

    async def typing(self, openid: str) -> bool:
        """Show "typing..." to the tourist (``custom/typing``; not a message, so outside the
        window count). WeChat refuses it without a recent interaction (45080) or while one is
        shown (45081); any refusal is only logged."""
        try:
            token = await self.tokens.get()
            http = await self.tokens.session()
            async with http.post(
                f"{self.tokens.api_base}/cgi-bin/message/custom/typing",
                params={"access_token": token},
                json={"touser": openid, "command": "Typing"},
            ) as response:
                data = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError, WeChatApiError) as error:
            logger.info(event("wechat.typing.failed", error=type(error).__name__))
            return False
        code = int(data.get("errcode", 0) or 0) if isinstance(data, dict) else -1
        if code:
            logger.info(event("wechat.typing.refused", errcode=code))
        return code == 0

    async def send_text(self, openid: str, content: str) -> None:
        """Send one text; ``WeChatApiError`` when WeChat refuses it after one token refresh
        (40001/40014/42001) or one retry ("system busy", 5xx, refused connection), or when it
        does not answer in time (never retried: it may have been delivered)."""
        payload = {"touser": openid, "msgtype": "text", "text": {"content": content}}
        for attempt in (1, 2):
            token = ""
            try:
                token = await self.tokens.get()
                data = await self._post(token, payload)
                code = int(data.get("errcode", 0) or 0)
                if code == 0:
                    return
                raise WeChatApiError(code, str(data.get("errmsg", "")))
            except WeChatApiError as error:
                if attempt == 2:
                    raise
                if error.errcode in TOKEN_ERRORS and token:
                    await self.tokens.invalidate(token)
                elif error.retryable:
                    await asyncio.sleep(RETRY_PAUSE_S)
                else:
                    raise
                logger.info(event("wechat.custom_send.retry", errcode=error.errcode))

    async def send_all(self, openid: str, texts: Sequence[str]) -> int:
        """Send ``texts`` within the tourist's window; the number of messages WeChat accepted."""
        remaining = await self.window.remaining(openid)
        texts = [t for t in texts if t.strip()]
        if texts and remaining == 0:  # the window is closed: they wait for the next message
            await self.undelivered.keep(openid, texts, 45047)
            return 0
        batch = fit_to_window(texts, remaining)
        if len(batch) < len([t for t in texts if t.strip()]):
            logger.warning(
                event(
                    "wechat.window.limited",
                    conversation=pseudonym(openid),
                    messages=len(texts),
                    allowed=remaining,
                )
            )
        sent = 0
        for index, text in enumerate(batch):
            if not await self.window.take(openid):
                logger.warning(event("wechat.window.exhausted", conversation=pseudonym(openid)))
                await self.undelivered.keep(openid, batch[index:], 45047)
                break
            try:
                await self.send_text(openid, text)
            except WeChatApiError as error:
                logger.error(
                    event(
                        "wechat.custom_send.failed",
                        conversation=pseudonym(openid),
                        errcode=error.errcode,
                        timed_out=error.timed_out,
                    )
                )
                if error.errcode in WINDOW_CLOSED:  # WeChat knows better than our count
                    await self.window.forget(openid)
                await self.undelivered.keep(openid, batch[index:], error.errcode)
                break
            sent += 1
        return sent
