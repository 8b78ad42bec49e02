"""Posts WeChat messages and events to a webhook, signed and optionally encrypted, with retries."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape

import aiohttp

from channels.wechat.crypto import WeChatCrypto, sign
from channels.wechat.messages import cdata, encrypted_request, parse_fields

Mode = Literal["plaintext", "compatible", "safe"]
ATTEMPTS = 3
TIMEOUT_S = 5.0
_msg_ids = itertools.count(int(time.time()) * 1000)


@dataclass(frozen=True)
class Attempt:
    """One HTTP attempt: status (``None`` on timeout / connection error), body, seconds taken."""

    status: int | None
    body: str
    seconds: float


@dataclass
class Delivery:
    """What WeChat saw for one message: its attempts, and the reply it accepted (decrypted)."""

    xml: str
    attempts: list[Attempt] = field(default_factory=list)
    reply: dict[str, str] | None = None
    """Fields of the passive reply (``None`` for ``success``, an empty body or a failure)."""

    @property
    def final(self) -> Attempt:
        """The last attempt."""
        return self.attempts[-1]

    @property
    def answered(self) -> bool:
        """True when an attempt got a 200 within the timeout."""
        return self.final.status == 200


class Sender:
    """WeChat's side of the webhook for one Official Account."""

    def __init__(
        self,
        webhook_url: str,
        token: str,
        *,
        app_id: str = "",
        aes_key: str = "",
        mode: Mode = "plaintext",
        account: str = "gh_simulated0001",
        attempts: int = ATTEMPTS,
        timeout_s: float = TIMEOUT_S,
    ) -> None:
        self.webhook_url = webhook_url
        self.token = token
        self.mode = mode
        self.account = account
        self.attempts = attempts
        self.timeout_s = timeout_s
        self.crypto = WeChatCrypto(token, aes_key, app_id) if mode != "plaintext" else None

    # -------------------------------------------------------------- message bodies

    def _xml(self, openid: str, msg_type: str, fields: dict[str, str | int | float]) -> str:
        parts = [
            f"<ToUserName>{cdata(self.account)}</ToUserName>",
            f"<FromUserName>{cdata(openid)}</FromUserName>",
            f"<CreateTime>{fields.pop('CreateTime', int(time.time()))}</CreateTime>",
            f"<MsgType>{cdata(msg_type)}</MsgType>",
        ]
        for name, value in fields.items():
            text = cdata(value) if isinstance(value, str) else escape(str(value))
            parts.append(f"<{name}>{text}</{name}>")
        return "<xml>" + "".join(parts) + "</xml>"

    @staticmethod
    def new_msg_id() -> int:
        """A fresh 64-bit-style MsgId."""
        return next(_msg_ids)

    def text(self, openid: str, content: str, msg_id: int | None = None) -> str:
        """A text message."""
        return self._xml(openid, "text", {"Content": content, "MsgId": msg_id or self.new_msg_id()})

    def voice(self, openid: str, recognition: str | None, msg_id: int | None = None) -> str:
        """A voice message (``Recognition`` when WeChat's speech recognition is on)."""
        fields: dict[str, str | int | float] = {"MediaId": "media-voice-1", "Format": "amr"}
        if recognition is not None:
            fields["Recognition"] = recognition
        fields["MsgId"] = msg_id or self.new_msg_id()
        return self._xml(openid, "voice", fields)

    def image(self, openid: str, pic_url: str, msg_id: int | None = None) -> str:
        """An image message."""
        return self._xml(
            openid,
            "image",
            {"PicUrl": pic_url, "MediaId": "media-image-1", "MsgId": msg_id or self.new_msg_id()},
        )

    def location(self, openid: str, lat: float, lon: float, label: str = "") -> str:
        """A location message."""
        return self._xml(
            openid,
            "location",
            {
                "Location_X": lat,
                "Location_Y": lon,
                "Scale": 15,
                "Label": label,
                "MsgId": self.new_msg_id(),
            },
        )

    def event(
        self,
        openid: str,
        name: str,
        key: str | None = None,
        create_time: int | None = None,
        **extra: str | float,
    ) -> str:
        """An event (``subscribe``, ``SCAN``, ``LOCATION``, ``CLICK``, ``unsubscribe``...)."""
        fields: dict[str, str | int | float] = {"CreateTime": create_time or int(time.time())}
        fields["Event"] = name
        if key is not None:
            fields["EventKey"] = key
        fields.update(extra)
        return self._xml(openid, "event", fields)

    # -------------------------------------------------------------- delivery

    def signed_request(
        self, xml: str, *, timestamp: str | None = None, nonce: str | None = None
    ) -> tuple[dict[str, str], str]:
        """Query parameters and body of one POST, as WeChat would send them."""
        timestamp = timestamp or str(int(time.time()))
        nonce = nonce or str(secrets.randbelow(10**10))
        params = {
            "signature": sign(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "openid": "simulated",
        }
        if self.crypto is None:
            return params, xml
        encrypted = self.crypto.encrypt(xml)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = sign(self.token, timestamp, nonce, encrypted)
        if self.mode == "compatible":  # plaintext fields and the ciphertext side by side
            body = xml.replace("</xml>", f"<Encrypt>{cdata(encrypted)}</Encrypt></xml>")
        else:
            body = encrypted_request(self.account, encrypted)
        return params, body

    def read_reply(self, body: str, params: dict[str, str]) -> dict[str, str] | None:
        """The passive reply's fields (decrypted and its signature checked in encrypted modes)."""
        if not body or body == "success":
            return None
        fields = parse_fields(body)
        if self.crypto is not None and "Encrypt" in fields:
            expected = sign(self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"])
            if expected != fields.get("MsgSignature"):
                raise ValueError("reply MsgSignature does not match")
            fields = parse_fields(self.crypto.decrypt(fields["Encrypt"]))
        return fields

    async def post_once(
        self, params: dict[str, str], body: str, session: aiohttp.ClientSession
    ) -> Attempt:
        """One POST with WeChat's timeout."""
        started = time.monotonic()
        try:
            async with session.post(
                self.webhook_url,
                params=params,
                data=body.encode("utf-8"),
                headers={"Content-Type": "text/xml"},
                timeout=aiohttp.ClientTimeout(total=self.timeout_s),
            ) as response:
                text = await response.text()
                return Attempt(response.status, text, time.monotonic() - started)
        except (TimeoutError, aiohttp.ClientError):
            return Attempt(None, "", time.monotonic() - started)

    async def deliver(self, xml: str, *, retry_on: tuple[int, ...] = ()) -> Delivery:
        """Post ``xml`` until answered: a timeout or connection error is retried (3 attempts in
        all), as is a status in ``retry_on``; every attempt is signed afresh."""
        delivery = Delivery(xml=xml)
        async with aiohttp.ClientSession() as session:
            for _ in range(self.attempts):
                params, body = self.signed_request(xml)
                attempt = await self.post_once(params, body, session)
                delivery.attempts.append(attempt)
                if attempt.status is not None and attempt.status not in retry_on:
                    if attempt.status == 200:
                        delivery.reply = self.read_reply(attempt.body, params)
                    break
        return delivery

    async def verify_server(self, echostr: str = "echo-check") -> Attempt:
        """The GET WeChat sends when the server URL is configured."""
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
        params = {
            "signature": sign(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "echostr": echostr,
        }
        async with aiohttp.ClientSession() as session:
            started = time.monotonic()
            async with session.get(self.webhook_url, params=params) as response:
                return Attempt(response.status, await response.text(), time.monotonic() - started)


async def gather_deliveries(sender: Sender, xmls: list[str]) -> list[Delivery]:
    """Deliver several messages at once (e.g. two tourists writing together)."""
    return list(await asyncio.gather(*(sender.deliver(xml) for xml in xmls)))
