"""Tour-guide devices: ``POST /webhooks/guide/webhook`` with the device's ``X-Device-Key``.

The key is checked against the platform's device registry over HTTP (``POST /api/devices/verify``
with the bot token; answers cached for ``cache_s`` seconds, keyed by the key's SHA-256). The
device's preset language is locked for its conversations and its venue becomes the conversation's
``attraction`` when none is set, so "how much is the ticket?" means that venue. Replies are plain
text for text-to-speech (:func:`channels.guide_speech.to_speech`).

Body: ``{"message": "...", "session": "<listener session, optional>"}``; answer:
``[{"recipient_id", "text", "language"}]``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import GuardSettings, Verdict, check_text
from channels.guide_speech import to_speech
from channels.notices import notice
from channels.wechat.conversation import get_slot, set_slots
from channels.wechat.platform import PlatformClient, PlatformUnavailable
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)
Handler = Callable[[UserMessage], Awaitable[Any]]
_SESSION = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
MAX_BODY_BYTES = 16_000


class GuideInput(InputChannel):
    """REST channel of the tour-guide devices."""

    @classmethod
    def name(cls) -> str:
        """``guide``: the webhook is ``/webhooks/guide/webhook``."""
        return "guide"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuideInput:
        """``platform_url``, ``platform_token`` (bot token), ``cache_s``, ``max_message_chars``."""
        values = dict(credentials or {})
        return cls(
            PlatformClient(
                str(values.get("platform_url") or ""), str(values.get("platform_token") or "")
            ),
            cache_s=float(values.get("cache_s") or 60.0),
            guard=GuardSettings(max_message_chars=int(values.get("max_message_chars") or 300)),
        )

    def __init__(
        self, platform: PlatformClient, *, cache_s: float = 60.0, guard: GuardSettings | None = None
    ) -> None:
        """``platform``: the device registry; ``cache_s``: how long a key check is reused."""
        self.platform = platform
        self.cache_s = cache_s
        self.guard = guard or GuardSettings()
        self._cache: dict[str, tuple[dict[str, Any] | None, float]] = {}

    async def device(self, key: str) -> dict[str, Any] | None:
        """The device profile of ``key`` (cached), ``None`` when unknown or revoked."""
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        cached = self._cache.get(digest)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        profile = await self.platform.verify_device(key)
        self._cache[digest] = (profile, time.monotonic() + self.cache_s)
        return profile

    async def apply_profile(
        self, request: Request, sender_id: str, profile: dict[str, Any]
    ) -> None:
        """Lock the device's language; the device's venue when the conversation names none."""
        language, venue = str(profile["language"]), str(profile["venue_id"])
        slots: dict[str, Any] = {}
        if await get_slot(request.app, sender_id, "language_locked") != language:
            slots.update(language=language, language_locked=language)
        if not await get_slot(request.app, sender_id, "attraction"):
            slots["attraction"] = venue
        if slots:
            await set_slots(request.app, sender_id, slots)

    @staticmethod
    def _speech(messages: list[dict[str, Any]], language: str) -> list[str]:
        texts = []
        for message in messages:
            text = str(message.get("text") or "")
            buttons = message.get("buttons") or []
            if buttons:
                titles = ", ".join(str(b.get("title") or "") for b in buttons)
                text = f"{text}\n{titles}"
            if text.strip():
                texts.append(to_speech(text, language))
        return [t for t in texts if t]

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """``GET /`` (status) and ``POST /webhook``."""
        webhook = Blueprint("guide_webhook", __name__)

        @webhook.listener("after_server_stop")
        async def close_client(*_: Any) -> None:
            await self.platform.close()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            key = request.headers.get("X-Device-Key", "")
            if not key or len(key) > 200:
                return response.json({"error": "X-Device-Key header required"}, status=401)
            try:
                profile = await self.device(key)
            except PlatformUnavailable:
                logger.error(event("guide.registry.unreachable"))
                return response.json({"error": "device registry unreachable"}, status=503)
            if profile is None:
                return response.json({"error": "unknown or revoked device key"}, status=401)
            raw = request.body or b""
            try:
                data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_BODY_BYTES else None
            except (UnicodeDecodeError, ValueError):
                data = None
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return response.json({"error": 'body must be {"message": "..."}'}, status=400)
            session = str(data.get("session") or "default")
            if not _SESSION.match(session):
                return response.json(
                    {"error": "'session' must be 1-64 letters, digits, - or _"}, status=400
                )
            language = str(profile["language"])
            sender_id = f"guide-{profile['device_id']}-{session}"
            text: str = data["message"]
            verdict = check_text(text, self.guard)
            if verdict is not Verdict.PASS:
                answer = notice(verdict.value, language, limit=self.guard.max_message_chars)
                return response.json(
                    [
                        {
                            "recipient_id": sender_id,
                            "text": to_speech(answer, language),
                            "language": language,
                        }
                    ]
                )
            await self.apply_profile(request, sender_id, profile)
            collector = CollectingOutputChannel()
            metadata = {
                "device_id": profile["device_id"],
                "venue_id": profile["venue_id"],
                "language": language,
            }
            try:
                await on_new_message(
                    UserMessage(
                        text, collector, sender_id, input_channel=self.name(), metadata=metadata
                    )
                )
            except Exception as error:  # noqa: BLE001 - the device gets whatever was collected
                logger.error(
                    event(
                        "guide.message.failed",
                        conversation=pseudonym(sender_id),
                        error=type(error).__name__,
                    )
                )
            return response.json(
                [
                    {"recipient_id": sender_id, "text": speech, "language": language}
                    for speech in self._speech(collector.messages, language)
                ]
            )

        return webhook
