"""Output channels: one that collects a turn's replies as WeChat texts, one that pushes through the
customer-service API (for messages Rasa sends outside a turn, e.g. a staff reply)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa.core.channels.channel import OutputChannel

from channels.wechat.api import CustomerService
from channels.wechat.text import render_choices, strip_markdown


class WeChatCollector(OutputChannel):
    """Collects texts; buttons are kept until the reply language is known (:meth:`render`)."""

    @classmethod
    def name(cls) -> str:
        """``wechat``."""
        return "wechat"

    def __init__(self) -> None:
        self._items: list[tuple[str, Sequence[dict[str, Any]] | None]] = []

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """A text bubble."""
        for part in text.strip().split("\n\n\n"):
            if part.strip():
                self._items.append((part, None))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Buttons become numbered choices."""
        self._items.append((text, buttons))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Quick replies become numbered choices too."""
        self._items.append((text, quick_replies))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """WeChat replies need an uploaded media id: the picture is sent as its link."""
        self._items.append((image, None))

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        """Attachments are sent as their text (a link)."""
        self._items.append((str(attachment), None))

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Custom payloads have no WeChat form; a ``text`` inside one is sent."""
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if isinstance(text, str) and text.strip():
            self._items.append((text, None))

    def render(self, language: str | None) -> tuple[list[str], dict[str, str]]:
        """The texts to send and the choice map of the last message with buttons."""
        texts: list[str] = []
        choices: dict[str, str] = {}
        for text, buttons in self._items:
            if buttons:
                rendered, choices = render_choices(text, buttons, language or "zh")
                texts.append(rendered)
            elif text.strip():
                texts.append(strip_markdown(text))
        return texts, choices


class WeChatPush(WeChatCollector):
    """Sends each message at once through the customer-service API (within the reply window)."""

    def __init__(self, service: CustomerService) -> None:
        super().__init__()
        self.service = service

    async def _flush(self, recipient_id: str) -> None:
        texts, _ = self.render(None)
        self._items.clear()
        await self.service.send_all(recipient_id, texts)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Push a text."""
        await super().send_text_message(recipient_id, text)
        await self._flush(recipient_id)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Push a text with numbered choices (not remembered: outside a turn)."""
        await super().send_text_with_buttons(recipient_id, text, buttons)
        await self._flush(recipient_id)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Push a picture's link."""
        await super().send_image_url(recipient_id, image)
        await self._flush(recipient_id)
