"""Short day-by-day plans ("2 days in Chengdu", "3-day trip with elderly parents") from the KB.

Only places of the asked city (the entries' ``city``), at most three a day (two with elderly
travellers or children, a day trip counting double), never on a day their sourced opening hours
say they are closed, and festivals only when their recorded dates fall within the stay. Notes for
elderly travellers and children come from the entries' accessibility and altitude facts; a place
without them is named as "not confirmed". Texts are in ``templates/answer_paths/<lang>.yml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES
from knowledge_base.answer_paths import labels, localized
from knowledge_base.schema import Entry, LocalizedText

DEFAULT_DAYS = 2
MAX_DAYS = 7
DEFAULT_CITY = "chengdu"
STOPS_PER_DAY = 3
STOPS_PER_DAY_GENTLE = 2
PLACE_TYPES = frozenset(
    {
        "scenic_area",
        "museum",
        "library",
        "culture_centre",
        "historic_site",
        "temple",
        "street",
        "park",
    }
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CITY_SUFFIXES = re.compile(r"(市|시|\s+city|-shi|\s+shi)$", re.IGNORECASE)

_CN_NUM = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_WORD_NUM = {
    # en fr de es ru
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "ein": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "один": 1, "одного": 1, "два": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3,
    "четыре": 4, "четырёх": 4, "пять": 5, "шесть": 6, "семь": 7,
}  # fmt: skip
_DAY_WORD = r"(?:days?|jours?|journées?|tage?n?|tagen|días?|dias|дн(?:я|ей|ь|евн\w*)|сут\w*)"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{1,2})\s*박\s*(\d{1,2})\s*일"), "ko_nights"),
    (re.compile(r"(?<![\d月월/.-])(?<!월 )(\d{1,2})\s*(?:天|日間|日间|日游|日遊|일|日)"), "digit"),
    (re.compile(r"([一二两兩三四五六七])\s*(?:天|日間|日间|日游|日遊|日)"), "cn"),
    (re.compile(rf"(\d{{1,2}})\s*-?\s*{_DAY_WORD}\b", re.IGNORECASE), "digit"),
    (re.compile(rf"\b(\w+)[\s-]+{_DAY_WORD}\b", re.IGNORECASE), "word"),
)
_FIXED_DAYS: tuple[tuple[re.Pattern[str], int], ...] = (
    (
        re.compile(
            r"하루|당일|日帰り|一日游|一日遊|day trip|excursion d'une journée|tagesausflug", re.I
        ),
        1,
    ),
    (re.compile(r"이틀|週末|周末|weekend|week-end|wochenende|fin de semana|выходны", re.I), 2),
    (re.compile(r"사흘", re.I), 3),
    (re.compile(r"나흘", re.I), 4),
    (
        re.compile(r"一周|一週間|일주일|\ba week\b|une semaine|eine woche|una semana|неделю", re.I),
        7,
    ),
)
_ELDERLY = re.compile(
    r"elderly|old(er)? parents|grand(ma|pa|parents?)|senior|aged parents|老人|老年|长辈|長輩|年迈|爸妈|父母"
    r"|爷爷|奶奶|外公|外婆|高齢|お年寄り|年配|両親|祖父母|어르신|노인|부모님|할머니|할아버지"
    r"|âgé|grands-parents|personnes âgées|ältere|großeltern|senioren|betagte|rentner"
    r"|mayores|ancian|abuel|tercera edad|пожил|родител|бабушк|дедушк|пенсионер",
    re.IGNORECASE,
)
_CHILDREN = re.compile(
    r"\bkids?\b|child|toddler|baby|孩子|小孩|儿童|兒童|宝宝|寶寶|亲子|親子|子供|子ども|こども|子連れ|赤ちゃん"
    r"|아이|아기|어린이|애들|enfant|bébé|\bkind(er)?\b|kleinkind|niñ[oa]s?|hij[oa]s|bebé|peques"
    r"|дет|ребён|ребен|малыш",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Party:
    """Who travels: elderly travellers and/or children slow the plan down."""

    elderly: bool = False
    children: bool = False

    @property
    def gentle(self) -> bool:
        """Fewer places a day."""
        return self.elderly or self.children


@dataclass(frozen=True)
class DayPlan:
    """One day: its date, the places to visit and the festivals on that day."""

    date: dt.date
    stops: list[Entry] = field(default_factory=list)
    events: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Itinerary:
    """A plan for ``city`` (None when the knowledge base has no place there)."""

    city: LocalizedText | None
    city_named: bool
    party: Party
    days: list[DayPlan]


def parse_days(text: str) -> int | None:
    """Number of days a message asks for ("2 days", "两天", "2泊3日", "이틀", "zwei Tage"), capped."""
    for pattern, kind in _PATTERNS:
        for found in pattern.finditer(text):
            value = _value(found, kind)
            if value:
                return min(value, MAX_DAYS)
    for pattern, days in _FIXED_DAYS:
        if pattern.search(text):
            return days
    return None


def _value(found: re.Match[str], kind: str) -> int | None:
    if kind == "ko_nights":
        return int(found.group(2))
    if kind == "digit":
        return int(found.group(1))
    if kind == "cn":
        return _CN_NUM.get(found.group(1))
    return _WORD_NUM.get(found.group(1).lower())


def parse_party(text: str) -> Party:
    """Elderly travellers and children mentioned in the message."""
    return Party(elderly=bool(_ELDERLY.search(text)), children=bool(_CHILDREN.search(text)))


def city_key(city: LocalizedText | None) -> str | None:
    """A city's stable key: its English name, lower case, without "City"."""
    if city is None:
        return None
    name = city.en or city.zh or ""
    return _CITY_SUFFIXES.sub("", name.strip()).lower() or None


