"""Dates, clock times and parts of the day in eight languages, resolved against a reference date.

``date`` values are ISO dates (``2026-12-04``), ``time`` values ``HH:MM`` (24 h), ``part_of_day``
values ``morning`` / ``noon`` / ``afternoon`` / ``evening`` / ``night``.

Weekdays: a bare weekday ("Friday", "周五", "金曜日") is the next such day, today included; "this" is
the day in the current Monday-to-Sunday week; "next week X" (下周五, 来週の金曜日, 다음 주 금요일,
"Friday next week") is X in the following week; "next X" in the European languages ("next Friday",
"vendredi prochain", "nächsten Freitag", "el próximo viernes", "в следующую пятницу") is the first X
strictly after today. Dates without a year are the next such date, today included.

dateparser was tried first: 1.2.0 installs within Rasa's pins but misses 下周五, 来週の金曜日 and
다음 주 토요일 and resolves "5月1日" to the wrong day, so these rules are written out instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.components.entities.numbers import CN_NUMBER, cn_to_int
from bot.components.entities.patterns import Found

Handler = Callable[[re.Match, dt.date], list[tuple[str, object]]]
RULES: list[tuple[re.Pattern, Handler]] = []

_L = r"(?<![\w])"  # left word boundary for alphabetic scripts
_R = r"(?![\w])"


def rule(pattern: str, flags: int = re.IGNORECASE) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        RULES.append((re.compile(pattern, flags), handler))
        return handler

    return register


def iso(day: dt.date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------- relative days
_REL = {
    # zh / ja
    "今天": 0,
    "今日": 0,
    "きょう": 0,
    "明天": 1,
    "明日": 1,
    "あした": 1,
    "后天": 2,
    "後天": 2,
    "明後日": 2,
    "あさって": 2,
    "大后天": 3,
    "大後天": 3,
    "しあさって": 3,
    "昨天": -1,
    "昨日": -1,
    # ko
    "오늘": 0,
    "내일": 1,
    "모레": 2,
    "내일모레": 2,
    "글피": 3,
    "어제": -1,
    # en / fr / de / es / ru
    "today": 0,
    "tomorrow": 1,
    "tmr": 1,
    "tmrw": 1,
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
    "yesterday": -1,
    "aujourd'hui": 0,
    "aujourd’hui": 0,
    "demain": 1,
    "après-demain": 2,
    "apres-demain": 2,
    "après demain": 2,  # not "hier": it is German for "here"
    "heute": 0,
    "morgen": 1,
    "übermorgen": 2,
    "uebermorgen": 2,
    "gestern": -1,
    "hoy": 0,
    "mañana": 1,
    "manana": 1,
    "pasado mañana": 2,
    "pasado manana": 2,
    "ayer": -1,
    "сегодня": 0,
    "завтра": 1,
    "послезавтра": 2,
    "вчера": -1,
}
_CJK_REL = [k for k in _REL if not re.search(r"[a-zа-я]", k)]
_LAT_REL = [k for k in _REL if k not in _CJK_REL]


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@rule(f"(?P<w>{_alt(_CJK_REL)})")
def _cjk_relative(m: re.Match, today: dt.date):
    return [("date", iso(today + dt.timedelta(days=_REL[m.group("w")])))]


@rule(f"{_L}(?P<w>{_alt(_LAT_REL)}){_R}")
def _latin_relative(m: re.Match, today: dt.date):
    return [("date", iso(today + dt.timedelta(days=_REL[m.group("w").lower()])))]


# "tonight", "this morning" ...: a day and a part of it in one phrase
_TODAY_POD = {
    "今晚": "evening",
    "今天晚上": "evening",
    "今早": "morning",
    "今天早上": "morning",
    "今夜": "evening",
    "今朝": "morning",
    "오늘 밤": "night",
    "오늘 저녁": "evening",
    "tonight": "evening",
    "this morning": "morning",
    "this afternoon": "afternoon",
    "this evening": "evening",
    "ce soir": "evening",
    "ce matin": "morning",
    "cet après-midi": "afternoon",
    "heute abend": "evening",
    "heute morgen": "morning",
    "heute früh": "morning",
    "heute nachmittag": "afternoon",
    "esta noche": "evening",
    "esta mañana": "morning",
    "esta tarde": "afternoon",
}


@rule(f"(?<![\\w])(?P<w>{_alt(_TODAY_POD)})(?![\\w])")
def _today_part(m: re.Match, today: dt.date):
    return [("date", iso(today)), ("part_of_day", _TODAY_POD[m.group("w").lower()])]


# ---------------------------------------------------------------- parts of the day
_POD = {
    "早上": "morning",
    "早晨": "morning",
    "上午": "morning",
    "中午": "noon",
    "下午": "afternoon",
    "傍晚": "evening",
    "晚上": "evening",
    "夜里": "night",
    "凌晨": "night",
    "午前": "morning",
    "午後": "afternoon",
    "夕方": "evening",
    "오전": "morning",
    "아침": "morning",
    "오후": "afternoon",
    "저녁": "evening",
    "밤에": "night",
    "in the morning": "morning",
    "morning": "morning",
    "noon": "noon",
    "midday": "noon",
    "afternoon": "afternoon",
    "in the evening": "evening",
    "evening": "evening",
    "at night": "night",
    "le matin": "morning",
    "matin": "morning",
    "midi": "noon",
    "après-midi": "afternoon",
    "apres-midi": "afternoon",
    "soir": "evening",
    "soirée": "evening",
    "la nuit": "night",
    "vormittag": "morning",
    "vormittags": "morning",
    "morgens": "morning",
    "am morgen": "morning",
    "früh": "morning",
    "mittags": "noon",
    "nachmittag": "afternoon",
    "nachmittags": "afternoon",
    "abend": "evening",
    "abends": "evening",
    "nachts": "night",
    "por la mañana": "morning",
    "de la mañana": "morning",
    "al mediodía": "noon",
    "por la tarde": "afternoon",
    "de la tarde": "afternoon",
    "por la noche": "evening",
    "de la noche": "evening",
    "утром": "morning",
    "днём": "afternoon",
    "днем": "afternoon",
    "вечером": "evening",
    "ночью": "night",
}
# greetings that contain a day word but name no date
_GREETINGS = "guten morgen|guten abend|guten tag|buenos días|buenos dias|buenas tardes|buenas noches|good morning|good evening|good afternoon|bonsoir"


@rule(f"(?<![\\w])(?P<w>{_alt(_POD)})(?![\\w])")
def _part_of_day(m: re.Match, today: dt.date):
    return [("part_of_day", _POD[m.group("w").lower()])]


@rule(f"(?<![\\w])(?:{_GREETINGS})(?![\\w])")
def _greeting(m: re.Match, today: dt.date):
    return []


# ---------------------------------------------------------------- weekdays
def weekday(today: dt.date, wd: int, mode: str) -> dt.date:
    """``mode``: bare, next (first strictly after today), week+N (N weeks on), last.

    ``wd`` 7 is the weekend: its Saturday, or today when today is that weekend's Sunday.
    """
    if wd == 7:
        saturday = weekday(today, 5, mode)
        return today if saturday < today <= saturday + dt.timedelta(days=1) else saturday
    if mode == "bare":
        return today + dt.timedelta(days=(wd - today.weekday()) % 7)
    if mode == "next":
        return today + dt.timedelta(days=(wd - today.weekday() - 1) % 7 + 1)
    if mode == "last":
        return today - dt.timedelta(days=(today.weekday() - wd - 1) % 7 + 1)
    weeks = int(mode[4:]) if mode.startswith("week") else 0
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=7 * weeks + wd)


_ZH_WD = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "末": 7,
    "1": 0,
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "7": 6,
}
_ZH_MODE = {
    "下下": "week+2",
    "下": "week+1",
    "这": "week+0",
    "這": "week+0",
    "本": "week+0",
    "上": "week-1",
    None: "bare",
}


@rule(
    r"(?P<mod>下下|下|这|這|本|上)?\s*(?:个|個)?\s*(?:周|週|星期|礼拜|禮拜)(?P<d>[一二三四五六日天1-7]|末)"
)
def _zh_weekday(m: re.Match, today: dt.date):
    mode = _ZH_MODE[m.group("mod")]
    return [("date", iso(weekday(today, _ZH_WD[m.group("d")], mode)))]


_JA_WD = {c: i for i, c in enumerate("月火水木金土日")}
_JA_MODE = {
    "再来週": "week+2",
    "来週": "week+1",
    "來週": "week+1",
    "今週": "week+0",
    "先週": "week-1",
    None: "bare",
}


@rule(r"(?P<mod>再来週|来週|來週|今週|先週)?\s*の?\s*(?:(?P<d>[月火水木金土日])曜日?|(?P<we>週末))")
def _ja_weekday(m: re.Match, today: dt.date):
    wd = 7 if m.group("we") else _JA_WD[m.group("d")]
    return [("date", iso(weekday(today, wd, _JA_MODE[m.group("mod")])))]


_KO_WD = {c: i for i, c in enumerate("월화수목금토일")}


@rule(
    r"(?:(?P<mod>다다음|다음|이번|지난)\s*(?:주(?=\s*[월화수목금토일]요일)\s*)?)?(?:(?P<d>[월화수목금토일])요일|(?P<we>주말))"
)
def _ko_weekday(m: re.Match, today: dt.date):
    mode = {"다다음": "week+2", "다음": "week+1", "이번": "week+0", "지난": "week-1", None: "bare"}[
        m.group("mod")
    ]
    wd = 7 if m.group("we") else _KO_WD[m.group("d")]
    return [("date", iso(weekday(today, wd, mode)))]


_EU_WD = {}
for _i, _names in enumerate(
    [
        "monday|lundi|montag|lunes|понедельник",
        "tuesday|mardi|dienstag|martes|вторник",
        "wednesday|mercredi|mittwoch|miércoles|miercoles|среда|среду|среды",
        "thursday|jeudi|donnerstag|jueves|четверг",
        "friday|vendredi|freitag|viernes|пятница|пятницу|пятницы",
        "saturday|samedi|samstag|sonnabend|sábado|sabado|суббота|субботу|субботы",
        "sunday|dimanche|sonntag|domingo|воскресенье|воскресенья",
        "weekend|week-end|wochenende|fin de semana|выходные|выходных",
    ]
):
    for _n in _names.split("|"):
        _EU_WD[_n] = _i
_NEXT = r"next|coming|prochain|prochaine|nächsten|nächster|nächste|nächstes|kommenden|kommender|kommendes|próximo|proximo|próxima|следующ\w*|ближайш\w*"
_THIS = r"this|ce|cette|diesen|dieser|dieses|este|esta|эт[ау]|этот|эти"
_LAST = r"last|dernier|letzten|letzter|pasado|прошл\w*"


@rule(
    rf"{_L}(?:(?:on|le|am|el|в|во|на)\s+)?(?:(?P<mod>{_NEXT}|{_THIS}|{_LAST})\s+)?"
    rf"(?P<d>{_alt(_EU_WD)})(?:s(?=\W|$))?"
    r"(?:\s+(?P<post>prochain|prochaine|dernier|que viene|próximo|proximo|pasado|next week|this week"
    r"|de la semaine prochaine))?" + _R
)
def _eu_weekday(m: re.Match, today: dt.date):
    mod = (m.group("mod") or m.group("post") or "").lower()
    if mod in ("next week", "de la semaine prochaine"):
        mode = "week+1"
    elif mod == "this week":
        mode = "week+0"
    elif re.fullmatch(_NEXT + r"|que viene", mod):
        mode = "next"
    elif re.fullmatch(_THIS, mod):
        mode = "week+0"
    elif re.fullmatch(_LAST, mod):
        mode = "last"
    else:
        mode = "bare"
    return [("date", iso(weekday(today, _EU_WD[m.group("d").lower()], mode)))]


# ---------------------------------------------------------------- explicit dates
def _date(year: int | None, month: int, day: int, today: dt.date) -> dt.date | None:
    try:
        if year is not None:
            return dt.date(year, month, day)
        found = dt.date(today.year, month, day)
        return found if found >= today else dt.date(today.year + 1, month, day)
    except ValueError:
        return None


def _one(found: dt.date | None):
    return [("date", iso(found))] if found else []


@rule(
    r"(?<![\d\-/.])(?P<y>20\d\d)\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*[日号號]?(?![\d\-/])"
)
def _iso(m: re.Match, today: dt.date):
    return _one(_date(int(m.group("y")), int(m.group("m")), int(m.group("d")), today))


_CJK_N = rf"\d{{1,2}}|{CN_NUMBER}"


@rule(rf"(?:(?P<y>20\d\d)\s*[年년]\s*)?(?P<m>{_CJK_N})\s*[月월]\s*(?P<d>{_CJK_N})\s*[日号號일]")
def _cjk_date(m: re.Match, today: dt.date):
    year = int(m.group("y")) if m.group("y") else None
    month, day = cn_to_int(m.group("m")), cn_to_int(m.group("d"))
    return _one(_date(year, month, day, today)) if month and day else []


@rule(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>20\d\d)(?![\d])")
def _dotted(m: re.Match, today: dt.date):
    return _one(_date(int(m.group("y")), int(m.group("m")), int(m.group("d")), today))


_MONTHS = {}
for _i, _names in enumerate(
    [
        "january|jan|janvier|januar|jänner|enero|января|январь",
        "february|feb|février|fevrier|februar|febrero|февраля|февраль",
        "march|mar|mars|märz|maerz|marzo|марта|март",
        "april|apr|avril|abril|апреля|апрель",
        "may|mai|mayo|мая|май",
        "june|jun|juin|juni|junio|июня|июнь",
        "july|jul|juillet|juli|julio|июля|июль",
        "august|aug|août|aout|agosto|августа|август",
        "september|sept|sep|septembre|septiembre|setiembre|сентября|сентябрь",
        "october|oct|octobre|oktober|octubre|октября|октябрь",
        "november|nov|novembre|noviembre|ноября|ноябрь",
        "december|dec|décembre|decembre|dezember|diciembre|декабря|декабрь",
    ],
    1,
):
    for _n in _names.split("|"):
        _MONTHS[_n] = _i
_MON = _alt(_MONTHS)


@rule(
    rf"{_L}(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.|º)?\s*(?:of\s+|de\s+)?(?P<m>{_MON})\.?"
    rf"(?:,?\s*(?:de\s+)?(?P<y>20\d\d))?{_R}"
)
def _day_month(m: re.Match, today: dt.date):
    year = int(m.group("y")) if m.group("y") else None
    return _one(_date(year, _MONTHS[m.group("m").lower()], int(m.group("d")), today))


@rule(
    rf"{_L}(?P<m>{_MON})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y>20\d\d))?{_R}"
)
def _month_day(m: re.Match, today: dt.date):
    year = int(m.group("y")) if m.group("y") else None
    return _one(_date(year, _MONTHS[m.group("m").lower()], int(m.group("d")), today))


# ---------------------------------------------------------------- clock times
_PM = {"afternoon", "evening", "night"}


def _clock(hour: int, minute: int, pod: str | None) -> list[tuple[str, object]]:
    if pod in _PM and hour < 12 and not (pod == "night" and hour < 5):
        hour += 12
    elif pod == "noon" and hour < 5:
        hour += 12
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return []
    return [("time", f"{hour % 24:02d}:{minute:02d}")]


_CJK_POD = r"早上|早晨|上午|中午|下午|傍晚|晚上|夜里|凌晨|午前|午後|夕方|夜|오전|오후|아침|저녁|밤"


def _pod_of(word: str | None) -> str | None:
    if not word:
        return None
    word = word.lower()
    return (
        _POD.get(word)
        or {"夜": "evening", "밤": "night", "utra": "morning"}.get(word)
        or (
            "morning"
            if word in ("am", "a.m.", "утра", "mañana")
            else "afternoon"
            if word in ("pm", "p.m.", "дня", "tarde")
            else "evening"
            if word in ("вечера", "noche")
            else "night"
            if word == "ночи"
            else None
        )
    )


@rule(
    rf"(?P<pod>{_CJK_POD})?\s*(?P<h>\d{{1,2}}|{CN_NUMBER})\s*(?:[点點时時시](?!间|間|候|간|代))"
    rf"(?:\s*(?P<half>半|반)|\s*(?P<mi>\d{{1,2}}|{CN_NUMBER})\s*[分분])?(?P<tail>钟|鐘|に|から|頃|ごろ|에)?",
    0,
)
def _cjk_clock(m: re.Match, today: dt.date):
    arabic = m.group("h").isdigit()
    if not arabic and not (m.group("pod") or m.group("half") or m.group("mi") or m.group("tail")):
        return []  # "一点" alone is usually "a little"
    hour = cn_to_int(m.group("h"))
    minute = 30 if m.group("half") else cn_to_int(m.group("mi")) if m.group("mi") else 0
    if hour is None or minute is None:
        return []
    return _clock(hour, minute, _pod_of(m.group("pod")))


@rule(
    r"(?<![\d:：.])(?P<h>[01]?\d|2[0-4])[:：](?P<mi>[0-5]\d)(?![\d:])(?:\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![\w]))?"
)
def _hhmm(m: re.Match, today: dt.date):
    return _clock(
        int(m.group("h")),
        int(m.group("mi")),
        _pod_of((m.group("ap") or "").replace(".", "") or None),
    )


@rule(r"(?<![\w:])(?P<h>1[0-2]|0?\d)\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![\w])")
def _ampm(m: re.Match, today: dt.date):
    return _clock(int(m.group("h")), 0, _pod_of(m.group("ap").replace(".", "")))


@rule(
    r"(?<![\w:])(?P<h>[01]?\d|2[0-3])\s*h\s*(?P<mi>[0-5]\d)(?![\w])|(?<![\w])(?:à|vers|dès|avant|après)\s+(?P<h2>[01]?\d|2[0-3])\s*(?:h|heures?)(?![\w])"
)
def _fr_clock(m: re.Match, today: dt.date):
    hour = int(m.group("h") or m.group("h2"))
    return _clock(hour, int(m.group("mi") or 0), None)


@rule(
    r"(?<![\w:])(?P<h>[01]?\d|2[0-4])(?:[.:](?P<mi>[0-5]\d))?\s*Uhr(?:\s*(?P<mi2>[0-5]\d))?(?![\w])"
)
def _de_clock(m: re.Match, today: dt.date):
    return _clock(int(m.group("h")), int(m.group("mi") or m.group("mi2") or 0), None)


@rule(
    r"(?<![\w])a\s+las?\s+(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?(?P<half>\s+y\s+media)?"
    r"(?:\s+de\s+la\s+(?P<pod>mañana|tarde|noche))?(?![\w])"
)
def _es_clock(m: re.Match, today: dt.date):
    minute = 30 if m.group("half") else int(m.group("mi") or 0)
    return _clock(int(m.group("h")), minute, _pod_of(m.group("pod")))


@rule(
    r"(?<![\w])(?:в\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?:час(?:а|ов)?|ч\.?)?\s*(?P<pod>утра|дня|вечера|ночи)(?![\w])"
    r"|(?<![\w])в\s+(?P<h2>[01]?\d|2[0-3])\s*час(?:а|ов)?(?![\w])"
)
def _ru_clock(m: re.Match, today: dt.date):
    if (
        m.group("pod")
        and not re.match(r"в\s", m.group())
        and "час" not in m.group()
        and not re.search(r"\bч\b", m.group())
        and not m.group("mi")
    ):
        return []  # "на 3 дня", "на 3 ночи" are three days / nights
    hour = int(m.group("h") or m.group("h2"))
    return _clock(hour, int(m.group("mi") or 0), _pod_of(m.group("pod")))


# ---------------------------------------------------------------- search
def find_dates(text: str, today: dt.date) -> list[Found]:
    """``date`` / ``time`` / ``part_of_day`` entities; the longest match wins, matches never overlap."""
    candidates: list[tuple[int, int, list[tuple[str, object]]]] = []
    for pattern, handler in RULES:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                start = m.start() + (len(m.group()) - len(m.group().lstrip()))
                candidates.append((start, m.end(), handler(m, today)))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    chosen: list[tuple[int, int, list[tuple[str, object]]]] = []
    for cand in candidates:
        if all(cand[1] <= s or cand[0] >= e for s, e, _ in chosen):
            chosen.append(cand)
    return [
        Found(entity, value, s, e) for s, e, values in sorted(chosen) for entity, value in values
    ]
