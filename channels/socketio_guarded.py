"""The web widget's socket.io channel: Rasa's protocol, with origins, secrets and limits fixed.

Rasa 3.6's ``SocketIOInput`` has three problems here, each covered by a test:

* it creates its socket.io server with ``cors_allowed_origins=[]``, which turns Engine.IO's origin
  check off: any web site could talk to the assistant from its visitors' browsers (browsers apply
  no CORS to WebSockets). Here browser connections (polling and WebSocket) are accepted only from
  the origins in ``RASA_SOCKET_ORIGINS`` (space- or comma-separated, read once at start; ``*`` is
  refused; empty: the server's own origin only). Clients that send no ``Origin`` header are not
  browsers and are not restricted (CORS is a browser protection);
* with ``session_persistence`` it calls python-socketio 5's coroutine ``enter_room`` without
  awaiting it, so the socket never joins its session's room and no bot message is delivered;
* whoever knows a session id can join its room (read the bot's answers) and write in its name.
  Here ``session_request`` carries the widget's *secret* (``{"secret": <64 hex>}``) and the
  session id is derived from it (:mod:`common.widget_session`); messages go to the session bound
  to the socket, whatever session id they name. Sender ids are shown to staff and stored with
  bookings; they no longer open a conversation.

Staff replies are pushed: while a widget is connected, the channel claims its conversation's
outbox from the platform every ``push_interval_s`` (``credentials.yml``, default 3 s) and emits
each message into the session's room marked ``"from": "staff"``; a message the tourist sends
while staff hold the conversation goes to staff, not to the assistant (``channels/handoff_relay``,
as on the REST channel). Both need ``PLATFORM_BOT_API_TOKEN``; without it the channel only chats.

Empty and over-long messages get the REST channel's polite notice in the tourist's language and
never reach the assistant. Registered in ``credentials.yml`` as
``channels.socketio_guarded.GuardedSocketIOInput``; its name stays ``socketio`` (path ``/socket.io``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.guard import GuardSettings, Verdict, check_text
from channels.handoff_relay import (
    AiohttpHandoffPlatform,
    DomainTexts,
    HandoffRelay,
    Relayed,
    RelaySettings,
)
from channels.notices import guess_language, notice
from common.logsafe import event, pseudonym
from common.widget_session import is_widget_secret, sender_id_for

logger = logging.getLogger(__name__)

ORIGINS_ENV = "RASA_SOCKET_ORIGINS"
DEFAULT_PUSH_INTERVAL_S = 3.0
_ORIGIN = re.compile(r"^https?://[^/\s]+$")


def parse_origins(value: str | None) -> list[str]:
    """``"http://a:8000, https://b"`` → the list of origins; ``*`` or a non-origin is a ValueError."""
    origins = [item for item in re.split(r"[\s,]+", value or "") if item]
    for origin in origins:
        if origin == "*":
            raise ValueError(f"{ORIGINS_ENV} must list origins, not *")
        if not _ORIGIN.match(origin):
            raise ValueError(f"{ORIGINS_ENV}: {origin!r} is not an origin like https://host:port")
    return [origin.rstrip("/") for origin in origins]


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io input channel for browsers: allowed origins, secret sessions, limits."""

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        socketio_path: str = "/socket.io",
        allowed_origins: list[str] | None = None,
        guard: GuardSettings | None = None,
        relay_settings: RelaySettings | None = None,
        push_interval_s: float = DEFAULT_PUSH_INTERVAL_S,
    ) -> None:
        """Sessions always persist (the widget reconnects and reloads into the same one); no
        relay and no staff push without ``relay_settings``."""
        super().__init__(user_message_evt, bot_message_evt, namespace, True, socketio_path)
        self.allowed_origins = allowed_origins or []
        self.guard = guard or GuardSettings()
        self.relay_settings = relay_settings
        self.push_interval_s = push_interval_s
        self.relay: HandoffRelay | None = None
        self.connected: dict[str, int] = {}
        """Sender id → number of sockets in its room (the conversations to push to)."""
        self._pusher: asyncio.Task[None] | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedSocketIOInput:
        """Events, path and limits from ``credentials.yml``; origins from ``RASA_SOCKET_ORIGINS``."""
        credentials = credentials or {}
        relay = RelaySettings.from_env()
        limits: dict[str, Any] = {
            k: credentials[k] for k in ("max_message_chars", "detect_chars") if k in credentials
        }
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            allowed_origins=parse_origins(os.environ.get(ORIGINS_ENV)),
            guard=GuardSettings.from_credentials(limits),
            relay_settings=relay if relay.token else None,
            push_interval_s=float(credentials.get("push_interval_s", DEFAULT_PUSH_INTERVAL_S)),
        )

    async def refuse(
        self, output: SocketIOOutput, sender_id: str, text: str, verdict: Verdict
    ) -> None:
        """The polite notice for an empty or over-long message, in the tourist's language."""
        language = guess_language(text, None, chars=self.guard.detect_chars)
        logger.info(
            event(
                "socketio.message.refused",
                reason=verdict.value,
                conversation=pseudonym(sender_id),
                language=language,
                chars=len(text),
            )
        )
        answer = notice(verdict.value, language, limit=self.guard.max_message_chars)
        await output.send_text_message(sender_id, answer)

    def start_relay(self, app: Any) -> None:
        """Build the hand-off relay with the Rasa app's agent (when ``relay_settings`` are set)
        and start pushing staff messages; once, on the first connection."""
        if self.relay is None and self.relay_settings is not None:

            async def is_hand_back(text: str) -> bool:
                parsed = await app.ctx.agent.parse_message(text)
                intent = parsed.get("intent") or {}
                confidence = intent.get("confidence") or 0
                return bool(intent.get("name") == "hand_back" and confidence >= 0.5)

            self.relay = HandoffRelay(
                AiohttpHandoffPlatform(self.relay_settings),
                DomainTexts(lambda: app.ctx.agent.domain),
                is_hand_back=is_hand_back,
            )
        if self.relay is not None and self._pusher is None:
            self._pusher = asyncio.ensure_future(self.push_forever())

    async def relayed(self, sender_id: str, text: str) -> Relayed:
        """What the relay did with the tourist's message (never raises: the assistant answers)."""
        if self.relay is None:
            return Relayed(handled=False, replies=[])
        try:
            return await self.relay.intercept(sender_id, text, language=None)
        except Exception as error:  # noqa: BLE001 - the assistant answers whatever the relay does
            logger.error(
                event(
                    "socketio.relay.failed",
                    conversation=pseudonym(sender_id),
                    error=type(error).__name__,
                )
            )
            return Relayed(handled=False, replies=[])

    async def send_staff(self, sender_id: str, texts: list[str]) -> None:
        """Emit staff and case messages into the conversation's room (every open tab gets them)."""
        if self.sio is None:
            return
        for text in texts:
            payload = {"text": text, "from": "staff"}
            await self.sio.emit(
                self.bot_message_evt, payload, room=sender_id, namespace=self.namespace
            )

    async def push_once(self) -> None:
        """Claim the outbox of every connected conversation and push what was waiting."""
        if self.relay is None:
            return
        for sender_id in list(self.connected):
            try:
                claimed = await self.relay.platform.claim_outbox(sender_id)
            except Exception as error:  # noqa: BLE001 - retried on the next round
                logger.warning(
                    event(
                        "socketio.push.failed",
                        conversation=pseudonym(sender_id),
                        error=type(error).__name__,
                    )
                )
                continue
            texts = [line for line in (self.relay.render(m, None) for m in claimed) if line]
            if texts:
                logger.info(
                    event("socketio.push", conversation=pseudonym(sender_id), messages=len(texts))
                )
                await self.send_staff(sender_id, texts)

    async def push_forever(self) -> None:
        """:meth:`push_once` every ``push_interval_s`` while the server runs."""
        while True:
            await asyncio.sleep(self.push_interval_s)
            with contextlib.suppress(Exception):
                await self.push_once()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The socket.io server on ``socketio_path`` and Rasa's ``/webhooks/socketio/`` health route."""
        # None: Engine.IO allows the server's own origin only; a list: exactly those origins.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.allowed_origins or None,
            cors_credentials=False,
        )
        self.sio = sio
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        namespace = self.namespace

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            request = environ.get("sanic.request")
            self.start_relay(request.app if request is not None else None)
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str, *args: Any) -> None:
            sender_id = (await sio.get_session(sid, namespace=namespace)).get("sender_id")
            if sender_id and self.connected.get(sender_id, 0) > 1:
                self.connected[sender_id] -= 1
            elif sender_id:
                self.connected.pop(sender_id, None)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            secret = data.get("secret") if isinstance(data, dict) else None
            # Without a valid secret the socket gets a throw-away session nobody else can join.
            if not (isinstance(secret, str) and is_widget_secret(secret)):
                secret = secrets.token_hex(32)
            sender_id = sender_id_for(secret)
            previous = (await sio.get_session(sid, namespace=namespace)).get("sender_id")
            if previous:  # a second session_request on the same socket keeps its session
                await sio.emit("session_confirm", previous, room=sid, namespace=namespace)
                return
            self.connected[sender_id] = self.connected.get(sender_id, 0) + 1
            await sio.save_session(sid, {"sender_id": sender_id}, namespace=namespace)
            await sio.enter_room(sid, sender_id, namespace=namespace)
            await sio.emit("session_confirm", sender_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            sender_id = (await sio.get_session(sid, namespace=namespace)).get("sender_id")
            if not sender_id or not isinstance(data, dict):
                logger.info(event("socketio.message.ignored", reason="no session"))
                return
            text = data.get("message")
            text = text if isinstance(text, str) else ""
            output = SocketIOOutput(sio, self.bot_message_evt)
            verdict = check_text(text, self.guard)
            if verdict is not Verdict.PASS:
                await self.refuse(output, sender_id, text, verdict)
                return
            relayed = await self.relayed(sender_id, text)
            if relayed.handled:  # staff hold the conversation: it went to them
                await self.send_staff(sender_id, relayed.replies)
                return
            metadata = data.get(self.metadata_key)
            message = UserMessage(
                text,
                output,
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)
            await self.send_staff(sender_id, relayed.replies)

        return blueprint