def city_names(city: LocalizedText) -> list[str]:
    """Every name of ``city`` in every language, with and without 市/시/City, longest first."""
    names: set[str] = set()
    for value in city.model_dump().values():
        if value and value.strip():
            names.add(value.strip().lower())
            stripped = _CITY_SUFFIXES.sub("", value.strip()).lower()
            if len(stripped) >= 2:
                names.add(stripped)
    return sorted(names, key=len, reverse=True)


def cities(entries: Iterable[Entry]) -> dict[str, LocalizedText]:
    """The cities of the knowledge base's places, by key."""
    found: dict[str, LocalizedText] = {}
    for entry in entries:
        key = city_key(entry.city)
        if key and entry.type in PLACE_TYPES and entry.city is not None:
            found.setdefault(key, entry.city)
    return found


def find_city(text: str, known: dict[str, LocalizedText]) -> str | None:
    """Key of the city named in ``text`` (the longest name wins), or None."""
    lowered = text.lower()
    best: tuple[int, str] | None = None
    for key, city in known.items():
        for name in city_names(city):
            if _mentions(lowered, name) and (best is None or len(name) > best[0]):
                best = (len(name), key)
                break
    return best[1] if best else None


def _mentions(text: str, name: str) -> bool:
    if re.fullmatch(r"[a-zà-ÿ' .-]+", name):
        return re.search(rf"\b{re.escape(name)}\b", text) is not None
    return name in text


def is_open_on(entry: Entry, day: dt.date) -> bool:
    """False only when the sourced opening hours say the place is closed that weekday."""
    periods = [p for p in entry.opening_hours.value or [] if _applies(p, day)]
    if not periods:
        return True
    weekday = _WEEKDAYS[day.weekday()]
    return any(weekday not in period.closed_weekdays for period in periods)


def _applies(period: object, day: dt.date) -> bool:
    start, end = getattr(period, "from_date", None), getattr(period, "to_date", None)
    if not start or not end:
        return True
    key = f"{day.month:02d}-{day.day:02d}"
    return start <= key <= end if start <= end else key >= start or key <= end


def _priority(entry: Entry) -> tuple[int, str]:
    score = 3 if "must_see" in entry.tags else 0
    score += {"5A": 2, "4A": 1}.get(entry.a_level or "", 0)
    return (-score, entry.id)


def _weight(entry: Entry) -> int:
    return 2 if any(tag.startswith("day_trip") for tag in entry.tags) else 1


def _event_days(entry: Entry) -> tuple[dt.date, dt.date] | None:
    dates = entry.event_dates.value or []
    return (min(dates), max(dates)) if dates else None


