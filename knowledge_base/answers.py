"""Render sourced answers from entry facts, in the eight languages.

Structured facts (prices, hours, phone, reservation) go through per-language templates in
``knowledge_base/templates/<lang>.yml``; free text (descriptions, tips, addresses, caveats) is shown
in the tourist's language, so a reply never mixes languages except for proper names and the Chinese
address that non-Chinese readers get for their taxi driver. A fact's ``caveat`` is told with it in
every language (its ``note`` is for editors only). Every answer ends with its source URL and
last-verified date; an empty fact becomes "not confirmed, please verify with the venue" (plus the
phone number when known). Korean particles and plural forms are chosen by :mod:`knowledge_base.grammar`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES
from knowledge_base.answer_paths import PATH_TOPICS, PathTopic, render_path_answer
from knowledge_base.grammar import korean_particles, plural
from knowledge_base.schema import Entry, Fact, LocalizedText, OpeningPeriod, Price, Ticket

Topic = (
    Literal["ticket", "hours", "location", "contact", "reservation", "transport", "info"]
    | PathTopic
)
"""Path topics (route, accessibility, season, altitude, food, duration, practical) render in
:mod:`knowledge_base.answer_paths`."""

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
_FACT_OF_TOPIC = {
    "ticket": "ticket",
    "hours": "opening_hours",
    "location": "address",
    "contact": "phone",
    "reservation": "reservation",
    "transport": "transport",
    "info": "details",
}
_ZH_RANGE = re.compile(r"(\d{1,2})月(\d{1,2})日?\s*[至到\-–~]\s*(?:次年)?(\d{1,2})月(\d{1,2})日?")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_EN_RANGE = re.compile(
    r"(\d{1,2})\s*([A-Za-z]{3})[a-z]*\.?\s*[-–~to]+\s*(\d{1,2})\s*([A-Za-z]{3})", re.IGNORECASE
)


@cache
def templates(lang: str) -> dict[str, Any]:
    """Templates of ``lang`` (English for unknown languages)."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    with (TEMPLATES_DIR / f"{lang}.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def free_text(text: LocalizedText | None, lang: str) -> str:
    """``text`` in ``lang``.

    ``make kb`` refuses an entry whose text misses a language, so the fallback (English, then
    Chinese) only protects a half-translated entry loaded outside validation from an empty reply.
    """
    if text is None:
        return ""
    return text.get(lang) or text.get(FALLBACK_LANGUAGE) or text.get("zh")


def format_amount(amount: float, decimal_sep: str = ".") -> str:
    """169.0 -> '169', 12.5 -> '12.5' (or '12,5' with ``decimal_sep=','``)."""
    if float(amount).is_integer():
        return str(int(amount))
    return f"{amount:.2f}".rstrip("0").replace(".", decimal_sep)


@dataclass(frozen=True)
class _Ctx:
    entry: Entry
    lang: str
    t: dict[str, Any]
    today: dt.date

    @property
    def name(self) -> str:
        return self.entry.names.get(self.lang)

    def month_day(self, month: int, day: int) -> str:
        months = self.t.get("months") or []
        name = months[month - 1] if months else str(month)
        return self.t["month_day"].format(month=month, day=day, month_name=name)

    def text(self, value: LocalizedText | None) -> str:
        return free_text(value, self.lang)

    def join(self, items: list[str]) -> str:
        """'a, b and c' in the reply language."""
        if len(items) < 2:
            return "".join(items)
        return self.t["list_sep"].join(items[:-1]) + self.t["list_last_sep"] + items[-1]

    def price(self, amount: float) -> str:
        forms = self.t["currency"]
        return plural(forms, self.lang, amount).format(
            amount=format_amount(amount, self.t["decimal_sep"])
        )


