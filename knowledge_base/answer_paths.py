"""Answers to the practical questions a tourist asks about a place, in the eight languages.

How to get there (a route, then the address with its Chinese form for a taxi driver),
accessibility, best season, altitude, food nearby, how long to stay, and practical topics (payment,
concessions, refunds, hotlines, festivals...) answered from their own entries. Labels live in
``knowledge_base/templates/answer_paths/<lang>.yml``. A fact without a value is never guessed: the
answer says it is not confirmed and to verify with the venue (with the phone when known). Every
answer ends with its source and the date it was last verified.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES
from knowledge_base.provenance import provenance_lines
from knowledge_base.schema import Entry, Fact

PathTopic = Literal[
    "directions", "accessibility", "best_season", "altitude", "food", "duration", "practical"
]
PATH_TOPICS: frozenset[str] = frozenset(get_args(PathTopic))
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "answer_paths"
PRACTICAL_TYPES = frozenset({"topic", "event"})
"""Entry types that answer practical questions (payment, refunds, festivals...)."""
EVENT_PATH_TOPICS = frozenset({"directions", "altitude", "best_season", "food", "accessibility"})
"""What a festival is asked like a place ("how do I get to the lantern festival", "altitude of
Litang" after its horse festival): that fact of the event, or "not confirmed" about it; any other
question about an event gets its practical answer (what, when, where)."""
_FACT_OF_TOPIC = {
    "directions": "transport",
    "accessibility": "accessibility",
    "best_season": "best_season",
    "altitude": "elevation_m",
    "food": "food_nearby",
    "duration": "visit_duration",
    "practical": "details",
}
_SPACED = frozenset(SUPPORTED_LANGUAGES) - {"zh", "ja"}


@cache
def labels(lang: str) -> dict[str, Any]:
    """Label texts of ``lang`` (English for unknown languages)."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    with (TEMPLATES_DIR / f"{lang}.yml").open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = yaml.safe_load(fh)
    return loaded


def localized(text: Any, lang: str) -> str:
    """``text`` in ``lang``; English, then Chinese, only while a translation is missing."""
    if text is None:
        return ""
    for code in (lang, "en", "zh"):
        value = getattr(text, code, None)
        if value and str(value).strip():
            return str(value).strip()
    return ""


def join(parts: Iterable[str], lang: str) -> str:
    """Sentences joined with a space, or directly in Chinese and Japanese."""
    return ("" if lang not in _SPACED else " ").join(p for p in parts if p)


def render_path_answer(
    entry: Entry, topic: PathTopic, lang: str, *, today: dt.date | None = None
) -> str:
    """One answer about ``topic`` of ``entry`` in ``lang`` (unknown -> English), with its source.

    Topics and events get their practical answer whatever the topic asked.
    """
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    t = labels(lang)
    if entry.type == "topic" or (entry.type == "event" and topic not in EVENT_PATH_TOPICS):
        topic = "practical"
    fact: Fact[Any] = getattr(entry, _FACT_OF_TOPIC[topic])
    body = _RENDERERS[topic](entry, fact, lang, t)
    lines = body if body else [not_confirmed(entry, topic, lang)]
    if body and fact.caveat is not None:
        caveat = localized(fact.caveat, lang)
        if caveat:
            lines.append(t["caveat"].format(text=caveat))
    if topic == "directions":
        lines.extend(_address_lines(entry, lang, t))
    lines.append(source_line(entry, fact, lang, today))
    return "\n".join(line for line in lines if line)


def not_confirmed(entry: Entry, topic: str, lang: str) -> str:
    """Says "not confirmed, please verify with the venue", plus the venue's phone when known."""
    t = labels(lang)
    text = t["not_confirmed"].format(what=t["topics"][topic], name=entry.names.get(lang))
    if entry.phone.value:
        text = join([text, t["phone_hint"].format(phone=entry.phone.value)], lang)
    return text


def source_line(entry: Entry, fact: Fact[Any], lang: str, today: dt.date | None = None) -> str:
    """Where the fact comes from and as of when, with a warning when it is over two years old
    (:func:`knowledge_base.provenance.provenance_lines`)."""
    return "\n".join(provenance_lines(entry, fact, lang, today))


def render_no_information(hotline: Entry | None, lang: str) -> str:
    """What to say when no entry answers a practical question: the hotline entry, when known."""
    t = labels(lang)
    if hotline is None:
        return t["no_information"]
    return t["no_information"] + "\n" + render_path_answer(hotline, "practical", lang)


def render_festivals(events: list[tuple[Entry, dt.date]], lang: str) -> str:
    """Festivals expected soon (projected dates are a hint: the text asks to verify them)."""
    t = labels(lang)
    if not events:
        return t["no_festivals"]
    lines = [t["festivals_header"]]
    for entry, day in events:
        place = localized(entry.city, lang)
        name = entry.names.get(lang)
        lines.append(t["festival_line"].format(name=name, date=day.isoformat(), place=place))
    return "\n".join(lines)


# ---------- topics ----------


def _text_topic(key: str) -> Callable[[Entry, Fact[Any], str, dict[str, Any]], list[str] | None]:
    def render(entry: Entry, fact: Fact[Any], lang: str, t: dict[str, Any]) -> list[str] | None:
        text = localized(fact.value, lang)
        return [t[key].format(name=entry.names.get(lang), text=text)] if text else None

    return render


def _altitude(entry: Entry, fact: Fact[float], lang: str, t: dict[str, Any]) -> list[str] | None:
    if fact.value is None:
        return None
    meters = f"{round(fact.value):,}".replace(",", t["thousands_sep"])
    lines = [t["altitude"].format(name=entry.names.get(lang), meters=meters)]
    if "altitude" in entry.tags:
        lines.append(t["altitude_hint"])
    return lines


def _practical(entry: Entry, fact: Fact[Any], lang: str, t: dict[str, Any]) -> list[str] | None:
    name = entry.names.get(lang)
    lines = [t["topic"].format(name=name, text=localized(entry.description, lang))]
    details = localized(fact.value, lang)
    if details:
        lines.append(details)
    if entry.type == "event":
        dates = entry.event_dates.value or []
        if dates:
            listed = t["list_sep"].join(day.isoformat() for day in dates)
            lines.append(t["event_dates"].format(dates=listed))
        else:
            lines.append(t["event_dates_unknown"])
        place = localized(entry.address.value, lang) or localized(entry.city, lang)
        if place:
            lines.append(t["event_place"].format(place=place))
    return lines


def render_event_dates(entry: Entry, lang: str, today: dt.date | None = None) -> str:
    """When a festival takes place: its usual timing, the dates its source gives (to verify for
    this year), where, and the source. Answers "when is X?" instead of a description."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    t = labels(lang)
    lines = [t["event_when"].format(name=entry.names.get(lang))]
    details = localized(entry.details.value, lang)
    lines.append(details or localized(entry.description, lang))
    dates = entry.event_dates.value or []
    if dates:
        lines.append(
            t["event_dates"].format(dates=t["list_sep"].join(d.isoformat() for d in dates))
        )
    else:
        lines.append(t["event_dates_unknown"])
    place = localized(entry.address.value, lang) or localized(entry.city, lang)
    if place:
        lines.append(t["event_place"].format(place=place))
    fact: Fact[Any] = entry.event_dates if dates else entry.details
    lines.append(source_line(entry, fact, lang, today))
    return "\n".join(line for line in lines if line)


def _address_lines(entry: Entry, lang: str, t: dict[str, Any]) -> list[str]:
    address = entry.address.value
    if address is None:
        return [t["address_unknown"]]
    lines = []
    text = localized(address, lang)
    if text and lang != "zh":
        lines.append(t["address"].format(text=text))
    if address.zh:
        text = address.zh.strip() if lang == "zh" else driver_address(address.zh)
        lines.append(t["address_zh"].format(text=text))
    return lines


_BRACKETED = re.compile(r"\s*[（(][^（()）]*[，,、；;。][^（()）]*[）)]")


def driver_address(chinese: str) -> str:
    """The Chinese address a taxi driver needs, without a bracketed description in Chinese
    sentences ("（北起支矶石街，南至金河街…）"): that description is already in the reply's own
    language, and a Chinese sentence would be the only foreign sentence of the reply."""
    return _BRACKETED.sub("", chinese).strip() or chinese.strip()


_RENDERERS: dict[str, Callable[[Entry, Fact[Any], str, dict[str, Any]], list[str] | None]] = {
    "directions": _text_topic("directions"),
    "accessibility": _text_topic("accessibility"),
    "best_season": _text_topic("best_season"),
    "altitude": _altitude,
    "food": _text_topic("food"),
    "duration": _text_topic("duration"),
    "practical": _practical,
}
