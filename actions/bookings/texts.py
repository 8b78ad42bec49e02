"""Short words the booking actions put inside their responses (categories, documents, "left"),
and locale-aware money, dates and ages (babel, CLDR data).

Whole sentences live in ``bot/i18n/bookings/<lang>.yml``; these are the pieces that fill them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_currency

CHINA = ZoneInfo("Asia/Shanghai")

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "adult": {
        "zh": "成人",
        "en": "adult",
        "ja": "大人",
        "ko": "성인",
        "fr": "adulte",
        "de": "Erwachsene",
        "es": "adulto",
        "ru": "взрослый",
    },
    "child": {
        "zh": "儿童",
        "en": "child",
        "ja": "子供",
        "ko": "어린이",
        "fr": "enfant",
        "de": "Kind",
        "es": "niño",
        "ru": "детский",
    },
    "senior": {
        "zh": "老人",
        "en": "senior",
        "ja": "シニア",
        "ko": "경로",
        "fr": "senior",
        "de": "Senioren",
        "es": "mayor",
        "ru": "пенсионный",
    },
    "concession": {
        "zh": "优惠",
        "en": "concession",
        "ja": "割引",
        "ko": "할인",
        "fr": "réduit",
        "de": "ermäßigt",
        "es": "reducido",
        "ru": "льготный",
    },
}
DOCUMENT_NAMES: dict[str, dict[str, str]] = {
    "cn_id": {
        "zh": "身份证",
        "en": "ID card",
        "ja": "身分証",
        "ko": "신분증",
        "fr": "carte d'identité",
        "de": "Ausweis",
        "es": "DNI chino",
        "ru": "удостоверение",
    },
    "passport": {
        "zh": "护照",
        "en": "passport",
        "ja": "パスポート",
        "ko": "여권",
        "fr": "passeport",
        "de": "Reisepass",
        "es": "pasaporte",
        "ru": "паспорт",
    },
}
LEFT: dict[str, str] = {
    "zh": "余{n}",
    "en": "{n} left",
    "ja": "残り{n}",
    "ko": "{n}석 남음",
    "fr": "{n} restantes",
    "de": "{n} frei",
    "es": "quedan {n}",
    "ru": "осталось {n}",
}
SOLD_OUT: dict[str, str] = {
    "zh": "已售罄",
    "en": "sold out",
    "ja": "売り切れ",
    "ko": "매진",
    "fr": "complet",
    "de": "ausverkauft",
    "es": "agotado",
    "ru": "мест нет",
}
STATUS_NAMES: dict[str, dict[str, str]] = {
    "held": {
        "zh": "待支付",
        "en": "waiting for payment",
        "ja": "支払い待ち",
        "ko": "결제 대기",
        "fr": "en attente de paiement",
        "de": "wartet auf Zahlung",
        "es": "pendiente de pago",
        "ru": "ожидает оплаты",
    },
    "confirmed": {
        "zh": "已确认",
        "en": "confirmed",
        "ja": "確定",
        "ko": "확정",
        "fr": "confirmée",
        "de": "bestätigt",
        "es": "confirmada",
        "ru": "подтверждено",
    },
    "cancelled": {
        "zh": "已取消",
        "en": "cancelled",
        "ja": "キャンセル済み",
        "ko": "취소됨",
        "fr": "annulée",
        "de": "storniert",
        "es": "cancelada",
        "ru": "отменено",
    },
    "expired": {
        "zh": "已失效",
        "en": "expired",
        "ja": "失効",
        "ko": "만료됨",
        "fr": "expirée",
        "de": "abgelaufen",
        "es": "caducada",
        "ru": "истекло",
    },
}
_LOCALES = {
    "zh": "zh_Hans_CN",
    "en": "en_GB",
    "ja": "ja_JP",
    "ko": "ko_KR",
    "fr": "fr_FR",
    "de": "de_DE",
    "es": "es_ES",
    "ru": "ru_RU",
}


def locale(lang: str) -> str:
    """The CLDR locale of a supported language (English otherwise)."""
    return _LOCALES.get(lang, "en_GB")


def word(table: dict[str, str], lang: str) -> str:
    """The word in ``lang``, else English."""
    return table.get(lang) or table["en"]


def category_name(category: str, lang: str) -> str:
    """ "adult" -> "成人" / "adult" / "大人"..."""
    return word(CATEGORY_NAMES.get(category, {"en": category}), lang)


def status_name(status: str, lang: str) -> str:
    """A booking status in the tourist's language ("cancelled" -> "已取消")."""
    names = STATUS_NAMES.get(status)
    return word(names, lang) if names else status


def money(fen: int, lang: str) -> str:
    """8000 fen -> "CN¥80.00" / "¥80.00" / "80,00 CN¥" in the tourist's locale."""
    return format_currency(fen / 100, "CNY", locale=locale(lang))


def day(value: dt.date, lang: str) -> str:
    """A full date with its weekday ("Saturday, 12 December 2026", "2026年12月12日星期六")."""
    return format_date(value, "full", locale=locale(lang))


def moment(value: dt.datetime, lang: str) -> str:
    """Date and time in China Standard Time, short form."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value.astimezone(CHINA), "medium", tzinfo=CHINA, locale=locale(lang))


def age(seconds: float, lang: str) -> str:
    """How old a figure is: "5 minutes", "2小时", "3時間"..."""
    return format_timedelta(
        dt.timedelta(seconds=max(seconds, 60)), threshold=1.5, locale=locale(lang)
    )


def parse_time(value: str) -> dt.datetime | None:
    """An ISO timestamp from the platform (``Z`` accepted), None when absent or unreadable."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
