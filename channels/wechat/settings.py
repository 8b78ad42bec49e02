"""The WeChat channel's configuration: its section of ``credentials.yml``, read once at start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from channels.wechat.crypto import aes_key_from_encoding_key

DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_ERASE_PATH = "/api/privacy/erase"


def _text(values: Mapping[str, Any], key: str, default: str = "") -> str:
    value = values.get(key)
    return default if value is None else str(value).strip()


def _seconds(value: Any, default: float) -> float:
    return default if value is None or value == "" else float(value)


def _mapping(values: Mapping[str, Any], key: str) -> dict[str, str]:
    raw = values.get(key) or {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"wechat channel: '{key}' must be a mapping")
    return {str(k): str(v) for k, v in raw.items()}


@dataclass(frozen=True)
class WeChatSettings:
    """Credentials and limits of the channel (secrets are never part of ``repr``)."""

    token: str = field(repr=False)
    app_id: str
    app_secret: str = field(repr=False)
    aes_key: str = field(default="", repr=False)
    """EncodingAESKey; empty: plaintext mode, set: compatible / safe mode."""
    api_base: str = DEFAULT_API_BASE
    redis_url: str = field(default="", repr=False)
    """Shared store for de-duplication, the access token and per-tourist state; empty: memory."""
    platform_url: str = ""
    platform_token: str = field(default="", repr=False)
    erase_path: str = DEFAULT_ERASE_PATH
    timestamp_window_s: float = 300.0
    passive_reply_s: float = 4.0
    max_message_chars: int = 300
    max_body_bytes: int = 64_000
    outbox_poll_s: float = 10.0
    """How often staff replies waiting in the platform's outbox are pushed (0: only with turns)."""
    api_timeout_s: float = 5.0
    """Longest wait for one WeChat API call (token, customer-service message)."""
    scenes: dict[str, str] = field(default_factory=dict)
    """Numeric QR scene id → knowledge-base venue id (string scenes may be the venue id itself)."""
    menu: dict[str, str] = field(default_factory=dict)
    """CLICK menu key → the text the tourist's tap stands for (sent to the assistant)."""

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> WeChatSettings:
        """Settings from the ``channels.wechat.WeChatInput`` section (``ValueError`` when invalid)."""
        values = dict(credentials or {})
        token = _text(values, "token")
        if not token:
            raise ValueError("wechat channel: WECHAT_TOKEN (token) must be set")
        settings = cls(
            token=token,
            app_id=_text(values, "app_id"),
            app_secret=_text(values, "app_secret"),
            aes_key=_text(values, "aes_key"),
            api_base=_text(values, "api_base") or DEFAULT_API_BASE,
            redis_url=_text(values, "redis_url"),
            platform_url=_text(values, "platform_url"),
            platform_token=_text(values, "platform_token"),
            erase_path=_text(values, "erase_path", DEFAULT_ERASE_PATH),
            timestamp_window_s=float(values.get("timestamp_window_s") or 300.0),
            passive_reply_s=float(values.get("passive_reply_s") or 4.0),
            max_message_chars=int(values.get("max_message_chars") or 300),
            max_body_bytes=int(values.get("max_body_bytes") or 64_000),
            outbox_poll_s=_seconds(values.get("outbox_poll_s"), 10.0),
            api_timeout_s=_seconds(values.get("api_timeout_s"), 5.0),
            scenes=_mapping(values, "scenes"),
            menu=_mapping(values, "menu"),
        )
        if settings.aes_key:
            aes_key_from_encoding_key(settings.aes_key)  # ValueError names the problem
            if not settings.app_id:
                raise ValueError("wechat channel: WECHAT_APP_ID is needed with WECHAT_AES_KEY")
        if not 0 < settings.passive_reply_s < 5:
            raise ValueError("wechat channel: passive_reply_s must be between 0 and 5 seconds")
        return settings
