"""Dates, parts of the day, ticket counts and short answers as tourists write them, in eight languages.

Dates: the NLU's own rules (``bot.components.entities.dates``: relative days, weekdays with
"next"/"下周"/"来週"/"다음 주", explicit dates) first, then a small table of phrases both miss ("en
tres días", "3일 후", "大后天"), then dateparser (``languages=[lang]``, future dates preferred,
resolved against ``today``); a dateparser answer more than a year away is refused (it reads ja
「12月20日」 as 2112 on its own). Counts: the NLU's party sizes ("2 adults and a child",
"两个大人一个小孩") plus ticket words ("3 tickets", "三张", "2枚") and the other categories
(seniors, students).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import dateparser

from bot.components.entities.dates import find_dates
from bot.components.entities.numbers import CN_NUMBER, WORD_VALUE, cn_to_int, find_party

MAX_DAYS_AHEAD = 366
"""A date further than this is a misreading, not a booking."""


@dataclass(frozen=True)
class DateReading:
    """The date a message names (None when it names none) and the part of the day, if any."""

    date: dt.date | None
    part_of_day: str | None = None


_NUMBER = rf"\d{{1,3}}|{CN_NUMBER}|[a-zа-яäöüéñ]+"
_IN_DAYS = [
    # "in 3 days", "dans 3 jours", "in drei Tagen", "en tres días", "dentro de 3 días", "через 3 дня"
    re.compile(
        rf"(?<!\w)(?:in|dans|en|dentro\s+de|через)\s+(?P<n>{_NUMBER})\s+"
        r"(?:days?|jours?|tagen?|d[ií]as?|дн(?:я|ей|ь))(?!\w)",
        re.IGNORECASE,
    ),
    # "3 days later", "3天后", "3日後", "3일 후", "사흘 뒤"
    re.compile(
        rf"(?P<n>{_NUMBER})\s*(?:days?\s+later|天以?[后後]|日後|日あと|일\s*[후뒤])", re.IGNORECASE
    ),
]
_KO_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5}
_KO_DAYS_RE = re.compile(r"(?P<w>하루|이틀|사흘|나흘|닷새)\s*[후뒤]")
_MISSED_WORDS = {
    # relative days the rules and dateparser both miss
    "大大后天": 4,
    "明后天": 1,
    "しあさって": 3,
    "내일모레": 2,
    "pasado mañana": 2,
    "pasado manana": 2,
}

_PART_OF_DAY = [
    (
        "morning",
        r"上午|早上|早晨|午前|오전|아침|morning|matin|vormittag|morgens|früh|por la mañana|de la mañana|утром|утро",
    ),
    ("noon", r"中午|正午|昼|점심|noon|midi|mittag|mediodía|днём|днем"),
    (
        "afternoon",
        r"下午|午後|오후|afternoon|après-midi|apres-midi|nachmittag|por la tarde|de la tarde|после обеда",
    ),
    ("evening", r"晚上|傍晚|夕方|夜|저녁|밤|evening|tonight|soir|abend|por la noche|вечером|вечер"),
]


def number_value(token: str) -> int | None:
    """A number written in digits, Chinese numerals or a word ("3", "三", "three", "drei")."""
    token = token.strip().lower()
    if re.fullmatch(r"\d+|" + CN_NUMBER, token):
        return cn_to_int(token)
    return WORD_VALUE.get(token)


def read_part_of_day(text: str) -> str | None:
    """``morning`` / ``noon`` / ``afternoon`` / ``evening`` when the message names one."""
    lowered = text.lower()
    for name, words in _PART_OF_DAY:
        if re.search(words, lowered):
            return name
    return None


def _from_table(text: str, today: dt.date) -> dt.date | None:
    lowered = text.lower()
    for pattern in _IN_DAYS:
        m = pattern.search(lowered)
        if m and (n := number_value(m.group("n"))) is not None and 0 < n <= MAX_DAYS_AHEAD:
            return today + dt.timedelta(days=n)
    if m := _KO_DAYS_RE.search(text):
        return today + dt.timedelta(days=_KO_DAYS[m.group("w")])
    for word, days in sorted(_MISSED_WORDS.items(), key=lambda item: -len(item[0])):
        if word in lowered:
            return today + dt.timedelta(days=days)
    return None


def _plausible(day: dt.date, today: dt.date) -> bool:
    return today - dt.timedelta(days=31) <= day <= today + dt.timedelta(days=MAX_DAYS_AHEAD)


def _from_dateparser(text: str, lang: str, today: dt.date) -> dt.date | None:
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12, 0)),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY" if lang in ("fr", "de", "es", "ru", "en") else "YMD",
    }
    languages = [lang] if lang in ("zh", "en", "ja", "ko", "fr", "de", "es", "ru") else None
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)
        if parsed is None:
            from dateparser.search import search_dates

            found = search_dates(text, languages=languages, settings=settings)
            parsed = found[0][1] if found else None
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    day = parsed.date()
    return day if _plausible(day, today) else None


_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")


def _iso_date(text: str) -> dt.date | None:
    """A date written out with its year ("1999-01-01", "2099/12/31"), however far away: the
    caller explains a past or unbookable day instead of asking again as if none was given."""
    match = _ISO_DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def read_date(text: str, lang: str, today: dt.date) -> DateReading:
    """The date ``text`` names, resolved against ``today``, and its part of the day.

    Past dates are returned as they are (the caller explains that they are past).
    """
    part = read_part_of_day(text)
    day = _iso_date(text)
    if day is None:
        day = _from_table(text, today)
    if day is None:
        found = [f for f in find_dates(text, today) if f.entity == "date"]
        if found:
            day = dt.date.fromisoformat(str(found[0].value))
    if day is None and re.search(r"\d|[a-zа-я]{3,}|[\u3040-\u9fff\uac00-\ud7af]", text, re.I):
        day = _from_dateparser(text, lang, today)
    return DateReading(day, part)


# ---------------------------------------------------------------- ticket counts
CATEGORIES = ("adult", "child", "senior", "student")
_CATEGORY_WORDS = {
    "senior": r"老人|老年人?|长者|長者|シニア|高齢者|노인|경로|seniors?|elderly|pensioners?|retraités?|"
    r"personnes? âgées?|senioren|rentner|jubilados?|mayores|пенсионер\w*|пожил\w*",
    "student": r"学生|學生|学生票|학생|students?|étudiants?|studenten|studierende|estudiantes?|студент\w*",
    "child": r"儿童|兒童|小孩|孩子|小朋友|子供|子ども|こども|小人|아이|어린이|아동|child(?:ren)?|kids?|"
    r"enfants?|kinder|kind|niñ[oa]s?|дет(?:ей|и)|ребён\w*|ребен\w*",
    "adult": r"成人|大人|成年人|おとな|성인|어른|adults?|adultes?|erwachsene\w*|adultos?|взрослы\w*",
}
_TICKETS = (
    rf"(?P<n>\d{{1,2}}|{CN_NUMBER}|[a-zа-яäöüéñ]+)\s*(?:张|張|枚|장|人|名|명|位|个|個)?\s*"
    r"(?:(?:adult|child|senior|student)\s+)?(?:tickets?|billets?|karten|tickets|entradas?|boletos?|билет\w*|"
    r"门票|票|チケット|입장권|티켓)"
)
_CJK_COUNTER = rf"(?P<n>\d{{1,2}}|{CN_NUMBER})\s*(?:张|張|枚|장|名|명|位|人)"


def read_ticket_counts(text: str) -> dict[str, int]:
    """Tickets per category ("2 adults and a child" -> adult 2, child 1; "3 tickets" -> adult 3).

    Categories named with a number ("1 senior", "学生1名") are counted apart; a number with no
    category is adult tickets. Empty when the text gives no count.
    """
    counts: dict[str, int] = {}
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    for category in ("senior", "student"):
        words = _CATEGORY_WORDS[category]
        for m in re.finditer(
            rf"(?P<n>\d{{1,2}}|{CN_NUMBER}|[a-zа-яäöüéñ]+)\s*(?:个|個|位|名|명|张|張|枚|장)?\s*(?:{words})"
            rf"|(?:{words})\s*(?:票)?\s*(?P<n2>\d{{1,2}}|{CN_NUMBER})\s*(?:个|個|位|名|명|张|張|枚|장|人)?",
            lowered,
        ):
            n = number_value(m.group("n") or m.group("n2") or "")
            if n:
                counts[category] = counts.get(category, 0) + n
                taken.append(m.span())
    remaining = "".join(
        " " if any(s <= i < e for s, e in taken) else ch for i, ch in enumerate(lowered)
    )
    for found in find_party(remaining):
        if found.entity == "adults":
            counts["adult"] = counts.get("adult", 0) + int(str(found.value))
        elif found.entity == "children":
            counts["child"] = counts.get("child", 0) + int(str(found.value))
    party = [int(str(f.value)) for f in find_party(remaining) if f.entity == "party_size"]
    if party and not counts:
        counts["adult"] = party[0]
    if not counts:
        ticket = re.search(_TICKETS, remaining) or re.search(_CJK_COUNTER, remaining)
        if ticket and (n := number_value(ticket.group("n"))):
            counts["adult"] = n
    if not counts:
        bare = re.fullmatch(rf"\s*(\d{{1,2}}|{CN_NUMBER}|[a-zа-яäöüéñ]+)\s*[.!。]?\s*", remaining)
        if bare and (n := number_value(bare.group(1))):
            counts["adult"] = n
    return {k: v for k, v in counts.items() if v > 0}


def read_count(text: str) -> int | None:
    """A number of people or rooms: "2", "两位", "three guests", "2 adults and a child" (3)."""
    party = [int(str(f.value)) for f in find_party(text) if f.entity == "party_size"]
    if party:
        return party[0]
    counts = read_ticket_counts(text)
    if counts:
        return sum(counts.values())
    m = re.search(rf"(?<![\d:])(\d{{1,2}}|{CN_NUMBER})(?![\d:])", text)
    return number_value(m.group(1)) if m else None


# ---------------------------------------------------------------- choices and short answers
_ORDINALS = {
    1: r"first|premier|première|erste[nrs]?|primer[oa]?|перв\w+|第一|一番|첫\s*번째|첫번째",
    2: r"second|deuxième|zweite[nrs]?|segund[oa]|втор\w+|第二|二番|두\s*번째",
    3: r"third|troisième|dritte[nrs]?|tercer[oa]?|трет\w+|第三|三番|세\s*번째",
    4: r"fourth|quatrième|vierte[nrs]?|cuart[oa]|четв[её]рт\w+|第四|四番|네\s*번째",
    5: r"fifth|cinquième|fünfte[nrs]?|quint[oa]|пят\w+|第五|五番|다섯\s*번째",
}


def read_choice(text: str, options: int) -> int | None:
    """The 1-based option a reply picks ("2", "No. 2", "第二个", "the second one"), if any."""
    stripped = text.strip().lower()
    m = re.fullmatch(
        r"(?:no\.?|n°|nr\.?|№|#|第)?\s*(\d{1,2}|"
        + CN_NUMBER
        + r")\s*[.)、:]?\s*(?:个|個|番|번)?\s*",
        stripped,
    )
    if m and (n := number_value(m.group(1))) and 1 <= n <= options:
        return n
    for n, words in _ORDINALS.items():
        if n <= options and re.search(rf"(?<!\w)(?:{words})", stripped):
            return n
    return None


_STOP = (
    r"cancel|stop|quit|exit|abort|never\s*mind|forget\s+it|取消|算了|不订了|不要了|不用了|停止|退出|"
    r"キャンセル|やめ\w*|中止|止め\w*|취소|그만|됐어|annule[rz]?|arrête[rz]?|laisse[rz]?\s+tomber|"
    r"abbrechen|abbruch|stopp|vergiss\s+es|cancelar|cancela|parar?|para|olvídalo|déjalo|"
    r"отмен\w*|стоп|хватит|прекрати\w*|не\s+надо"
)
_YES = (
    r"yes|yeah|yep|ok(?:ay)?|sure|confirm\w*|correct|right|go\s+ahead|是|是的|好|好的|对|對|确认|確認|可以|没问题|行|"
    r"はい|ええ|お願いします|お願い|確定|네|예|응|좋아요|맞아요|확인|oui|d'accord|confirme[rz]?|ja|genau|bestätigen|"
    r"sí|si|vale|claro|confirmo|да|ага|подтвержда\w*|верно"
)
_NO = r"no|nope|not\s+(?:right|correct)|不|不是|不对|不對|错|いいえ|いや|違います|아니요|아뇨|아니|non|nein|нет"


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"[\s!！。.,，?？~～]+$", "", re.sub(r"^[\s!！,，]+", "", text))


def is_stop(text: str) -> bool:
    """A short message that only asks to stop ("cancel", "算了", "やめます", "abbrechen")."""
    plain = _plain(text)
    if not plain or len(plain) > 40:
        return False
    return bool(
        re.fullmatch(
            rf"(?:please\s+|bitte\s+|por\s+favor\s+|s'il\s+vous\s+plaît\s+|请|請)?(?:{_STOP})"
            r"(?:\s*(?:it|that|this|please|bitte|por favor|booking|the booking|吧|了|预订|预约|订单|订票|order|the order|します|ます|して|할게요|할래요|합시다|해\s*주세요|해요|하기|"
            r"la réservation|die buchung|la reserva|бронирование|s'il vous plaît))*",
            plain,
        )
    )


def is_yes(text: str, intent: str | None = None) -> bool:
    """A confirmation: the ``affirm`` intent, or a yes word on its own."""
    plain = _plain(text)
    if re.fullmatch(
        rf"(?:{_YES})(?:[\s,，]*(?:{_YES}|please|bitte|请|please do|thanks?|谢谢))*", plain
    ):
        return True
    return intent == "affirm" and len(plain) <= 30 and not is_no(text)


def is_no(text: str, intent: str | None = None) -> bool:
    """A refusal: the ``deny`` intent, or a no word on its own."""
    plain = _plain(text)
    if re.fullmatch(
        rf"(?:{_NO})(?:[\s,，]*(?:{_NO}|thanks?|谢谢|merci|danke|gracias|спасибо))*", plain
    ):
        return True
    return intent == "deny" and len(plain) <= 30


def part_of_day_of(start: str) -> str:
    """The part of the day a slot starting at ``HH:MM`` belongs to."""
    hour = int(start.split(":", 1)[0])
    if hour < 12:
        return "morning"
    if hour < 13:
        return "noon"
    if hour < 18:
        return "afternoon"
    return "evening"
