"""Render sourced answers from entry facts, in the eight languages.

Structured facts (prices, hours, phone, reservation) go through per-language templates in
``knowledge_base/templates/<lang>.yml``; free text is shown in Chinese for ``zh`` and in English for
every other language. Every answer ends with its source URL and last-verified date; an empty fact
becomes "not confirmed, please verify with the venue" (plus the phone number when known).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES
from knowledge_base.schema import Bilingual, Entry, Fact, OpeningPeriod, Ticket

Topic = Literal["ticket", "hours", "location", "contact", "reservation", "transport", "info"]

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
_NOTED_TOPICS = frozenset({"ticket", "hours", "reservation"})
_CJK_LANGS = frozenset({"zh", "ja"})
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


def free_text(text: Bilingual | None, lang: str) -> str:
    """Chinese for zh, English otherwise; the other language when the wanted one is missing."""
    if text is None:
        return ""
    first, second = (text.zh, text.en) if lang == "zh" else (text.en, text.zh)
    return (first or second or "").strip()


def format_amount(amount: float) -> str:
    """169.0 -> '169', 12.5 -> '12.5'."""
    return str(int(amount)) if float(amount).is_integer() else f"{amount:.2f}".rstrip("0")


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


def render_answer(entry: Entry, topic: Topic, lang: str, *, today: dt.date | None = None) -> str:
    """One answer about ``topic`` of ``entry`` in ``lang`` (unknown -> English), with its source."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    ctx = _Ctx(entry, lang, templates(lang), today or dt.date.today())
    fact_name = _FACT_OF_TOPIC.get(topic, "details")
    fact: Fact[Any] = getattr(entry, fact_name)
    body = _RENDERERS[topic](ctx, fact)
    if body is None:
        lines = [_not_confirmed(ctx, topic)]
    else:
        lines = body
        if fact.note and lang != "zh" and topic in _NOTED_TOPICS:
            lines.append(ctx.t["note"].format(text=fact.note))
    lines.append(_source_line(ctx, fact))
    return "\n".join(line for line in lines if line)


def render_upcoming_event(entry: Entry, projected: dt.date, lang: str) -> str:
    """An upcoming event (see :mod:`knowledge_base.seasonal`): the usual date, then its information."""
    t = templates(lang if lang in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE)
    return (
        t["upcoming_event"].format(date=projected.isoformat())
        + "\n"
        + render_answer(entry, "info", lang)
    )


def _not_confirmed(ctx: _Ctx, topic: str) -> str:
    text = ctx.t["not_confirmed"].format(what=ctx.t["topics"][topic], name=ctx.name)
    phone = ctx.entry.phone.value
    if phone:
        text += ("" if ctx.lang in _CJK_LANGS else " ") + ctx.t["phone_hint"].format(phone=phone)
    return text


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
            line = t["price_line"].format(
                label=label, price=t["currency"].format(amount=format_amount(price.amount))
            )
            if seasonal and current is not None and price.season in (current, "all_year"):
                line += t["today"].format(date=ctx.today.isoformat())
            lines.append(line)
            cond = free_text(price.conditions, ctx.lang)
            if cond:
                lines.append(f"  {cond}")
    if ticket.includes:
        lines.append(t["includes"].format(text=free_text(ticket.includes, ctx.lang)))
    if ticket.concessions:
        lines.append(t["concessions"].format(text=free_text(ticket.concessions, ctx.lang)))
    return lines


def _price_label(
    ctx: _Ctx, price: Any, ranges: dict[str, tuple[tuple[int, int], tuple[int, int]]]
) -> str:
    t = ctx.t
    if ctx.lang == "zh" and price.label and price.label.zh:
        return price.label.zh
    if price.category == "other" and price.label:
        base = free_text(price.label, ctx.lang)
        return base
    base = t["categories"][price.category]
    if price.season == "all_year":
        return base
    label = f"{base}, {t['seasons'][price.season]}"
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
            days = t["list_sep"].join(t["weekdays"][d] for d in period.closed_weekdays)
            line += t["closed_on"].format(days=days)
        if (
            period.from_date
            and period.to_date
            and _in_range(ctx.today, _md(period.from_date), _md(period.to_date))
            and len(periods) > 1
        ):
            line += t["today"].format(date=ctx.today.isoformat())
        lines.append(line)
    return lines


def _location(ctx: _Ctx, fact: Fact[Bilingual]) -> list[str] | None:
    if fact.value is None:
        return None
    lines = []
    place = ", ".join(
        p for p in (free_text(ctx.entry.county, ctx.lang), free_text(ctx.entry.city, ctx.lang)) if p
    )
    if place:
        lines.append(ctx.t["place"].format(name=ctx.name, place=place))
    lines.append(ctx.t["address"].format(text=free_text(fact.value, ctx.lang)))
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
        lines.append(ctx.t["channels"].format(text=free_text(res.channels, ctx.lang)))
    if res.rules:
        lines.append(ctx.t["rules"].format(text=free_text(res.rules, ctx.lang)))
    return lines


def _transport(ctx: _Ctx, fact: Fact[Bilingual]) -> list[str] | None:
    text = free_text(fact.value, ctx.lang)
    return [ctx.t["transport"].format(name=ctx.name, text=text)] if text else None


def _info(ctx: _Ctx, fact: Fact[Bilingual]) -> list[str] | None:
    lines = [ctx.t["info"].format(name=ctx.name, text=free_text(ctx.entry.description, ctx.lang))]
    details = free_text(fact.value, ctx.lang)
    if details:
        lines.append(details)
    tips = free_text(ctx.entry.tips, ctx.lang)
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
