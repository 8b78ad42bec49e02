"""Rasa's REST channel with limits: ``POST /webhooks/rest/webhook`` as before, but guarded.

* malformed bodies (not a JSON object, no ``sender``, a non-string ``message``) get a 400 JSON
  error instead of Rasa's 500;
* an empty / whitespace-only message, or one longer than ``max_message_chars``, gets a polite
  answer in the tourist's language and never reaches the assistant;
* logs carry a pseudonymous conversation id and never the text;
* when ``PLATFORM_BOT_API_TOKEN`` is set, every message first goes through the hand-off relay
  (``channels/handoff_relay.py``): while staff hold the conversation it goes to them instead of the
  assistant, and pending notices (staff messages, complaint replies) are added to the answer.

Registered in ``credentials.yml`` as ``channels.rest_guarded.GuardedRestInput`` (it replaces the
built-in ``rest`` channel and keeps its name, hence its URL).
"""

from __future__ import annotations

import inspect
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from channels.guard import BadRequest, GuardSettings, Verdict, check_text, parse_body
from channels.handoff_relay import (
    AiohttpHandoffPlatform,
    DomainTexts,
    HandoffRelay,
    Relayed,
    RelaySettings,
)
from channels.notices import guess_language, notice
from common.logsafe import event, install_on_handlers, pseudonym

logger = logging.getLogger(__name__)


class GuardedRestInput(RestInput):
    """The REST input channel with body validation and message-length limits."""

    def __init__(
        self, settings: GuardSettings | None = None, relay_settings: RelaySettings | None = None
    ) -> None:
        """``settings`` default to :class:`GuardSettings` defaults; no relay without
        ``relay_settings``."""
        self.settings = settings or GuardSettings()
        self.relay_settings = relay_settings
        self._relay: HandoffRelay | None = None

    @classmethod
    def name(cls) -> str:
        """``rest``: the URL stays ``/webhooks/rest/webhook``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        """Limits from the channel's section of ``credentials.yml``; the relay from the
        environment (:meth:`RelaySettings.from_env`) when the platform's service token is set."""
        relay = RelaySettings.from_env()
        return cls(GuardSettings.from_credentials(credentials), relay if relay.token else None)

    def relay(self, request: Request) -> HandoffRelay | None:
        """The hand-off relay (built on first use with the app's agent), or None when off."""
        if self.relay_settings is None:
            return None
        if self._relay is None:
            app = request.app

            async def is_hand_back(text: str) -> bool:
                parsed = await app.ctx.agent.parse_message(text)
                intent = parsed.get("intent") or {}
                return bool(
                    intent.get("name") == "hand_back" and (intent.get("confidence") or 0) >= 0.5
                )

            self._relay = HandoffRelay(
                AiohttpHandoffPlatform(self.relay_settings),
                DomainTexts(lambda: app.ctx.agent.domain),
                is_hand_back=is_hand_back,
            )
        return self._relay

    async def relayed(self, request: Request, sender_id: str, text: str) -> Relayed:
        """What the relay did with the message (never raises: not handled when it fails)."""
        relay = self.relay(request)
        if relay is None:
            return Relayed(handled=False, replies=[])
        try:
            return await relay.intercept(sender_id, text, language=None)
        except Exception as error:  # noqa: BLE001 - the assistant answers whatever the relay does
            logger.error(
                event(
                    "rest.relay.failed",
                    conversation=pseudonym(sender_id),
                    error=type(error).__name__,
                )
            )
            return Relayed(handled=False, replies=[])

    async def session_language(self, request: Request, sender_id: str) -> str | None:
        """The conversation's ``language`` slot, when the tracker exists (never raises)."""
        try:
            agent = request.app.ctx.agent
            tracker = await agent.tracker_store.retrieve(sender_id) if agent else None
            value = tracker.get_slot("language") if tracker else None
        except Exception:  # noqa: BLE001 - a notice must never fail on the tracker store
            return None
        return value if isinstance(value, str) else None

    async def refuse(
        self, request: Request, sender_id: str, text: str, verdict: Verdict
    ) -> HTTPResponse:
        """The polite notice for an empty or over-long message, in the tourist's language."""
        session = await self.session_language(request, sender_id)
        language = guess_language(text, session, chars=self.settings.detect_chars)
        logger.info(
            event(
                "rest.message.refused",
                reason=verdict.value,
                conversation=pseudonym(sender_id),
                language=language,
                chars=len(text),
            )
        )
        answer = notice(verdict.value, language, limit=self.settings.max_message_chars)
        return response.json([{"recipient_id": sender_id, "text": answer}])

    async def unavailable(
        self, request: Request, sender_id: str, text: str, collector: CollectingOutputChannel
    ) -> HTTPResponse:
        """What was collected before a failure, or the "please send it again" notice.

        A store or server that fails (Redis lock store, PostgreSQL tracker store, a dead action
        server) must not leave the tourist with an empty reply or a stack trace.
        """
        if collector.messages:
            return response.json(collector.messages)
        session = await self.session_language(request, sender_id)
        language = guess_language(text, session, chars=self.settings.detect_chars)
        return response.json([{"recipient_id": sender_id, "text": notice("unavailable", language)}])

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """``GET /`` (status) and ``POST /webhook`` (guarded messages)."""
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.listener("before_server_start")
        async def redact_library_logs(*_: Any) -> None:
            # Sanic configures its own handlers after our logging file: redact those too.
            install_on_handlers("", "sanic.root", "sanic.error", "sanic.access")

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            try:
                message = parse_body(request.body, self.settings)
            except BadRequest as error:
                return response.json({"error": error.detail}, status=error.status)
            verdict = check_text(message.text, self.settings)
            if verdict is not Verdict.PASS:
                return await self.refuse(request, message.sender_id, message.text, verdict)
            input_channel = message.input_channel or self.name()
            if bool_arg(request, "stream", default=False):
                return response.stream(  # type: ignore[attr-defined]  # Sanic 21 (Rasa)
                    self.stream_response(
                        on_new_message,
                        message.text,
                        message.sender_id,
                        input_channel,
                        message.metadata,
                    ),
                    content_type="text/event-stream",
                )
            relayed = await self.relayed(request, message.sender_id, message.text)
            extra = [{"recipient_id": message.sender_id, "text": text} for text in relayed.replies]
            if relayed.handled:
                return response.json(extra)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        message.text,
                        collector,
                        message.sender_id,
                        input_channel=input_channel,
                        metadata=message.metadata,
                    )
                )
            except CancelledError:
                logger.error(
                    event("rest.message.timeout", conversation=pseudonym(message.sender_id))
                )
                return await self.unavailable(request, message.sender_id, message.text, collector)
            except Exception as error:  # noqa: BLE001 - the tourist gets a notice, never a trace
                logger.error(
                    event(
                        "rest.message.failed",
                        conversation=pseudonym(message.sender_id),
                        error=type(error).__name__,
                    )
                )
                return await self.unavailable(request, message.sender_id, message.text, collector)
            return response.json(collector.messages + extra)

        return webhook
