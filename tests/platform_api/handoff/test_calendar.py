"""Office hours and working-day deadlines in China Standard Time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from platform_api.complaints.calendar import add_working_days, in_office_hours, response_due
from platform_api.complaints.settings import CaseSettings

CST = ZoneInfo("Asia/Shanghai")


def settings(**overrides: object) -> CaseSettings:
    return CaseSettings(_env_file=None, **overrides)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (dt.datetime(2026, 12, 7, 10, 0, tzinfo=CST), True),  # Monday
        (dt.datetime(2026, 12, 7, 8, 59, tzinfo=CST), False),
        (dt.datetime(2026, 12, 7, 18, 0, tzinfo=CST), False),
        (dt.datetime(2026, 12, 12, 10, 0, tzinfo=CST), False),  # Saturday
    ],
)
def test_office_hours_default(local: dt.datetime, expected: bool) -> None:
    assert in_office_hours(local.astimezone(dt.UTC), settings()) is expected


def test_holidays_are_closed() -> None:
    monday = dt.datetime(2026, 12, 7, 10, 0, tzinfo=CST)

    assert in_office_hours(monday, settings(case_holidays="2026-12-07")) is False


def test_five_working_days_skip_the_weekend() -> None:
    friday = dt.datetime(2026, 12, 11, 15, 0, tzinfo=CST)

    due = add_working_days(friday, 5, settings()).astimezone(CST)

    assert due == dt.datetime(2026, 12, 18, 15, 0, tzinfo=CST)


def test_response_days_per_category_are_configurable(tmp_path: Path) -> None:
    monday = dt.datetime(2026, 12, 7, 10, 0, tzinfo=CST)
    custom = settings(complaint_response_days="safety:0,overcharging:2")

    assert response_due(monday, "overcharging", custom).astimezone(CST).date() == dt.date(
        2026, 12, 9
    )
    assert response_due(monday, "safety", custom).astimezone(CST).date() == dt.date(2026, 12, 7)
    assert response_due(monday, "other", custom).astimezone(CST).date() == dt.date(2026, 12, 14)


def test_unknown_category_in_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown complaint categories"):
        settings(complaint_response_days="rudeness:1")
