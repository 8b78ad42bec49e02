"""Venue-local time: dates and slot times are China Standard Time (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
CHECK_IN_TIME = "14:00"


def local_today(now: dt.datetime) -> dt.date:
    """The venue-local calendar date at ``now``."""
    return now.astimezone(LOCAL_TZ).date()


def local_moment(day: dt.date, clock: str) -> dt.datetime:
    """``day`` at ``HH:MM`` local time, as an aware UTC datetime."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), LOCAL_TZ).astimezone(dt.UTC)
