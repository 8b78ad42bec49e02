"""Inbound WeChat XML → :class:`Inbound`; passive replies and encrypted envelopes → XML.

Only the small, flat XML WeChat sends is accepted: DOCTYPE/ENTITY declarations are refused before
parsing (no entity expansion), and the body size is capped by the channel.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_CDATA_END = "]]>"


class MessageError(Exception):
    """The body is not a WeChat message."""


def parse_fields(body: bytes | str) -> dict[str, str]:
    """The child elements of a flat ``<xml>`` document as strings (``MessageError`` otherwise)."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if _DECLARATION.search(raw):
        raise MessageError("XML declarations of DOCTYPE or ENTITY are not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        raise MessageError("body is not well-formed XML") from None
    if root.tag != "xml":
        raise MessageError("root element must be <xml>")
    return {child.tag: (child.text or "").strip() for child in root}


@dataclass(frozen=True)
class Inbound:
    """One message or event from WeChat (field names as WeChat spells them, lower-cased)."""

    to_user: str
    from_user: str
    create_time: int
    msg_type: str
    msg_id: str = ""
    content: str = ""
    recognition: str = ""
    pic_url: str = ""
    media_id: str = ""
    location_x: float | None = None
    location_y: float | None = None
    label: str = ""
    event: str = ""
    event_key: str = ""
    latitude: float | None = None
    longitude: float | None = None
    raw: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def dedup_key(self) -> str:
        """``MsgId`` for messages, ``FromUserName`` + ``CreateTime`` for events (with the event
        and its key, so two different taps within one second both count)."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"evt:{self.from_user}:{self.create_time}:{self.event}:{self.event_key[:64]}"


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        raise MessageError("coordinates must be numbers") from None


def parse_inbound(body: bytes | str) -> Inbound:
    """An :class:`Inbound` from a plaintext message body (``MessageError`` when malformed)."""
    fields = parse_fields(body)
    missing = [name for name in ("ToUserName", "FromUserName", "MsgType") if not fields.get(name)]
    if missing:
        raise MessageError(f"missing {', '.join(missing)}")
    try:
        create_time = int(fields.get("CreateTime") or 0)
    except ValueError:
        raise MessageError("CreateTime must be an integer") from None
    msg_id = fields.get("MsgId") or fields.get("MsgID") or ""
    if msg_id and not msg_id.isdigit():
        raise MessageError("MsgId must be an integer")
    return Inbound(
        to_user=fields["ToUserName"],
        from_user=fields["FromUserName"],
        create_time=create_time,
        msg_type=fields["MsgType"].lower(),
        msg_id=msg_id,
        content=fields.get("Content", ""),
        recognition=fields.get("Recognition", ""),
        pic_url=fields.get("PicUrl", ""),
        media_id=fields.get("MediaId", ""),
        location_x=_float(fields.get("Location_X")),
        location_y=_float(fields.get("Location_Y")),
        label=fields.get("Label", ""),
        event=fields.get("Event", "").lower(),
        event_key=fields.get("EventKey", ""),
        latitude=_float(fields.get("Latitude")),
        longitude=_float(fields.get("Longitude")),
        raw=fields,
    )


def cdata(value: str) -> str:
    """``value`` as CDATA (a literal ``]]>`` is split across two sections)."""
    return "<![CDATA[" + value.replace(_CDATA_END, "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_user: str, content: str, create_time: int | None = None) -> str:
    """A passive text reply (``to_user``: the tourist's OpenID, ``from_user``: the account)."""
    return (
        "<xml>"
        f"<ToUserName>{cdata(to_user)}</ToUserName>"
        f"<FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time or time.time())}</CreateTime>"
        f"<MsgType>{cdata('text')}</MsgType>"
        f"<Content>{cdata(content)}</Content>"
        "</xml>"
    )


def encrypted_reply(encrypted: str, signature: str, timestamp: str, nonce: str) -> str:
    """The envelope of an encrypted passive reply."""
    return (
        "<xml>"
        f"<Encrypt>{cdata(encrypted)}</Encrypt>"
        f"<MsgSignature>{cdata(signature)}</MsgSignature>"
        f"<TimeStamp>{timestamp}</TimeStamp>"
        f"<Nonce>{cdata(nonce)}</Nonce>"
        "</xml>"
    )


def encrypted_request(to_user: str, encrypted: str) -> str:
    """The body WeChat posts in safe / compatible mode."""
    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName><Encrypt>{cdata(encrypted)}</Encrypt></xml>"
    )
