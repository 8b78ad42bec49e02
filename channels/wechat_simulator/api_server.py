"""The WeChat API on loopback: access tokens and customer-service messages, recorded."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web


@dataclass(frozen=True)
class CustomMessage:
    """A customer-service message the simulator accepted."""

    touser: str
    msgtype: str
    content: str
    received_at: float
    payload: dict[str, Any] = field(repr=False)


Fault = int | Literal["5xx", "hang"]
"""What one call gets instead of the normal answer: a WeChat ``errcode`` (e.g. 45015 out of the
reply window, 40001 invalid token, -1 system busy), an HTTP 502 (``5xx``), or ``hang``: the
normal answer after ``hang_s`` seconds (a caller that gave up before closes the connection, and
the call is then dropped without effect)."""


class ApiServer:
    """``/cgi-bin/token``, ``/cgi-bin/message/custom/send`` and ``.../custom/typing`` with WeChat's
    error codes.

    Tokens are checked (40001 for an unknown or revoked one); each tourist may receive
    ``window_limit`` customer-service messages (45047 beyond), reset by :meth:`open_window`.
    :meth:`fail` makes the next calls of an endpoint (``token``, ``send``, ``typing``) fail.
    """

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        *,
        expires_in: int = 7200,
        window_limit: int | None = None,
    ) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.expires_in = expires_in
        self.window_limit = window_limit
        self.valid_tokens: set[str] = set()
        self.token_requests = 0
        self.messages: list[CustomMessage] = []
        self.rejected: list[int] = []
        self.typing: list[str] = []
        self._sent_per_user: dict[str, int] = {}
        self.faults: dict[str, list[Fault]] = {"token": [], "send": [], "typing": []}
        self.hang_s = 10.0
        self.calls: dict[str, int] = {"token": 0, "send": 0, "typing": 0}
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self._arrived = asyncio.Event()

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (the next send gets 40001)."""
        self.valid_tokens.clear()

    def fail(self, endpoint: str, *faults: Fault) -> None:
        """The next ``len(faults)`` calls of ``endpoint`` get these faults, in order."""
        self.faults[endpoint].extend(faults)

    async def _fault(self, endpoint: str) -> web.Response | None:
        """The fault answer of this call (after the hang for ``hang``), or None to answer normally."""
        self.calls[endpoint] += 1
        if not self.faults[endpoint]:
            return None
        fault = self.faults[endpoint].pop(0)
        if fault == "hang":
            await asyncio.sleep(self.hang_s)
            return None
        if fault == "5xx":
            return web.Response(status=502, text="<html>502 Bad Gateway</html>")
        if isinstance(fault, int):
            self.rejected.append(fault)
            return web.json_response({"errcode": fault, "errmsg": "simulated fault"})
        return None

    def open_window(self, openid: str) -> None:
        """The tourist wrote again: the quota starts over."""
        self._sent_per_user.pop(openid, None)

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        faulty = await self._fault("token")
        if faulty is not None:
            return faulty
        query = request.query
        if query.get("grant_type") != "client_credential":
            return web.json_response({"errcode": 40002, "errmsg": "invalid grant_type"})
        if query.get("appid") != self.app_id or query.get("secret") != self.app_secret:
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid or secret"})
        token = "sim-" + secrets.token_urlsafe(24)
        self.valid_tokens.add(token)
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    async def _custom_send(self, request: web.Request) -> web.Response:
        faulty = await self._fault("send")
        if faulty is not None:
            return faulty
        if request.query.get("access_token") not in self.valid_tokens:
            self.rejected.append(40001)
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        try:
            payload = json.loads(await request.read())
        except ValueError:
            return web.json_response({"errcode": 47001, "errmsg": "data format error"})
        touser = str(payload.get("touser", ""))
        if self.window_limit is not None:
            used = self._sent_per_user.get(touser, 0)
            if used >= self.window_limit:
                self.rejected.append(45047)
                return web.json_response(
                    {"errcode": 45047, "errmsg": "out of response count limit"}
                )
            self._sent_per_user[touser] = used + 1
        msgtype = str(payload.get("msgtype", ""))
        content = str((payload.get(msgtype) or {}).get("content", ""))
        self.messages.append(CustomMessage(touser, msgtype, content, time.monotonic(), payload))
        self._arrived.set()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _typing(self, request: web.Request) -> web.Response:
        faulty = await self._fault("typing")
        if faulty is not None:
            return faulty
        if request.query.get("access_token") not in self.valid_tokens:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        payload = json.loads(await request.read())
        if payload.get("command") not in ("Typing", "CancelTyping"):
            return web.json_response({"errcode": 45072, "errmsg": "command invalid"})
        self.typing.append(str(payload.get("touser", "")))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def to(self, openid: str) -> list[CustomMessage]:
        """Messages sent to ``openid`` so far."""
        return [m for m in self.messages if m.touser == openid]

    async def wait_for(self, openid: str, count: int, timeout: float = 10.0) -> list[CustomMessage]:
        """Wait until ``openid`` has ``count`` messages (returns what arrived by the timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.to(openid)) < count and time.monotonic() < deadline:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
        return self.to(openid)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: a free port); the base URL."""
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._custom_send)
        app.router.add_post("/cgi-bin/message/custom/typing", self._typing)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        actual_port = sockets[0].getsockname()[1] if sockets else port
        self.base_url = f"http://{host}:{actual_port}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
