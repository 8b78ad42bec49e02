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

Empty and over-long messages get the REST channel's polite notice in the tourist's language and
never reach the assistant. Registered in ``credentials.yml`` as
``channels.socketio_guarded.GuardedSocketIOInput``; its name stays ``socketio`` (path ``/socket.io``).
"""

from __future__ import annotations

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
from channels.notices import guess_language, notice
from common.logsafe import event, pseudonym
from common.widget_session import is_widget_secret, sender_id_for

logger = logging.getLogger(__name__)

ORIGINS_ENV = "RASA_SOCKET_ORIGINS"
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
    ) -> None:
        """Sessions always persist (the widget reconnects and reloads into the same one)."""
        super().__init__(user_message_evt, bot_message_evt, namespace, True, socketio_path)
        self.allowed_origins = allowed_origins or []
        self.guard = guard or GuardSettings()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedSocketIOInput:
        """Events, path and limits from ``credentials.yml``; origins from ``RASA_SOCKET_ORIGINS``."""
        credentials = credentials or {}
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

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            secret = data.get("secret") if isinstance(data, dict) else None
            # Without a valid secret the socket gets a throw-away session nobody else can join.
            if not (isinstance(secret, str) and is_widget_secret(secret)):
                secret = secrets.token_hex(32)
            sender_id = sender_id_for(secret)
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
            metadata = data.get(self.metadata_key)
            message = UserMessage(
                text,
                output,
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return blueprint
