"""What the tourist typed, read as complaint details: pure functions, no Rasa, no network.

Every reader accepts the eight languages' usual words (numbers, "none", "skip", "cancel", "yes"),
returns a normalised value or ``None`` when the text is not one, and never raises.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

CATEGORIES: tuple[str, ...] = (
    "overcharging",
    "forced_shopping",
    "service_quality",
    "safety",
    "false_advertising",
    "refund_dispute",
    "other",
)
"""Complaint categories, in the order they are offered (choice 1 is overcharging)."""

_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "overcharging": (
        "overcharg",
        "ripped off",
        "rip off",
        "rip-off",
        "price gouging",
        "too expensive",
        "乱收费",
        "多收",
        "宰客",
        "高价",
        "收费",
        "価格",
        "ぼったくり",
        "高額請求",
        "料金",
        "바가지",
        "과다 청구",
        "요금",
        "surfactur",
        "arnaque",
        "trop cher",
        "prix abusif",
        "überteuert",
        "abzocke",
        "zu viel berechnet",
        "wucher",
        "cobro excesivo",
        "cobraron de más",
        "estafa",
        "sobreprecio",
        "обсчит",
        "переплат",
        "завышен",
        "обдирал",
    ),
    "forced_shopping": (
        "forced shopping",
        "shopping",
        "forced to buy",
        "强迫购物",
        "强制购物",
        "购物",
        "强制消费",
        "强迫消费",
        "買い物",
        "ショッピング",
        "購入を強要",
        "강제 쇼핑",
        "쇼핑",
        "구매 강요",
        "achat forcé",
        "achats forcés",
        "shopping forcé",
        "magasin",
        "kaufzwang",
        "einkaufszwang",
        "zum kauf gezwungen",
        "compras forzadas",
        "compra forzada",
        "obligados a comprar",
        "принудительн",
        "шопинг",
        "покупк",
    ),
    "service_quality": (
        "service",
        "rude",
        "attitude",
        "服务",
        "态度",
        "サービス",
        "態度",
        "接客",
        "서비스",
        "태도",
        "qualité",
        "accueil",
        "servicequalität",
        "unfreundlich",
        "calidad",
        "servicio",
        "atención",
        "обслуживан",
        "сервис",
        "хамств",
        "груб",
    ),
    "safety": (
        "safety",
        "unsafe",
        "danger",
        "injur",
        "安全",
        "危险",
        "受伤",
        "危険",
        "けが",
        "怪我",
        "안전",
        "위험",
        "부상",
        "sécurité",
        "dangereux",
        "blessé",
        "sicherheit",
        "gefährlich",
        "verletz",
        "seguridad",
        "peligro",
        "herido",
        "безопасн",
        "опасн",
        "травм",
    ),
    "false_advertising": (
        "false advertising",
        "misleading",
        "advertis",
        "not as described",
        "虚假宣传",
        "虚假",
        "宣传",
        "与宣传不符",
        "虚偽",
        "広告",
        "誇大",
        "허위 광고",
        "허위",
        "광고",
        "publicité mensongère",
        "mensonger",
        "publicité",
        "irreführende werbung",
        "werbung",
        "irreführend",
        "publicidad engañosa",
        "publicidad",
        "engañoso",
        "ложная реклама",
        "реклам",
        "обман",
    ),
    "refund_dispute": (
        "refund",
        "money back",
        "deposit",
        "退款",
        "退费",
        "退票",
        "退钱",
        "返金",
        "払い戻し",
        "환불",
        "remboursement",
        "rembourser",
        "erstattung",
        "rückerstattung",
        "geld zurück",
        "reembolso",
        "devolución",
        "devolver",
        "возврат",
        "вернуть деньги",
    ),
    "other": (
        "other",
        "something else",
        "其他",
        "其它",
        "别的",
        "その他",
        "他の",
        "기타",
        "다른",
        "autre",
        "sonstig",
        "andere",
        "anderes",
        "otro",
        "otra",
        "другое",
        "прочее",
        "иное",
    ),
}

_CANCEL_WORDS = frozenset(
    {
        "cancel",
        "stop",
        "quit",
        "exit",
        "never mind",
        "nevermind",
        "forget it",
        "abort",
        "cancel it",
        "cancel that",
        "stop it",
        "i changed my mind",
        "cancel the complaint",
        "取消",
        "算了",
        "不要了",
        "停止",
        "退出",
        "不投诉了",
        "不用了",
        "取消投诉",
        "不查了",
        "キャンセル",
        "やめる",
        "やめます",
        "やめて",
        "中止",
        "やっぱりいい",
        "もういい",
        "취소",
        "그만",
        "중단",
        "됐어요",
        "그만할게요",
        "취소할게요",
        "annuler",
        "arrête",
        "arrêter",
        "laisse tomber",
        "j'annule",
        "annule",
        "abbrechen",
        "stopp",
        "vergiss es",
        "aufhören",
        "abbruch",
        "lass es",
        "cancelar",
        "para",
        "olvídalo",
        "déjalo",
        "parar",
        "cancela",
        "отмена",
        "отменить",
        "стоп",
        "хватит",
        "не надо",
        "отмени",
        "прекрати",
    }
)
_SKIP_WORDS = frozenset(
    {
        "skip",
        "no",
        "none",
        "nothing",
        "n/a",
        "no photo",
        "no photos",
        "no evidence",
        "nope",
        "没有",
        "无",
        "跳过",
        "不用",
        "没",
        "没有照片",
        "なし",
        "ない",
        "スキップ",
        "ありません",
        "없음",
        "없어요",
        "없습니다",
        "건너뛰기",
        "non",
        "aucun",
        "aucune",
        "passer",
        "rien",
        "nein",
        "keine",
        "keins",
        "überspringen",
        "nichts",
        "ninguno",
        "ninguna",
        "nada",
        "omitir",
        "нет",
        "пропустить",
        "ничего",
        "не",
        "0",
    }
)
_YES_WORDS = frozenset(
    {
        "yes",
        "y",
        "ok",
        "okay",
        "sure",
        "confirm",
        "correct",
        "yes please",
        "file it",
        "是",
        "是的",
        "对",
        "好",
        "好的",
        "确认",
        "可以",
        "没错",
        "提交",
        "はい",
        "お願いします",
        "ええ",
        "送信",
        "네",
        "예",
        "맞아요",
        "확인",
        "oui",
        "d'accord",
        "confirmer",
        "ja",
        "jawohl",
        "bestätigen",
        "sí",
        "si",
        "vale",
        "claro",
        "confirmar",
        "да",
        "подтверждаю",
        "верно",
        "хорошо",
    }
)
_NO_WORDS = frozenset(
    {
        "no",
        "n",
        "nope",
        "wrong",
        "don't",
        "do not",
        "不",
        "不是",
        "不对",
        "错了",
        "不要",
        "いいえ",
        "いや",
        "違います",
        "아니요",
        "아니",
        "아뇨",
        "non",
        "pas",
        "nein",
        "falsch",
        "нет",
        "неверно",
    }
)
_NONE_AMOUNT = _SKIP_WORDS | frozenset(
    {"no money", "nothing", "free", "没有钱", "没花钱", "无金额", "お金はない", "금액 없음"}
)

_DAYS_AGO: dict[str, int] = {
    "today": 0,
    "yesterday": 1,
    "day before yesterday": 2,
    "今天": 0,
    "昨天": 1,
    "前天": 2,
    "今日": 0,
    "昨日": 1,
    "一昨日": 2,
    "오늘": 0,
    "어제": 1,
    "그저께": 2,
    "aujourd'hui": 0,
    "hier": 1,
    "avant-hier": 2,
    "heute": 0,
    "gestern": 1,
    "vorgestern": 2,
    "hoy": 0,
    "ayer": 1,
    "anteayer": 2,
    "сегодня": 0,
    "вчера": 1,
    "позавчера": 2,
}
"""Words for "today" / "yesterday" the date extractor may not know, in the eight languages."""
_REFERENCE = re.compile(r"(?<![A-Za-z0-9])TS[ \-_]?(20\d{6})[ \-_]?(\d{4})(?!\d)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_ISO_DATE = re.compile(r"(20\d{2})[\-/.年](\d{1,2})[\-/.月](\d{1,2})")
_NUMBER = re.compile(r"\d+(?:[.,]\d{1,2})?")
_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}
_CN_NUMERAL = re.compile("[零〇一壹二两兩贰三叁四五六七八九十拾百佰千仟万]+")
_PUNCTUATION = re.compile(r"[\s!?.,;:。！？，、；：~…\"'“”‘’()（）「」]+")


MAX_AMOUNT_YUAN = 10_000_000
"""Larger amounts are read as no amount (the form asks again)."""


def normalise(text: str) -> str:
    """Lower-case NFKC text with surrounding punctuation removed and inner spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCTUATION.sub(" ", folded).strip()


