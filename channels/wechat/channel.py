"""The WeChat Official Account input channel (``/webhooks/wechat/webhook``).

GET verifies the server (signature over token, timestamp, nonce; ``echostr`` returned as-is).
Every POST is checked the same way (constant-time, timestamps outside the window refused: 403),
decrypted when ``encrypt_type=aes`` (``msg_signature`` and AppID checked), de-duplicated by
``MsgId`` (events: sender + CreateTime), then answered within WeChat's 5 seconds: the first reply
passively when the turn is done within ``passive_reply_s`` (the others through the
customer-service API), otherwise ``success`` at once and every reply through the API.
See the README section "Channels: WeChat and guide devices".
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import GuardSettings, Verdict, check_text
from channels.handoff_relay import (
    AiohttpHandoffPlatform,
    DomainTexts,
    HandoffRelay,
    Relayed,
    RelayError,
    RelaySettings,
)
from channels.notices import guess_language
from channels.notices import notice as guard_notice
from channels.wechat.api import AccessTokens, CustomerService, ReplyWindow
from channels.wechat.conversation import delete_conversation, get_slot, set_slots
from channels.wechat.crypto import (
    AppIdError,
    DecryptError,
    SignatureError,
    WeChatCrypto,
    signature_matches,
)
from channels.wechat.dedup import Deduplicator
from channels.wechat.messages import (
    Inbound,
    MessageError,
    encrypted_reply,
    parse_fields,
    parse_inbound,
    text_reply,
)
from channels.wechat.output import WeChatCollector, WeChatPush
from channels.wechat.platform import PlatformClient, PlatformUnavailable
from channels.wechat.settings import WeChatSettings
from channels.wechat.store import Store, make_store
from channels.wechat.text import DEFAULT_LANGUAGE, choice_number, notice
from channels.wechat.undelivered import Undelivered
from common.logsafe import event, install_on_handlers, pseudonym

logger = logging.getLogger(__name__)

SUCCESS = "success"
VENUE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
CHOICES_TTL_S = 24 * 3600.0
VENUE_TTL_S = 12 * 3600.0
LOCATION_TTL_S = 3600.0
NEARBY_RADIUS_KM = 50
WINDOW_S = 48 * 3600.0
AFTER_PASSIVE_S = 0.5
Handler = Callable[[UserMessage], Awaitable[Any]]


class Forbidden(Exception):
    """Signature, timestamp or AppID check failed (403)."""


class Invalid(Exception):
    """The request is not a WeChat message (400)."""


class WeChatInput(InputChannel):
    """WeChat Official Account messages and events (plaintext, compatible and safe modes)."""

    @classmethod
    def name(cls) -> str:
        """``wechat``: the webhook is ``/webhooks/wechat/webhook``."""
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WeChatInput:
        """The channel configured by its ``credentials.yml`` section."""
        return cls(WeChatSettings.from_credentials(credentials))

    def __init__(self, settings: WeChatSettings, store: Store | None = None) -> None:
        """``store``: shared state (default: Redis when ``redis_url`` is set, else memory)."""
        self.settings = settings
        self.crypto = (
            WeChatCrypto(settings.token, settings.aes_key, settings.app_id)
            if settings.aes_key
            else None
        )
        self.store = store or make_store(settings.redis_url)
        self.dedup = Deduplicator(self.store)
        self.tokens = AccessTokens(
            self.store,
            settings.api_base,
            settings.app_id,
            settings.app_secret,
            timeout_s=settings.api_timeout_s,
        )
        self.window = ReplyWindow(self.store)
        self.undelivered = Undelivered(self.store)
        self.service = CustomerService(self.tokens, self.window, self.undelivered)
        self.platform = PlatformClient(
            settings.platform_url, settings.platform_token, settings.erase_path
        )
        self.guard = GuardSettings(max_message_chars=settings.max_message_chars)
        self._background: set[asyncio.Task[Any]] = set()
        self._relay: HandoffRelay | None = None
        self._relay_platform = (
            AiohttpHandoffPlatform(RelaySettings(settings.platform_url, settings.platform_token))
            if settings.platform_url and settings.platform_token
            else None
        )
        self._recent: dict[str, float] = {}
        """OpenIDs this process served whose reply window may be open (outbox push)."""

    def get_output_channel(self) -> OutputChannel:
        """Messages Rasa sends outside a turn go through the customer-service API."""
        return WeChatPush(self.service)

    # ----------------------------------------------------------------- request checks

    def _check_signature(self, request: Request, *, fresh: bool = True) -> tuple[str, str]:
        """Signature of every request; with ``fresh`` also the replay window (messages only:
        the GET verification has no side effect and WeChat's worked examples use old times)."""
        args = request.args
        timestamp = str(args.get("timestamp") or "")
        nonce = str(args.get("nonce") or "")
        signature = args.get("signature")
        if not timestamp.isdigit() or not nonce or len(nonce) > 64:
            raise Forbidden("missing timestamp or nonce")
        if not signature_matches((self.settings.token, timestamp, nonce), signature):
            raise Forbidden("bad signature")
        if fresh and abs(time.time() - int(timestamp)) > self.settings.timestamp_window_s:
            raise Forbidden("timestamp outside the accepted window")
        return timestamp, nonce

    def _plain_body(self, request: Request, timestamp: str, nonce: str) -> tuple[bytes, bool]:
        body = request.body or b""
        if len(body) > self.settings.max_body_bytes:
            raise Invalid("body too large")
        if request.args.get("encrypt_type") != "aes":
            return body, False
        if self.crypto is None:
            raise Invalid("encrypted message but WECHAT_AES_KEY is not configured")
        try:
            encrypted = parse_fields(body).get("Encrypt", "")
        except MessageError as error:
            raise Invalid(str(error)) from None
        if not encrypted:
            raise Invalid("no Encrypt element")
        try:
            plain = self.crypto.check_and_decrypt(
                encrypted, request.args.get("msg_signature"), timestamp, nonce
            )
        except (SignatureError, AppIdError) as error:
            raise Forbidden(str(error)) from None
        except DecryptError as error:
            raise Invalid(str(error)) from None
        return plain.encode("utf-8"), True

    def _wrap(self, body: str, encrypted: bool, timestamp: str, nonce: str) -> HTTPResponse:
        if body == SUCCESS:
            return response.text(SUCCESS)
        if encrypted and self.crypto is not None:
            cipher, signature = self.crypto.encrypt_envelope(body, timestamp, nonce)
            body = encrypted_reply(cipher, signature, timestamp, nonce)
        return response.text(body, content_type="application/xml; charset=utf-8")

    # ----------------------------------------------------------------- state helpers

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _language(self, request: Request, openid: str) -> str:
        value = await get_slot(request.app, openid, "language")
        return str(value) if isinstance(value, str) and value != "und" else DEFAULT_LANGUAGE

    async def _metadata(self, inbound: Inbound, **extra: Any) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "wechat": {
                "msg_type": inbound.msg_type,
                "msg_id": inbound.msg_id or None,
                "event": inbound.event or None,
            }
        }
        venue = await self.store.get(f"venue:{inbound.from_user}")
        if venue:
            metadata["venue_id"] = venue
        location = await self.store.get(f"location:{inbound.from_user}")
        if location:
            metadata["location"] = json.loads(location)
        metadata.update(extra)
        return metadata

    def _reply(self, inbound: Inbound, text: str) -> str:
        return text_reply(inbound.from_user, inbound.to_user, text)

    # ----------------------------------------------------------------- hand-off relay

    def relay(self, app: Any) -> HandoffRelay | None:
        """The hand-off relay (built on first use with the app's agent), or None without a
        platform token: staff who hold a conversation get the tourist's messages, and staff
        replies or case updates reach the tourist (see ``channels/handoff_relay.py``)."""
        if self._relay_platform is None:
            return None
        if self._relay is None:

            async def is_hand_back(text: str) -> bool:
                parsed = await app.ctx.agent.parse_message(text)
                intent = parsed.get("intent") or {}
                return bool(
                    intent.get("name") == "hand_back" and (intent.get("confidence") or 0) >= 0.5
                )

            self._relay = HandoffRelay(
                self._relay_platform,
                DomainTexts(lambda: getattr(app.ctx.agent, "domain", None)),
                is_hand_back=is_hand_back,
            )
        return self._relay

    async def _relayed(self, request: Request, openid: str, text: str) -> Relayed:
        relay = self.relay(request.app)
        if relay is None:
            return Relayed(handled=False, replies=[])
        try:
            language = await get_slot(request.app, openid, "language")
            return await relay.intercept(openid, text, language=language)
        except Exception as error:  # noqa: BLE001 - the assistant answers whatever the relay does
            logger.error(
                event(
                    "wechat.relay.failed",
                    conversation=pseudonym(openid),
                    error=type(error).__name__,
                )
            )
            return Relayed(handled=False, replies=[])

    async def push_outbox(self, app: Any) -> int:
        """Send the pending outbox messages (staff replies, case updates) of the tourists this
        process served whose reply window is still open; the number of messages sent."""
        relay = self.relay(app)
        if relay is None:
            return 0
        sent = 0
        now = time.monotonic()
        for openid in list(self._recent):
            if self._recent[openid] < now or await self.window.remaining(openid) == 0:
                self._recent.pop(openid, None)
                continue
            try:
                claimed = await relay.platform.claim_outbox(openid)
            except RelayError:
                continue
            if not claimed:
                continue
            language = await get_slot(app, openid, "language")
            texts = [relay.render(item, language) for item in claimed]
            sent += await self.service.send_all(openid, [t for t in texts if t])
        return sent

    async def _push_loop(self, app: Any) -> None:
        while True:
            await asyncio.sleep(self.settings.outbox_poll_s)
            try:
                await self.push_outbox(app)
            except Exception as error:  # noqa: BLE001 - the loop must survive a bad round
                logger.error(event("wechat.outbox.failed", error=type(error).__name__))

    # ----------------------------------------------------------------- turns

    async def _run_turn(
        self,
        request: Request,
        handler: Handler,
        message: UserMessage,
        output: WeChatCollector,
        notices: list[str],
    ) -> list[str]:
        sender = str(message.sender_id)
        try:
            await handler(message)
        except Exception as error:  # noqa: BLE001 - the tourist gets whatever was collected
            logger.error(
                event(
                    "wechat.turn.failed", conversation=pseudonym(sender), error=type(error).__name__
                )
            )
        texts, choices = output.render(await self._language(request, sender))
        texts += notices
        if choices:
            await self.store.set(f"choices:{sender}", json.dumps(choices), CHOICES_TTL_S)
        else:
            await self.store.delete(f"choices:{sender}")
        return texts

    async def _deliver_later(self, turn: asyncio.Future[list[str]], openid: str) -> None:
        texts = await turn
        sent = await self.service.send_all(openid, texts)
        logger.info(
            event(
                "wechat.reply.async", conversation=pseudonym(openid), messages=len(texts), sent=sent
            )
        )

    async def _turn(
        self,
        request: Request,
        handler: Handler,
        inbound: Inbound,
        text: str,
        deadline: float,
        **metadata: Any,
    ) -> str:
        """Run the assistant on ``text`` (or give it to staff who hold the conversation); the
        passive reply body or ``success``."""
        relayed = await self._relayed(request, inbound.from_user, text)
        if relayed.handled:
            return self._answer_now(inbound, relayed.replies)
        output = WeChatCollector()
        message = UserMessage(
            text,
            output,
            inbound.from_user,
            input_channel=self.name(),
            message_id=inbound.msg_id or None,
            metadata=await self._metadata(inbound, **metadata),
        )
        turn = asyncio.ensure_future(
            self._run_turn(request, handler, message, output, relayed.replies)
        )
        done, _ = await asyncio.wait({turn}, timeout=max(0.0, deadline - time.monotonic()))
        if turn not in done:
            self._spawn(self.service.typing(inbound.from_user))
            self._spawn(self._deliver_later(turn, inbound.from_user))
            return SUCCESS
        return self._answer_now(inbound, turn.result())

    def _answer_now(self, inbound: Inbound, texts: list[str]) -> str:
        """The first text as the passive reply, the others by customer service."""
        if not texts:
            return SUCCESS
        if len(texts) > 1:
            self._spawn(self._send_after_passive(inbound.from_user, texts[1:]))
        return self._reply(inbound, texts[0])

    async def _send_undelivered(self, app: Any, openid: str) -> None:
        """Texts WeChat did not take earlier (:mod:`channels.wechat.undelivered`), sent after the
        answer to the tourist's new message (which opened a new window), under a short notice."""
        await asyncio.sleep(AFTER_PASSIVE_S * 2)
        texts = await self.undelivered.take(openid)
        if not texts:
            return
        language = await get_slot(app, openid, "language")
        header = notice("undelivered", language if isinstance(language, str) else DEFAULT_LANGUAGE)
        if not texts[0].startswith(header):
            texts[0] = f"{header}\n\n{texts[0]}"
        sent = await self.service.send_all(openid, texts)
        logger.info(
            event(
                "wechat.undelivered.sent",
                conversation=pseudonym(openid),
                messages=len(texts),
                sent=sent,
            )
        )

    async def _send_after_passive(self, openid: str, texts: list[str]) -> None:
        """The rest of a turn, a moment after the passive reply so the tourist reads them in order."""
        await asyncio.sleep(AFTER_PASSIVE_S)
        await self.service.send_all(openid, texts)

    # ----------------------------------------------------------------- message types

    async def _text(
        self, request: Request, handler: Handler, inbound: Inbound, text: str, deadline: float
    ) -> str:
        metadata: dict[str, Any] = {}
        number = choice_number(text)
        if number:
            stored = await self.store.get(f"choices:{inbound.from_user}")
            payload = json.loads(stored).get(number) if stored else None
            if payload:
                text, metadata["choice"] = payload, number
        verdict = check_text(text, self.guard)
        if verdict is not Verdict.PASS:
            session = await get_slot(request.app, inbound.from_user, "language")
            language = guess_language(text, session or DEFAULT_LANGUAGE)
            answer = guard_notice(verdict.value, language, limit=self.guard.max_message_chars)
            return self._reply(inbound, answer)
        return await self._turn(request, handler, inbound, text, deadline, **metadata)

    async def _location(self, request: Request, inbound: Inbound, lat: float, lon: float) -> str:
        openid = inbound.from_user
        await self.store.set(
            f"location:{openid}", json.dumps({"lat": lat, "lon": lon}), LOCATION_TTL_S
        )
        language = await self._language(request, openid)
        try:
            places = await self.platform.nearby(lat, lon, language)
        except PlatformUnavailable:
            return self._reply(inbound, notice("nearby_unavailable", language))
        if not places:
            return self._reply(inbound, notice("nearby_none", language, km=NEARBY_RADIUS_KM))
        lines = [notice("nearby", language)]
        choices: dict[str, str] = {}
        for number, place in enumerate(places, start=1):
            lines.append(f"{number}. {place['name']} ({place['distance_km']} km)")
            choices[str(number)] = str(place["name"])
        await self.store.set(f"choices:{openid}", json.dumps(choices), CHOICES_TTL_S)
        return self._reply(inbound, "\n".join(lines))

    def _venue_of_scene(self, scene: str) -> str | None:
        venue = self.settings.scenes.get(scene)
        if venue is None and not scene.isdigit():
            venue = scene
        return venue if venue and VENUE_ID.match(venue) else None

    async def _scene(self, request: Request, inbound: Inbound, scene: str) -> str | None:
        """Set the venue of a QR scene; the reply text, or ``None`` for an unknown scene."""
        venue = self._venue_of_scene(scene)
        if venue is None:
            logger.warning(event("wechat.scene.unknown", scene=scene[:64]))
            return None
        language = await self._language(request, inbound.from_user)
        name: str | None = venue
        if self.platform.configured:
            name = await self.platform.venue_name(venue, language)
            if name is None:
                logger.warning(event("wechat.scene.unknown_venue", venue=venue))
                return None
        await self.store.set(f"venue:{inbound.from_user}", venue, VENUE_TTL_S)
        await set_slots(request.app, inbound.from_user, {"attraction": venue})
        logger.info(
            event("wechat.scene.venue", conversation=pseudonym(inbound.from_user), venue=venue)
        )
        return notice("venue_set", language, venue=name)

    async def _unsubscribe(self, request: Request, openid: str) -> None:
        await self.store.delete(f"choices:{openid}", f"venue:{openid}", f"location:{openid}")
        await self.window.forget(openid)
        tracker = await delete_conversation(request.app, openid)
        platform = await self.platform.erase(openid) if self.platform.configured else False
        logger.info(
            event(
                "wechat.unsubscribe.erased",
                conversation=pseudonym(openid),
                tracker=tracker,
                platform=platform,
            )
        )

    async def _event(
        self, request: Request, handler: Handler, inbound: Inbound, deadline: float
    ) -> str:
        kind, key, openid = inbound.event, inbound.event_key, inbound.from_user
        if kind in {"subscribe", "scan", "click"}:
            await self.window.open(openid, "event")
        if kind == "subscribe":
            text = None
            if key.startswith("qrscene_"):
                text = await self._scene(request, inbound, key.removeprefix("qrscene_"))
            if text is None:
                text = notice("welcome", await self._language(request, openid))
            return self._reply(inbound, text)
        if kind == "scan":
            text = await self._scene(request, inbound, key)
            return self._reply(inbound, text) if text else SUCCESS
        if kind == "location" and inbound.latitude is not None and inbound.longitude is not None:
            location = {"lat": inbound.latitude, "lon": inbound.longitude}
            await self.store.set(f"location:{openid}", json.dumps(location), LOCATION_TTL_S)
            return SUCCESS
        if kind == "click":
            text = self.settings.menu.get(key)
            if not text:
                logger.warning(event("wechat.menu.unknown_key", key=key[:64]))
                return SUCCESS
            return await self._turn(request, handler, inbound, text, deadline, menu_key=key)
        if kind == "unsubscribe":
            await self._unsubscribe(request, openid)
            return SUCCESS
        return SUCCESS  # VIEW and other events need no answer

    async def _dispatch(
        self, request: Request, handler: Handler, inbound: Inbound, deadline: float
    ) -> str:
        kind = inbound.msg_type
        if kind == "event":
            return await self._event(request, handler, inbound, deadline)
        await self.window.open(inbound.from_user, "message")
        self._recent[inbound.from_user] = time.monotonic() + WINDOW_S
        if kind == "text":
            return await self._text(request, handler, inbound, inbound.content, deadline)
        if kind == "voice":
            if inbound.recognition.strip():
                return await self._text(request, handler, inbound, inbound.recognition, deadline)
            language = await self._language(request, inbound.from_user)
            return self._reply(inbound, notice("voice_unrecognized", language))
        if kind == "location" and inbound.location_x is not None and inbound.location_y is not None:
            return await self._location(request, inbound, inbound.location_x, inbound.location_y)
        if kind == "image" and inbound.pic_url.startswith(("http://", "https://")):
            image = {"url": inbound.pic_url, "media_id": inbound.media_id, "type": "image"}
            return await self._turn(
                request,
                handler,
                inbound,
                inbound.pic_url,
                deadline,
                images=True,
                image_url=inbound.pic_url,
                attachments=[image],
            )
        language = await self._language(request, inbound.from_user)
        return self._reply(inbound, notice("unsupported", language))

    async def handle(
        self,
        request: Request,
        handler: Handler,
        inbound: Inbound,
        *,
        dropped: asyncio.Event | None = None,
    ) -> str:
        """The body to answer ``inbound`` with (plaintext XML or ``success``), exactly once.

        When WeChat dropped the connection meanwhile (``dropped`` set), a passive reply could not
        arrive: it is sent through the customer-service API and retries get ``success``.
        """
        started = time.monotonic()
        deadline = started + self.settings.passive_reply_s
        claim = await self.dedup.claim(inbound.dedup_key, wait_until=deadline)
        if not claim.first:
            logger.info(
                event(
                    "wechat.message.duplicate",
                    conversation=pseudonym(inbound.from_user),
                    reused=claim.answer is not None,
                )
            )
            return claim.answer or SUCCESS
        try:
            body = await self._dispatch(request, handler, inbound, deadline)
        except Exception as error:  # noqa: BLE001 - WeChat must get an answer within 5 s
            logger.error(
                event(
                    "wechat.message.failed",
                    conversation=pseudonym(inbound.from_user),
                    error=type(error).__name__,
                )
            )
            body = SUCCESS
        if inbound.msg_type != "event" and await self.undelivered.count(inbound.from_user):
            self._spawn(self._send_undelivered(request.app, inbound.from_user))
        if dropped is not None and dropped.is_set() and body != SUCCESS:
            content = parse_fields(body).get("Content", "")
            self._spawn(self.service.send_all(inbound.from_user, [content]))
            body = SUCCESS
        await self.dedup.answered(inbound.dedup_key, body)
        logger.info(
            event(
                "wechat.message",
                conversation=pseudonym(inbound.from_user),
                type=inbound.msg_type,
                event_name=inbound.event or "-",
                passive=body != SUCCESS,
                ms=f"{(time.monotonic() - started) * 1000:.0f}",
            )
        )
        return body

    # ----------------------------------------------------------------- routes

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """``GET /`` (status), ``GET /webhook`` (server verification), ``POST /webhook``."""
        webhook = Blueprint("wechat_webhook", __name__)

        @webhook.listener("before_server_start")
        async def redact_library_logs(*_: Any) -> None:
            install_on_handlers("", "sanic.root", "sanic.error", "sanic.access")

        @webhook.listener("after_server_start")
        async def warm_up(app: Any, *_: Any) -> None:
            # The first parse loads the encoders (~9 s measured, blocking the event loop): pay it
            # at start-up, not inside a tourist's 5-second window.
            agent = getattr(app.ctx, "agent", None)
            if agent is None or getattr(agent, "processor", None) is None:
                return
            started = time.monotonic()
            try:
                await agent.parse_message("你好")
            except Exception as error:  # noqa: BLE001 - a failed warm-up only costs time later
                logger.warning(event("wechat.warmup.failed", error=type(error).__name__))
                return
            logger.info(event("wechat.warmup", ms=f"{(time.monotonic() - started) * 1000:.0f}"))

        @webhook.listener("after_server_start")
        async def start_outbox_push(app: Any, *_: Any) -> None:
            if self._relay_platform is not None and self.settings.outbox_poll_s > 0:
                self._spawn(self._push_loop(app))

        @webhook.listener("after_server_stop")
        async def close_clients(*_: Any) -> None:
            for task in list(self._background):
                task.cancel()
            await self.tokens.close()
            await self.platform.close()
            if self._relay_platform is not None:
                await self._relay_platform.aclose()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                self._check_signature(request, fresh=False)
            except Forbidden as error:
                logger.warning(event("wechat.verify.refused", reason=str(error)))
                return response.text("forbidden", status=403)
            return response.text(str(request.args.get("echostr") or ""))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                timestamp, nonce = self._check_signature(request)
                plain, encrypted = self._plain_body(request, timestamp, nonce)
                inbound = parse_inbound(plain)
            except Forbidden as error:
                logger.warning(event("wechat.message.refused", reason=str(error)))
                return response.text("forbidden", status=403)
            except (Invalid, MessageError) as error:
                logger.warning(event("wechat.message.invalid", reason=str(error)))
                return response.text(f"bad request: {error}", status=400)
            # WeChat may drop the connection (Sanic then cancels this handler): the handling
            # goes on, shielded, and its answer is delivered through the customer-service API.
            dropped = asyncio.Event()
            handling = asyncio.ensure_future(
                self.handle(request, on_new_message, inbound, dropped=dropped)
            )
            try:
                body = await asyncio.shield(handling)
            except asyncio.CancelledError:
                dropped.set()
                self._background.add(handling)
                handling.add_done_callback(self._background.discard)
                raise
            return self._wrap(body, encrypted, timestamp, nonce)

        return webhook
