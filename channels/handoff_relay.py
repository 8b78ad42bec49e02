"""Channel-side relay of a conversation handed off to staff, and the tourist's pending notices.

Any input channel (REST now; WeChat and the web widget the same way) makes one call per message:

.. code-block:: python

    relay = HandoffRelay(AiohttpHandoffPlatform.from_env(), DomainTexts(lambda: agent.domain))

    relayed = await relay.intercept(sender_id, text, language=session_language_or_none)
    replies = []
    if not relayed.handled:        # not handed off: the assistant answers as usual
        await on_new_message(UserMessage(text, collector, sender_id, ...))
        replies = [m["text"] for m in collector.messages]
    replies += relayed.replies     # staff messages, complaint replies, "case resolved", ...

:meth:`HandoffRelay.intercept` asks the platform, at the same time, whether staff hold the
conversation (``GET /api/conversations/{sender}/handoff``) and for the conversation's outbox
(``POST .../outbox/claim``: each message is delivered once). While staff hold it, the tourist's
message goes to the console (``POST .../handoff/messages``) instead of the assistant, and the
staff messages come back as the answer (possibly none: a person is typing). A message asking for
the bot back ("hand back", "转回机器人", or the ``hand_back`` intent through ``is_hand_back``) is
left to the assistant, whose ``action_hand_back`` ends the hand-off. Outbox messages (a staff reply
to a complaint, a case resolved, staff handing the conversation back) are rendered in the case's
language from the domain's ``utter_relay_*`` responses (``bot/i18n/complaints/``).

The relay never raises: when the platform cannot be reached, the assistant answers (and says so
itself when it needs the platform) and notifications wait for a later turn. Logs carry a
pseudonymous conversation id, never the text.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from common.languages import FALLBACK_LANGUAGE, is_supported
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)

DEFAULT_URL = "http://localhost:8000"
DEFAULT_TIMEOUT_S = 2.0
MAX_FORWARD_CHARS = 4000
HAND_BACK_PHRASES = frozenset(
    {
        "hand back",
        "back to the bot",
        "back to the assistant",
        "转回机器人",
        "回到智能助手",
        "ボットに戻る",
        "봇으로 돌아가기",
        "retour au bot",
        "zurück zum bot",
        "volver al bot",
        "вернуться к боту",
    }
)
"""Exact "give me the bot back" phrases (the texts the bot itself tells the tourist to say)."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_EDGES = re.compile(r"^[\s!?.,。！？，~]+|[\s!?.,。！？，~]+$")


class RelayError(Exception):
    """The platform could not be reached or refused the request (no credentials in the text)."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class OutboxMessage:
    """One message waiting for the tourist (``kind``: ``handoff_message``, ``handoff_ended``,
    ``complaint_reply``, ``complaint_status``)."""

    kind: str
    text: str = ""
    reference: str = ""
    status: str = ""
    language: str = ""

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> OutboxMessage:
        """From the platform's outbox item."""
        return cls(
            kind=str(item.get("kind") or ""),
            text=str(item.get("text") or ""),
            reference=str(item.get("reference") or ""),
            status=str(item.get("status") or ""),
            language=str(item.get("language") or ""),
        )


class HandoffPlatform(Protocol):
    """The platform's conversation routes the relay needs (service token)."""

    async def handoff_active(self, sender_id: str) -> bool:
        """Whether staff hold the conversation."""

    async def forward(self, sender_id: str, text: str) -> bool:
        """Give the tourist's message to staff; False when the hand-off has just ended."""

    async def claim_outbox(self, sender_id: str) -> list[OutboxMessage]:
        """Take the conversation's undelivered messages (each is returned once)."""


Texts = Callable[[str, str], str]
"""``texts(key, language)``: the template of response ``key`` in ``language``."""