def render_answer(entry: Entry, topic: Topic, lang: str, *, today: dt.date | None = None) -> str:
    """One answer about ``topic`` of ``entry`` in ``lang`` (unknown -> English), with its source."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    if topic in PATH_TOPICS or (entry.type == "topic" and topic != "info"):
        path_topic = cast(PathTopic, topic if topic in PATH_TOPICS else "practical")
        return render_path_answer(entry, path_topic, lang, today=today)
    ctx = _Ctx(entry, lang, templates(lang), today or dt.date.today())
    fact_name = _FACT_OF_TOPIC.get(topic, "details")
    fact: Fact[Any] = getattr(entry, fact_name)
    body = _RENDERERS[topic](ctx, fact)
    lines = [_not_confirmed(ctx, topic)] if body is None else body
    caveat = ctx.text(fact.caveat)
    if caveat:
        lines.append(ctx.t["caveat"].format(text=caveat))
    lines.append(_source_line(ctx, fact))
    text = "\n".join(line for line in lines if line)
    return korean_particles(text) if lang == "ko" else text


def render_upcoming_event(entry: Entry, projected: dt.date, lang: str) -> str:
    """An upcoming event (see :mod:`knowledge_base.seasonal`): the usual date, then its information."""
    t = templates(lang if lang in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE)
    return (
        t["upcoming_event"].format(date=projected.isoformat())
        + "\n"
        + render_answer(entry, "info", lang)
    )


def _not_confirmed(ctx: _Ctx, topic: str) -> str:
    parts = [ctx.t["not_confirmed"][topic].format(name=ctx.name), ctx.t["verify"]]
    phone = ctx.entry.phone.value
    if phone:
        parts.append(ctx.t["phone_hint"].format(phone=phone))
    return ctx.t["sentence_sep"].join(parts)


def _source_line(ctx: _Ctx, fact: Fact[Any]) -> str:
    """The fact's own source, else the entry's, else any sourced fact of the entry."""
    url, date = fact.source, fact.last_verified
    if url is None:
        url, date = _entry_source(ctx.entry)
    date_text = date.isoformat() if date else ctx.t["date_unknown"]
    if url is None:
        return ctx.t["source_unknown"].format(date=date_text)
    return ctx.t["source"].format(url=str(url), date=date_text)


def _entry_source(entry: Entry) -> tuple[Any, dt.date | None]:
    if entry.sources:
        return entry.sources[0], entry.last_verified
    for name in (
        "details",
        "ticket",
        "opening_hours",
        "address",
        "phone",
        "reservation",
        "transport",
        "coordinates",
        "event_dates",
    ):
        fact = getattr(entry, name)
        if fact.source is not None:
            return fact.source, fact.last_verified or entry.last_verified
    return None, entry.last_verified


# ---------- topics ----------


def _ticket(ctx: _Ctx, fact: Fact[Ticket]) -> list[str] | None:
    ticket = fact.value
    if ticket is None:
        return None
    t = ctx.t
    if ticket.free and not ticket.prices:
        lines = [t["free"].format(name=ctx.name)]
    else:
        ranges = season_ranges(ctx.entry)
        current = season_on(ctx.today, ranges)
        seasonal = any(p.season != "all_year" for p in ticket.prices)
        lines = [t["ticket_header"].format(name=ctx.name)]
        for price in ticket.prices:
            label = _price_label(ctx, price, ranges)
            line = t["price_line"].format(label=label, price=ctx.price(price.amount))
            if seasonal and current is not None and price.season in (current, "all_year"):
                line += t["today_price"].format(date=ctx.today.isoformat())
            lines.append(line)
            cond = ctx.text(price.conditions)
            if cond:
                lines.append(f"  {cond}")
    if ticket.includes:
        lines.append(t["includes"].format(text=ctx.text(ticket.includes)))
    if ticket.concessions:
        lines.append(t["concessions"].format(text=ctx.text(ticket.concessions)))
    return lines


def _price_label(
    ctx: _Ctx, price: Price, ranges: dict[str, tuple[tuple[int, int], tuple[int, int]]]
) -> str:
    """The entry's own label in the reply language, else category and season (with dates)."""
    t = ctx.t
    if price.label is not None and price.label.get(ctx.lang):
        return price.label.get(ctx.lang)
    if price.category == "other" and price.label is not None:
        return ctx.text(price.label)
    base = t["categories"][price.category]
    if price.season == "all_year":
        return base
    label = f"{base}, {t['seasons_inline'][price.season]}"
    if price.season in ranges:
        (m1, d1), (m2, d2) = ranges[price.season]
        label += t["date_range"].format(start=ctx.month_day(m1, d1), end=ctx.month_day(m2, d2))
    return label


