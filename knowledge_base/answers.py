"""Render sourced answers from entry facts, in the eight languages.

Structured facts (prices, hours, phone, reservation) go through per-language templates in
``knowledge_base/templates/<lang>.yml``; free text (descriptions, tips, addresses, caveats) is shown
in the tourist's language, so a reply never mixes languages except for proper names and the Chinese
address that non-Chinese readers get for their taxi driver. A fact's ``caveat`` is told with it in
every language (its ``note`` is for editors only). Every answer ends with where the fact comes from and
as of when (:mod:`knowledge_base.provenance`), with a warning when it is over two years old; an empty
fact becomes "not confirmed, please verify with the venue" (plus the phone number when known), and
so does a fact whose sources conflict. Seasonal hours and prices are given only for the day asked
(:mod:`knowledge_base.seasonal`). Korean particles and plural forms are chosen by :mod:`knowledge_base.grammar`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES
from knowledge_base.answer_paths import (
    PATH_TOPICS,
    PathTopic,
    driver_address,
    render_event_dates,
    render_path_answer,
)
from knowledge_base.grammar import korean_particles, plural
from knowledge_base.provenance import format_date, provenance_lines
from knowledge_base.schema import Entry, Fact, LocalizedText, OpeningPeriod, Price, Ticket
from knowledge_base.seasonal import (
    MonthDay,
    in_range,
    month_day,
    periods_on,
    price_range,
    season_ranges,
)

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

    def date(self, day: dt.date) -> str:
        """A full date in the reply language ("7 December 2026")."""
        return format_date(day, "day", self.lang)

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


def render_answer(
    entry: Entry,
    topic: Topic,
    lang: str,
    *,
    today: dt.date | None = None,
    on: dt.date | None = None,
) -> str:
    """One answer about ``topic`` of ``entry`` in ``lang`` (unknown -> English), with its source.

    ``on`` is the day the tourist asks about (default ``today``): a seasonal value is given only
    for that day. The source line says where the fact comes from and as of when, and warns when it
    is more than two years old on ``today``; conflicting sources give no value.
    """
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    if entry.type == "event" and topic == "hours":  # "when is the festival?"
        return render_event_dates(entry, lang, today)
    if topic in PATH_TOPICS or (entry.type == "topic" and topic != "info"):
        path_topic = cast(PathTopic, topic if topic in PATH_TOPICS else "practical")
        return render_path_answer(entry, path_topic, lang, today=today)
    real_today = today or dt.date.today()
    ctx = _Ctx(entry, lang, templates(lang), on or real_today)
    fact_name = _FACT_OF_TOPIC.get(topic, "details")
    fact: Fact[Any] = getattr(entry, fact_name)
    if fact.conflict and fact.value is None and topic != "info":
        lines = [_conflict(ctx, topic)]
    else:
        body = _RENDERERS[topic](ctx, fact)
        lines = [_not_confirmed(ctx, topic)] if body is None else body
    caveat = ctx.text(fact.caveat)
    if caveat:
        lines.append(ctx.t["caveat"].format(text=caveat))
    lines += provenance_lines(entry, fact, lang, real_today)
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
    return _with_phone(ctx, [ctx.t["not_confirmed"][topic].format(name=ctx.name), ctx.t["verify"]])


def _conflict(ctx: _Ctx, topic: str) -> str:
    """Sources disagree: say so, give no value, ask to verify (phone only if it is not the issue)."""
    parts = [
        ctx.t["not_confirmed"][topic].format(name=ctx.name),
        ctx.t["conflict"],
        ctx.t["verify"],
    ]
    return _with_phone(ctx, parts) if topic != "contact" else ctx.t["sentence_sep"].join(parts)


def _with_phone(ctx: _Ctx, parts: list[str]) -> str:
    phone = ctx.entry.phone.value
    if phone:
        parts = [*parts, ctx.t["phone_hint"].format(phone=phone)]
    return str(ctx.t["sentence_sep"].join(parts))


# ---------- topics ----------


def _ticket(ctx: _Ctx, fact: Fact[Ticket]) -> list[str] | None:
    """Prices that hold on the day asked: all-year ones and the seasonal ones whose dates cover it."""
    ticket = fact.value
    if ticket is None:
        return None
    t = ctx.t
    if ticket.free and not ticket.prices:
        lines = [t["free"].format(name=ctx.name)]
    else:
        ranges = season_ranges(ctx.entry)
        seasonal = [p for p in ticket.prices if p.season != "all_year"]
        shown = [
            p
            for p in ticket.prices
            if p.season == "all_year" or _covers_price(p, ranges, ctx.today)
        ]
        if fact.live is not None:
            header = t["live_header"].format(name=ctx.name, date=ctx.date(ctx.today))
        elif seasonal:
            header = t["ticket_on"].format(name=ctx.name, date=ctx.date(ctx.today))
        else:
            header = t["ticket_header"].format(name=ctx.name)
        lines = [header] if shown else []
        for price in shown:
            label = _price_label(ctx, price)
            lines.append(t["price_line"].format(label=label, price=ctx.price(price.amount)))
            cond = ctx.text(price.conditions)
            if cond:
                lines.append(f"  {cond}")
        if seasonal and not any(p in shown for p in seasonal):
            missing = t["out_of_season_prices"].format(name=ctx.name, date=ctx.date(ctx.today))
            lines.append(t["sentence_sep"].join([missing, t["verify"]]))
    if ticket.includes:
        lines.append(t["includes"].format(text=ctx.text(ticket.includes)))
    if ticket.concessions:
        lines.append(t["concessions"].format(text=ctx.text(ticket.concessions)))
    return lines


def _covers_price(price: Price, ranges: dict[str, tuple[MonthDay, MonthDay]], day: dt.date) -> bool:
    found = price_range(price, ranges)
    return found is not None and in_range(day, *found)


def _price_label(ctx: _Ctx, price: Price) -> str:
    """The entry's own label in the reply language, else the category."""
    if price.label is not None and price.label.get(ctx.lang):
        return price.label.get(ctx.lang)
    if price.category == "other" and price.label is not None:
        return ctx.text(price.label)
    return str(ctx.t["categories"][price.category])


def _hours(ctx: _Ctx, fact: Fact[list[OpeningPeriod]]) -> list[str] | None:
    """The opening period(s) that hold on the day asked; never a season's hours out of season."""
    periods = fact.value
    if not periods:
        return None
    t = ctx.t
    seasonal = any(p.from_date and p.to_date for p in periods) or any(
        p.season != "all_year" for p in periods
    )
    shown = periods_on(periods, ctx.today)
    if not shown:
        missing = t["out_of_season_hours"].format(name=ctx.name, date=ctx.date(ctx.today))
        return [_with_phone(ctx, [missing, t["verify"]])]
    if seasonal:
        lines = [t["hours_on"].format(name=ctx.name, date=ctx.date(ctx.today))]
    else:
        lines = [t["hours_header"].format(name=ctx.name)]
    for period in shown:
        dates = ""
        if period.from_date and period.to_date:
            start, end = month_day(period.from_date), month_day(period.to_date)
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
        lines.append(ctx.t["address_zh"].format(text=driver_address(chinese)))
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
