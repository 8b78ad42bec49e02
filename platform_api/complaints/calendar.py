"""Working days, complaint deadlines and office hours in China Standard Time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from platform_api.complaints.settings import WEEKDAYS, CaseSettings

CST = ZoneInfo("Asia/Shanghai")


def local_date(moment: dt.datetime) -> dt.date:
    """The China Standard Time calendar date of ``moment``."""
    return moment.astimezone(CST).date()


def is_working_day(day: dt.date, settings: CaseSettings) -> bool:
    """Monday to Friday and not a configured holiday."""
    return day.weekday() < 5 and day not in settings.case_holidays


def add_working_days(start: dt.datetime, days: int, settings: CaseSettings) -> dt.datetime:
    """``start`` moved forward by ``days`` working days, same local clock time.

    A case filed on a weekend or holiday starts counting on the next working day; 0 days means
    the end of the first working day.
    """
    local = start.astimezone(CST)
    day = local.date()
    if days == 0:
        while not is_working_day(day, settings):
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(23, 59), CST).astimezone(dt.UTC)
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, settings):
            remaining -= 1
    return dt.datetime.combine(day, local.timetz()).astimezone(dt.UTC)


def response_due(created: dt.datetime, category: str, settings: CaseSettings) -> dt.datetime:
    """When the first answer to a ``category`` complaint is promised."""
    return add_working_days(created, settings.response_days(category), settings)


def resolution_due(created: dt.datetime, settings: CaseSettings) -> dt.datetime:
    """When the complaint should be resolved."""
    return add_working_days(created, settings.complaint_resolution_days, settings)


def _office_window(settings: CaseSettings) -> tuple[dt.time, dt.time]:
    start, end = settings.office_hours.split("-")
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def in_office_hours(moment: dt.datetime, settings: CaseSettings) -> bool:
    """True when staff answer live at ``moment`` (office days and hours, holidays excluded)."""
    local = moment.astimezone(ZoneInfo(settings.office_timezone))
    if WEEKDAYS[local.weekday()] not in settings.office_weekdays:
        return False
    if local.date() in settings.case_holidays:
        return False
    start, end = _office_window(settings)
    return start <= local.time().replace(tzinfo=None) < end


def office_hours_label(settings: CaseSettings) -> str:
    """``"mon-fri 09:00-18:00 Asia/Shanghai"`` style description for callers."""
    days = settings.office_weekdays
    if not days:
        return "no live chat hours"
    span = f"{days[0]}-{days[-1]}" if len(days) > 1 else days[0]
    return f"{span} {settings.office_hours} {settings.office_timezone}"
