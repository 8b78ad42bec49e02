"""Texts the complaint actions assemble from the domain's responses, and dates in the tourist's
language.

The bot's texts live in ``bot/i18n/complaints/<lang>.yml`` (built into the domain's responses).
Actions that compose a message from several of them (the category buttons, the summary) ask for the
domain (``send_domain: true``) and pick the variation of the tourist's language here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_day_names

from common.languages import FALLBACK_LANGUAGE, is_supported

CHINA_TIME = ZoneInfo("Asia/Shanghai")


def response_text(domain: dict[str, Any], key: str, language: str) -> str:
    """The text of response ``key`` for ``language`` (the unconditioned English one otherwise)."""
    variations = (domain.get("responses") or {}).get(key) or []
    default = ""
    for variation in variations:
        conditions = variation.get("condition") or []
        if not conditions:
            default = default or str(variation.get("text") or "")
            continue
        values = {c.get("name"): c.get("value") for c in conditions}
        if values.get("language") == language and values.get("language_locked") is None:
            return str(variation.get("text") or "")
    return default or key


def category_label(domain: dict[str, Any], category: str, language: str) -> str:
    """The category's name in ``language`` (``utter_complaint_category_<category>``)."""
    return response_text(domain, f"utter_complaint_category_{category}", language)


def china_time(moment: dt.datetime, language: str) -> str:
    """``moment`` as a date and time in China time, written the way ``language`` writes them."""
    locale = language if is_supported(language) else FALLBACK_LANGUAGE
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    local = aware.astimezone(CHINA_TIME)
    return f"{format_date(local.date(), format='long', locale=locale)} {format_time(local.time(), format='short', locale=locale)}"


def local_date(day: dt.date, language: str) -> str:
    """A date written the way ``language`` writes it."""
    locale = language if is_supported(language) else FALLBACK_LANGUAGE
    return format_date(day, format="long", locale=locale)


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_OFFICE_HOURS = re.compile(
    r"^(?P<first>mon|tue|wed|thu|fri|sat|sun)(?:-(?P<last>mon|tue|wed|thu|fri|sat|sun))?"
    r"\s+(?P<hours>\d{2}:\d{2}-\d{2}:\d{2})"
)


def office_hours(label: str, language: str) -> str:
    """The platform's ``"mon-fri 09:00-18:00 Asia/Shanghai"`` with the days in ``language``
    ("周一–周五 09:00–18:00", "Mo.–Fr. 09:00–18:00"); the time zone is said by the sentence."""
    match = _OFFICE_HOURS.match(label.strip().lower())
    if not match:
        return label
    locale = language if is_supported(language) else FALLBACK_LANGUAGE
    names = get_day_names("abbreviated", locale=locale)
    first = names[_WEEKDAYS.index(match.group("first"))]
    last = match.group("last")
    days = f"{first}–{names[_WEEKDAYS.index(last)]}" if last else first
    return f"{days} {match.group('hours').replace('-', '–')}"