def season_ranges(entry: Entry) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Peak/off-peak date ranges from the opening periods, else from the price labels."""
    out: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
    for period in entry.opening_hours.value or []:
        if period.season in ("peak", "off_peak") and period.from_date and period.to_date:
            out[period.season] = (_md(period.from_date), _md(period.to_date))
    ticket = entry.ticket.value
    for price in ticket.prices if ticket else []:
        if price.season == "all_year" or price.season in out or price.label is None:
            continue
        found = _ZH_RANGE.search(price.label.zh or "")
        if found:
            m1, d1, m2, d2 = (int(x) for x in found.groups())
            out[price.season] = ((m1, d1), (m2, d2))
            continue
        found = _EN_RANGE.search(price.label.en or "")
        if found and found.group(2).lower() in _MONTHS and found.group(4).lower() in _MONTHS:
            out[price.season] = (
                (_MONTHS.index(found.group(2).lower()) + 1, int(found.group(1))),
                (_MONTHS.index(found.group(4).lower()) + 1, int(found.group(3))),
            )
    return out


def _md(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _in_range(day: dt.date, start: tuple[int, int], end: tuple[int, int]) -> bool:
    key = (day.month, day.day)
    return start <= key <= end if start <= end else key >= start or key <= end


def season_on(
    day: dt.date, ranges: dict[str, tuple[tuple[int, int], tuple[int, int]]]
) -> str | None:
    """'peak' / 'off_peak' for ``day`` when the ranges say so, else None."""
    for season, (start, end) in ranges.items():
        if _in_range(day, start, end):
            return season
    if set(ranges) == {"peak"}:
        return "off_peak"
    if set(ranges) == {"off_peak"}:
        return "peak"
    return None


def _hours(ctx: _Ctx, fact: Fact[list[OpeningPeriod]]) -> list[str] | None:
    periods = fact.value
    if not periods:
        return None
    t = ctx.t
    lines = [t["hours_header"].format(name=ctx.name)]
    for period in periods:
        dates = ""
        if period.from_date and period.to_date:
            start, end = _md(period.from_date), _md(period.to_date)
            dates = t["date_range"].format(start=ctx.month_day(*start), end=ctx.month_day(*end))
        line = t["hours_line"].format(
            season=t["seasons"][period.season],
            dates=dates,
            opens=period.opens,
            closes=period.closes,
        )
        if period.last_entry:
            line += t["last_entry"].format(time=period.last_entry)
        if period.closed_weekdays:
            days = ctx.join([t["weekdays"][d] for d in period.closed_weekdays])
            closed = plural(t["closed_on"], ctx.lang, len(period.closed_weekdays))
            line += closed.format(days=days)
        if (
            period.from_date
            and period.to_date
            and _in_range(ctx.today, _md(period.from_date), _md(period.to_date))
            and len(periods) > 1
        ):
            line += t["today_hours"].format(date=ctx.today.isoformat())
        lines.append(line)
    return lines


def _location(ctx: _Ctx, fact: Fact[LocalizedText]) -> list[str] | None:
    """Where the place is, its address in the reply language and, for a taxi driver, in Chinese."""
    if fact.value is None:
        return None
    lines = []
    parts = [p for p in (ctx.text(ctx.entry.county), ctx.text(ctx.entry.city)) if p]
    if ctx.t["place_order"] == "big_first":
        parts.reverse()
    place = ctx.t["place_sep"].join(parts)
    if place:
        lines.append(ctx.t["place"].format(name=ctx.name, place=place))
    address = ctx.text(fact.value)
    lines.append(ctx.t["address"].format(text=address))
    chinese = fact.value.get("zh")
    if ctx.lang != "zh" and chinese and chinese != address:
        lines.append(ctx.t["address_zh"].format(text=chinese))
    coords = ctx.entry.coordinates.value
    if coords is not None:
        lines.append(ctx.t["coordinates"].format(lat=coords.lat, lon=coords.lon))
    return lines


def _contact(ctx: _Ctx, fact: Fact[str]) -> list[str] | None:
    if not fact.value:
        return None
    return [ctx.t["contact"].format(name=ctx.name, phone=fact.value)]


def _reservation(ctx: _Ctx, fact: Fact[Any]) -> list[str] | None:
    res = fact.value
    if res is None:
        return None
    key = "reservation_required" if res.required else "reservation_not_required"
    lines = [ctx.t[key].format(name=ctx.name)]
    if res.channels:
        lines.append(ctx.t["channels"].format(text=ctx.text(res.channels)))
    if res.rules:
        lines.append(ctx.t["rules"].format(text=ctx.text(res.rules)))
    return lines


def _transport(ctx: _Ctx, fact: Fact[LocalizedText]) -> list[str] | None:
    text = ctx.text(fact.value)
    return [ctx.t["transport"].format(name=ctx.name, text=text)] if text else None


def _info(ctx: _Ctx, fact: Fact[LocalizedText]) -> list[str] | None:
    lines = [ctx.t["info"].format(name=ctx.name, text=ctx.text(ctx.entry.description))]
    details = ctx.text(fact.value)
    if details:
        lines.append(details)
    tips = ctx.text(ctx.entry.tips)
    if tips:
        lines.append(tips)
    return lines


_RENDERERS: dict[str, Callable[[_Ctx, Any], list[str] | None]] = {
    "ticket": _ticket,
    "hours": _hours,
    "location": _location,
    "contact": _contact,
    "reservation": _reservation,
    "transport": _transport,
    "info": _info,
}
