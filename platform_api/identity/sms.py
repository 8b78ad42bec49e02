"""Sending the verification code: an interface, and the sandbox sender used until a provider is
contracted (it keeps the messages in memory for tests and local demos, and logs nothing personal)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from common.logsafe import event

logger = logging.getLogger(__name__)

TEMPLATES: dict[str, str] = {
    "zh": "【智游天府】您的验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。",
    "en": "[Zhiyou Tianfu] Your verification code is {code}. It is valid for {minutes} minutes. Do not share it.",
    "ja": "【智游天府】認証コードは {code} です。{minutes} 分間有効です。他の人に教えないでください。",
    "ko": "[즈유톈푸] 인증 번호는 {code}입니다. {minutes}분 동안 유효합니다. 다른 사람에게 알려 주지 마세요.",
    "fr": "[Zhiyou Tianfu] Votre code de vérification est {code}. Il est valable {minutes} minutes. Ne le communiquez à personne.",
    "de": "[Zhiyou Tianfu] Ihr Bestätigungscode lautet {code}. Er gilt {minutes} Minuten. Geben Sie ihn nicht weiter.",
    "es": "[Zhiyou Tianfu] Su código de verificación es {code}. Es válido durante {minutes} minutos. No lo comparta.",
    "ru": "[Zhiyou Tianfu] Ваш код подтверждения: {code}. Он действует {minutes} мин. Никому его не сообщайте.",
}


def code_message(code: str, language: str, minutes: int) -> str:
    """The SMS text in ``language`` (English when unsupported)."""
    return TEMPLATES.get(language, TEMPLATES["en"]).format(code=code, minutes=minutes)


class SmsSender(Protocol):
    """Delivers one text message to an E.164 number (raises when the provider refuses)."""

    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to ``phone``."""


@dataclass
class SandboxSmsSender:
    """Keeps the last messages per number instead of sending them (tests and local demos)."""

    sent: dict[str, list[str]] = field(default_factory=dict)
    keep: int = 20

    def send(self, phone: str, text: str) -> None:
        """Record ``text`` for ``phone``; the log says only that something was sent."""
        self.sent.setdefault(phone, []).append(text)
        del self.sent[phone][: -self.keep]
        logger.info(event("identity.sms.sandbox", chars=len(text)))