class DomainTexts:
    """Templates from the Rasa domain's responses (``bot/i18n/complaints/<lang>.yml``).

    ``domain`` is called at each use, so a newly loaded model's texts are used at once.
    """

    def __init__(self, domain: Callable[[], Any]) -> None:
        """``domain()`` returns an object with ``responses`` (Rasa's :class:`Domain`) or a dict."""
        self._domain = domain

    def __call__(self, key: str, language: str) -> str:
        """The variation conditioned on ``language`` (unlocked), else the unconditioned one."""
        domain = self._domain()
        responses = getattr(domain, "responses", None)
        if responses is None and isinstance(domain, Mapping):
            responses = domain.get("responses")
        default = ""
        for variation in (responses or {}).get(key) or []:
            conditions = variation.get("condition") or []
            if not conditions:
                default = default or str(variation.get("text") or "")
                continue
            values = {c.get("name"): c.get("value") for c in conditions}
            if values.get("language") == language and values.get("language_locked") is None:
                return str(variation.get("text") or "")
        return default


def fill(template: str, **values: str) -> str:
    """``template`` with its ``{name}`` placeholders replaced in one pass (others kept)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template).strip()


def is_hand_back_phrase(text: str) -> bool:
    """True for the exact phrases of :data:`HAND_BACK_PHRASES` (any case, edge punctuation)."""
    return _EDGES.sub("", text.casefold()) in HAND_BACK_PHRASES


@dataclass(frozen=True)
class Relayed:
    """What the relay did with a message.

    ``handled``: staff hold the conversation and the message went to them; the channel sends
    ``replies`` only (the assistant stays silent). Otherwise the assistant answers and the channel
    appends ``replies`` (notices from the outbox) to the assistant's messages.
    """

    handled: bool
    replies: list[str]


class HandoffRelay:
    """See the module docstring."""

    def __init__(
        self,
        platform: HandoffPlatform,
        texts: Texts,
        *,
        is_hand_back: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        """``is_hand_back(text)`` may ask the NLU model; the exact phrases are always recognised."""
        self.platform = platform
        self.texts = texts
        self._is_hand_back = is_hand_back

    async def intercept(self, sender_id: str, text: str, *, language: str | None) -> Relayed:
        """Relay ``text`` to staff when they hold the conversation; collect pending notices.

        The hand-off state and the outbox are asked at the same time (one round trip). When the
        platform cannot be reached the assistant answers and the notices wait.
        """
        conversation = pseudonym(sender_id)
        state, claimed = await asyncio.gather(
            self.platform.handoff_active(sender_id),
            self.platform.claim_outbox(sender_id),
            return_exceptions=True,
        )
        if isinstance(claimed, BaseException):
            self._warn("relay.outbox_failed", claimed, conversation)
            claimed = []
        replies = [line for line in (self.render(m, language) for m in claimed) if line]
        if isinstance(state, BaseException):
            self._warn("relay.state_failed", state, conversation)
            return Relayed(handled=False, replies=replies)
        if not state or await self.wants_bot_back(text):
            return Relayed(handled=False, replies=replies)
        try:
            forwarded = await self.platform.forward(sender_id, text[:MAX_FORWARD_CHARS])
        except RelayError as error:
            self._warn("relay.forward_failed", error, conversation)
            return Relayed(handled=False, replies=replies)
        if not forwarded:  # staff ended the hand-off meanwhile
            return Relayed(handled=False, replies=replies)
        logger.info(event("relay.forwarded", conversation=conversation, chars=len(text)))
        return Relayed(handled=True, replies=replies)

    @staticmethod
    def _warn(name: str, error: BaseException, conversation: str) -> None:
        if not isinstance(error, RelayError):
            raise error
        logger.warning(event(name, status=error.status_code or "-", conversation=conversation))

    async def wants_bot_back(self, text: str) -> bool:
        """The tourist asks to leave staff and talk to the assistant again."""
        if is_hand_back_phrase(text):
            return True
        if self._is_hand_back is None:
            return False
        try:
            return await self._is_hand_back(text)
        except Exception:  # noqa: BLE001 - a failed parse must not stop the relay
            logger.warning(event("relay.hand_back_check_failed"))
            return False

    def render(self, message: OutboxMessage, session_language: str | None) -> str:
        """One outbox message as the tourist reads it, in the case's (else the session's) language."""
        language = next(
            (lang for lang in (message.language, session_language) if lang and is_supported(lang)),
            FALLBACK_LANGUAGE,
        )
        values = {"text": message.text, "reference": message.reference}
        if message.kind == "handoff_message":
            key = "utter_relay_staff_message"
        elif message.kind == "handoff_ended":
            key = "utter_relay_handoff_ended"
        elif message.kind == "complaint_reply":
            key = "utter_relay_complaint_reply"
        elif message.kind == "complaint_status":
            key = (
                "utter_relay_complaint_resolved"
                if message.status == "resolved"
                else "utter_relay_complaint_updated"
            )
        else:
            return message.text.strip()
        template = self.texts(key, language)
        return fill(template, **values) if template else message.text.strip()


@dataclass(frozen=True)
class RelaySettings:
    """Where the platform is and the service token (read once, from the environment)."""

    base_url: str = DEFAULT_URL
    token: str = field(default="", repr=False)
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def from_env(cls) -> RelaySettings:
        """``PLATFORM_API_URL``, ``PLATFORM_BOT_API_TOKEN``, ``HANDOFF_RELAY_TIMEOUT`` (seconds)."""
        timeout = os.environ.get("HANDOFF_RELAY_TIMEOUT", "").strip()
        return cls(
            base_url=os.environ.get("PLATFORM_API_URL", "").strip() or DEFAULT_URL,
            token=os.environ.get("PLATFORM_BOT_API_TOKEN", "").strip(),
            timeout_s=float(timeout) if timeout else DEFAULT_TIMEOUT_S,
        )


class AiohttpHandoffPlatform:
    """:class:`HandoffPlatform` over HTTP with ``aiohttp`` (the Rasa server's HTTP client).

    One keep-alive session, opened on first use in the running event loop.
    """

    def __init__(self, settings: RelaySettings) -> None:
        """Talk to ``settings.base_url`` with ``settings.token``."""
        self.settings = settings
        self._session: Any = None

    @classmethod
    def from_env(cls) -> AiohttpHandoffPlatform:
        """From :meth:`RelaySettings.from_env`."""
        return cls(RelaySettings.from_env())

    def _http(self) -> Any:
        import aiohttp  # the Rasa environment's client; imported where it is used

        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                base_url=self.settings.base_url,
                timeout=aiohttp.ClientTimeout(total=self.settings.timeout_s),
                headers={
                    "Accept": "application/json",
                    "Authorization": f"Bearer {self.settings.token}",
                },
            )
        return self._session

    async def aclose(self) -> None:
        """Close the keep-alive session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, method: str, path: str, *, json: Any = None) -> tuple[int, Any]:
        import aiohttp

        try:
            async with self._http().request(method, path, json=json) as response:
                status = response.status
                body = await response.json(content_type=None) if status < 500 else None
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise RelayError(
                f"{method} {path.split('/')[1]}: platform unreachable ({type(exc).__name__})"
            ) from exc
        if status >= 500 or status in (401, 403):
            raise RelayError(f"{method}: platform answered HTTP {status}", status_code=status)
        return status, body

    @staticmethod
    def _path(sender_id: str, tail: str) -> str:
        return f"/api/conversations/{quote(sender_id, safe='')}/{tail}"

    async def handoff_active(self, sender_id: str) -> bool:
        """``GET /api/conversations/{sender}/handoff`` → ``active``."""
        status, body = await self._call("GET", self._path(sender_id, "handoff"))
        return status == 200 and isinstance(body, dict) and bool(body.get("active"))

    async def forward(self, sender_id: str, text: str) -> bool:
        """``POST .../handoff/messages``; 409 (no longer handed off) → False."""
        status, _ = await self._call(
            "POST", self._path(sender_id, "handoff/messages"), json={"text": text}
        )
        if status == 409:
            return False
        if status >= 400:
            raise RelayError(f"POST: platform answered HTTP {status}", status_code=status)
        return True

    async def claim_outbox(self, sender_id: str) -> list[OutboxMessage]:
        """``POST .../outbox/claim`` → the messages, oldest first."""
        status, body = await self._call("POST", self._path(sender_id, "outbox/claim"))
        if status >= 400 or not isinstance(body, dict):
            raise RelayError(f"POST: platform answered HTTP {status}", status_code=status)
        items = body.get("messages")
        return [OutboxMessage.from_json(item) for item in items or [] if isinstance(item, dict)]