def plan_itinerary(
    entries: Iterable[Entry],
    *,
    city: str | None,
    days: int,
    start: dt.date,
    party: Party = Party(),
) -> Itinerary:
    """A plan of ``days`` days from ``start`` in ``city`` (a :func:`city_key`; None -> Chengdu)."""
    days = max(1, min(days, MAX_DAYS))
    key = city or DEFAULT_CITY
    pool = [e for e in entries if city_key(e.city) == key]
    places = sorted((e for e in pool if e.type in PLACE_TYPES), key=_priority)
    plan = [DayPlan(start + dt.timedelta(days=i)) for i in range(days)]
    room = STOPS_PER_DAY_GENTLE if party.gentle else STOPS_PER_DAY
    for place in places:
        for day in plan:
            used = sum(_weight(stop) for stop in day.stops)
            if used + _weight(place) <= room and is_open_on(place, day.date):
                day.stops.append(place)
                break
    for event in sorted((e for e in pool if e.type == "event"), key=lambda e: e.id):
        span = _event_days(event)
        if span is None:
            continue
        for day in plan:
            if span[0] <= day.date <= span[1]:
                day.events.append(event)
    city_text = next((e.city for e in places), None)
    return Itinerary(city=city_text, city_named=city is not None, party=party, days=plan)


def _plural(lang: str, n: int, forms: dict[str, str]) -> str:
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            form = "one"
        elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            form = "few"
        else:
            form = "many"
    elif lang == "fr":
        form = "one" if n <= 1 else "other"
    else:
        form = "one" if n == 1 else "other"
    return forms.get(form) or forms["other"]


def render_itinerary(itinerary: Itinerary, lang: str) -> str:
    """The plan in ``lang`` (unknown -> English): a header, one line a day, then notes."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    t = labels(lang)
    it = t["itinerary"]
    sep = t["list_sep"]
    if itinerary.city is None or not any(day.stops for day in itinerary.days):
        return it["no_places"]
    city = localized(itinerary.city, lang)
    count = len(itinerary.days)
    header = _plural(lang, count, it["header"]).format(
        days=count, city=city, date=itinerary.days[0].date.isoformat()
    )
    lines = [header]
    if not itinerary.city_named:
        lines.append(it["default_city"].format(city=city))
    for number, day in enumerate(itinerary.days, start=1):
        weekday = t["weekdays"][_WEEKDAYS[day.date.weekday()]]
        stops = sep.join(stop.names.get(lang) for stop in day.stops) or it["free_day"]
        lines.append(
            it["day_line"].format(n=number, weekday=weekday, date=day.date.isoformat(), stops=stops)
        )
        for event in day.events:
            lines.append(it["festival"].format(name=event.names.get(lang)))
    lines.extend(_notes(itinerary, lang, t))
    lines.append(it["footer"])
    return "\n".join(lines)


def _notes(itinerary: Itinerary, lang: str, t: dict[str, Any]) -> list[str]:
    it: dict[str, str] = t["itinerary"]
    weekdays: dict[str, str] = t["weekdays"]
    sep: str = t["list_sep"]
    stops = [stop for day in itinerary.days for stop in day.stops]
    notes: list[str] = []
    for stop in stops:
        closed = sorted(
            {d for p in stop.opening_hours.value or [] for d in p.closed_weekdays},
            key=_WEEKDAYS.index,
        )
        if closed:
            days = sep.join(weekdays[d] for d in closed)
            notes.append(it["closed"].format(name=stop.names.get(lang), days=days))
    if itinerary.party.elderly:
        notes.append(it["elderly"])
    if itinerary.party.children:
        notes.append(it["children"])
    if itinerary.party.gentle:
        unknown = []
        for stop in stops:
            access = localized(stop.accessibility.value, lang)
            if access:
                notes.append(it["access"].format(name=stop.names.get(lang), text=access))
            else:
                unknown.append(stop.names.get(lang))
        if unknown:
            notes.append(it["access_unknown"].format(names=sep.join(unknown)))
    for stop in stops:
        if stop.elevation_m.value is not None and "altitude" in stop.tags:
            meters = f"{round(stop.elevation_m.value):,}".replace(",", t["thousands_sep"])
            notes.append(it["altitude"].format(name=stop.names.get(lang), meters=meters))
    return notes
