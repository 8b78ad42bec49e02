"""Where a fact comes from and as of when, in the tourist's language.

Every answer ends with :func:`provenance_lines`: "As of July 2025, per the Sichuan Museum's site: URL"
(the source's own date), or "Per example.com (the page gives no date; checked on ...)" when the page
is undated, plus a warning when the fact is more than two years old. A value a partner system
pushed (``fact.live``) names that system and its update time instead. Phrases are in
``knowledge_base/templates/<lang>.yml``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from common.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES
from knowledge_base.schema import Entry, Fact, LocalizedText
from knowledge_base.sourcing import is_stale, site_of

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CHINA = dt.timezone(dt.timedelta(hours=8))


@cache
def phrases(lang: str) -> dict[str, Any]:
    """The answer templates of ``lang`` (English for unknown languages)."""
    if lang not in SUPPORTED_LANGUAGES:
        lang = FALLBACK_LANGUAGE
    with (TEMPLATES_DIR / f"{lang}.yml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def format_date(day: dt.date, precision: Literal["year", "month", "day"], lang: str) -> str:
    """``day`` as a reader says it, to the given precision ("July 2025", "2025年7月", ...)."""
    t = phrases(lang)
    months = t.get("months_full") or []
    day_months = t.get("months_full_day") or months
    names = day_months if precision == "day" else months
    month_full = names[day.month - 1] if names else str(day.month)
    return str(t[f"as_of_{precision}"]).format(
        year=day.year, month=day.month, day=day.day, month_full=month_full
    )


def _text(value: LocalizedText | None, lang: str) -> str:
    if value is None:
        return ""
    return value.get(lang) or value.get(FALLBACK_LANGUAGE) or value.get("zh")


def publisher_name(entry: Entry, fact: Fact[Any], url: str, lang: str) -> str:
    """Who publishes the source: the fact's ``publisher``, the venue's official site, or the domain."""
    named = _text(fact.publisher, lang)
    if named:
        return named
    if fact.source_kind == "official":
        return str(phrases(lang)["publisher_official"]).format(name=entry.names.get(lang))
    return site_of(url)


def live_line(entry: Entry, fact: Fact[Any], lang: str) -> str:
    """Names the partner system a live value came from and when it was updated (China time)."""
    assert fact.live is not None
    observed = fact.live.observed_at
    if observed.tzinfo is None:
        observed = observed.replace(tzinfo=dt.UTC)
    local = observed.astimezone(CHINA)
    return str(phrases(lang)["live_source"]).format(
        name=entry.names.get(lang), time=local.strftime("%H:%M"), day=local.date().isoformat()
    )


def provenance_lines(
    entry: Entry, fact: Fact[Any], lang: str, today: dt.date | None = None
) -> list[str]:
    """The source line of an answer about ``fact`` and, when it is over two years old, a warning.

    A fact without a source of its own (not confirmed) falls back to the entry's first source.
    """
    t = phrases(lang)
    today = today or dt.date.today()
    if fact.live is not None:
        return [live_line(entry, fact, lang)]
    url: object = fact.source
    as_of = fact.as_of()
    if url is None and entry.sources:
        url = entry.sources[0]
        as_of = (entry.last_verified, "day", False) if entry.last_verified else None
    if url is None:
        when = as_of[0].isoformat() if as_of else t["date_unknown"]
        return [str(t["source_unknown"]).format(date=when)]
    publisher = publisher_name(entry, fact if fact.source else Fact(), str(url), lang)
    if as_of is None:
        line = str(t["source_checked"]).format(
            publisher=publisher, date=t["date_unknown"], url=str(url)
        )
        return [line]
    day, precision, published = as_of
    date_text = format_date(day, precision, lang)
    key = "source_published" if published else "source_checked"
    lines = [str(t[key]).format(publisher=publisher, date=date_text, url=str(url))]
    if fact.value is not None and is_stale(day, today):
        lines.append(str(t["stale"]).format(date=date_text))
    return lines