def is_cancel(text: str) -> bool:
    """True when the whole message asks to stop ("cancel", "算了", "やめる", "отмена")."""
    return normalise(text) in _CANCEL_WORDS


def is_skip(text: str) -> bool:
    """True when the message declines an optional detail ("skip", "没有", "なし", "нет")."""
    return normalise(text) in _SKIP_WORDS


def yes_or_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the message is neither."""
    words = normalise(text)
    if words in _YES_WORDS:
        return True
    if words in _NO_WORDS:
        return False
    return None


def category(text: str) -> str | None:
    """The category a choice names: its number (1-7, "３", "2番") or a word in any language."""
    words = normalise(text)
    digits = re.fullmatch(r"(?:no |n° |#)?([1-7])(?: ?(?:番|번|\.))?", words)
    if digits:
        return CATEGORIES[int(digits.group(1)) - 1]
    if words in CATEGORIES or words.replace(" ", "_") in CATEGORIES:
        return words.replace(" ", "_")
    for key in CATEGORIES:  # "other" last: only when nothing more specific is named
        if any(word in words for word in _CATEGORY_WORDS[key]):
            return key
    return None


def _chinese_number(numeral: str) -> int | None:
    """ "两百五十" → 250, "三千" → 3000, "一万二" is read as 10002 (rare; digits are the norm)."""
    total, section, current = 0, 0, 0
    for char in numeral:
        if char in _CN_DIGIT:
            current = _CN_DIGIT[char]
        elif char == "万":
            total += (section + current) * 10000
            section, current = 0, 0
        elif char in _CN_UNIT:
            section += (current or 1) * _CN_UNIT[char]
            current = 0
        else:
            return None
    value = total + section + current
    return value or None


def amount_fen(text: str) -> int | None:
    """The amount of money in fen (yuan × 100): 0 for "none", None when no amount is given.

    Reads "200", "¥1,280.50", "200元", "两百元", "300 yuan", "150 юаней". Thousands separators
    are read as such ("1,280"); a comma with one or two digits after it is a decimal comma.
    """
    words = normalise(text)
    if words in _NONE_AMOUNT:
        return 0
    compact = re.sub(r"(?<=\d)[ ,](?=\d{3}(?!\d))", "", unicodedata.normalize("NFKC", text))
    match = _NUMBER.search(compact)
    if match:
        yuan = float(match.group(0).replace(",", "."))
        if not math.isfinite(yuan) or yuan > MAX_AMOUNT_YUAN:
            return None  # "999…9 yuan" is not an amount anyone paid: the form asks again
        return round(yuan * 100)
    numeral = _CN_NUMERAL.search(text)
    if numeral:
        value = _chinese_number(numeral.group(0))
        return value * 100 if value is not None else None
    return None


def occurred_on(text: str, entity_dates: Iterable[str], today: dt.date) -> dt.date | None:
    """The past date a message names: the NLU ``date`` entity, else an ISO / CJK date.

    Entities resolve "12月5日" to the next 5 December; a complaint is about the past, so a date
    more than a week ahead is moved back a year. Dates in the future or over a year ago are refused.
    """
    candidates: list[dt.date] = []
    for value in entity_dates:
        try:
            candidates.append(dt.date.fromisoformat(str(value)[:10]))
        except ValueError:
            continue
    days_ago = _DAYS_AGO.get(normalise(text))
    if days_ago is not None:
        candidates.append(today - dt.timedelta(days=days_ago))
    match = _ISO_DATE.search(unicodedata.normalize("NFKC", text))
    if match:
        try:
            candidates.append(dt.date(*(int(part) for part in match.groups())))
        except ValueError:
            pass
    for day in candidates:
        if day > today + dt.timedelta(days=7):
            try:
                day = day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                continue
        if today - dt.timedelta(days=366) <= day <= today:
            return day
    return None


def phone_e164(text: str) -> str | None:
    """A callable phone number in E.164 (``+8613800000000``), or None.

    Numbers without a country code are read as mainland Chinese ones; a foreign number needs
    its ``+`` country code. Only numbers ``phonenumbers`` judges valid are accepted.
    """
    candidate = unicodedata.normalize("NFKC", text).strip()
    candidate = re.sub(r"[^\d+()\-\s]", " ", candidate).strip()
    if not candidate or len(re.sub(r"\D", "", candidate)) < 7:
        return None
    try:
        number = phonenumbers.parse(candidate, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """``+8613812345678`` → ``+86 138****5678``: enough to recognise, not enough to call."""
    try:
        number = phonenumbers.parse(phone, "CN")
    except phonenumbers.NumberParseException:
        return "****"
    national = str(number.national_number)
    if len(national) < 7:
        return "****"
    return f"+{number.country_code} {national[:3]}****{national[-4:]}"


def reference(text: str) -> str | None:
    """A case reference in the message (``TS-20261207-0001``, any case, with or without hyphens)."""
    match = _REFERENCE.search(unicodedata.normalize("NFKC", text))
    return f"TS-{match.group(1)}-{match.group(2)}" if match else None


def evidence_urls(text: str, metadata: dict[str, object] | None) -> list[str]:
    """Image links a message carries: ``metadata`` from the channel (``image_url`` or
    ``attachments: [{"url": ...}]``), else http(s) links in the text."""
    urls: list[str] = []
    meta = metadata or {}
    image = meta.get("image_url")
    if isinstance(image, str) and image.startswith(("http://", "https://")):
        urls.append(image)
    attachments = meta.get("attachments")
    if isinstance(attachments, list):
        for item in attachments:
            url = item.get("url") if isinstance(item, dict) else None
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                urls.append(url)
    urls.extend(_URL.findall(text or ""))
    return list(dict.fromkeys(url[:500] for url in urls))[:5]
