"""Settings of complaint cases, human handoff and the staff console (env prefix ``PLATFORM_``).

Read once per process (:func:`get_case_settings`); the app keeps its copy in
``app.state.case_settings`` so tests can swap it.

Deadline defaults and their sources (see ``/work/shared/reference/complaints-bookings-payments.md``):

* **Response** (``due_at``): 《旅游投诉处理办法》 (国家旅游局令第32号, in force 2010-07-01) — the
  tourism complaint office decides within **5 working days** of receipt whether it accepts a
  complaint, rejects it with reasons, or transfers it, and informs the complainant
  (https://m.75law.com/question/166581.html). ``safety`` cases get **1 working day**: an internal
  service target of this platform, not a legal deadline.
* **Resolution** (``resolve_due_at``): 《四川省12345政务服务便民热线运行管理办法》 (2025-12-25) — complaints
  are completed (办结) within **15 working days** (https://reportify.cn/news/1213283917809979392,
  四川日报 2026-01-26); complex cases may be extended.

Working days are Monday to Friday in China Standard Time minus ``PLATFORM_CASE_HOLIDAYS``
(China's statutory holidays and make-up working days change every year: configure them).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from platform_api.core.config import REPO_ROOT

CATEGORIES: tuple[str, ...] = (
    "overcharging",
    "forced_shopping",
    "service_quality",
    "safety",
    "false_advertising",
    "refund_dispute",
    "other",
)
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_mapping(value: object) -> object:
    """``"safety:1,overcharging:3"`` → ``{"safety": 1, "overcharging": 3}``."""
    if isinstance(value, str):
        pairs: dict[str, int] = {}
        for item in value.split(","):
            if not item.strip():
                continue
            key, sep, number = item.strip().partition(":")
            if not sep or not number.strip().isdigit():
                raise ValueError("expected category:days pairs separated by commas")
            pairs[key.strip()] = int(number)
        return pairs
    return value


def _split(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class CaseSettings(BaseSettings):
    """Complaint deadlines, office hours, evidence storage and staff sessions."""

    model_config = SettingsConfigDict(
        env_prefix="PLATFORM_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    complaint_response_days: Annotated[dict[str, int], NoDecode] = {"safety": 1}
    """``PLATFORM_COMPLAINT_RESPONSE_DAYS``: working days to the first response, per category."""
    complaint_response_days_default: int = Field(default=5, ge=0, le=60)
    """``PLATFORM_COMPLAINT_RESPONSE_DAYS_DEFAULT``: the other categories (national rule: 5)."""
    complaint_resolution_days: int = Field(default=15, ge=1, le=120)
    """``PLATFORM_COMPLAINT_RESOLUTION_DAYS``: working days to resolution (Sichuan 12345: 15)."""
    case_holidays: Annotated[list[dt.date], NoDecode] = []
    """``PLATFORM_CASE_HOLIDAYS``: comma-separated ISO dates that are not working days."""
    office_timezone: str = "Asia/Shanghai"
    office_weekdays: Annotated[list[str], NoDecode] = ["mon", "tue", "wed", "thu", "fri"]
    """``PLATFORM_OFFICE_WEEKDAYS``: days staff answer chats live (``mon,tue,...``)."""
    office_hours: str = Field(default="09:00-18:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    """``PLATFORM_OFFICE_HOURS``: ``HH:MM-HH:MM`` local time of live handoff."""
    evidence_dir: Path = REPO_ROOT / "var" / "evidence"
    """``PLATFORM_EVIDENCE_DIR``: where uploaded evidence images are stored."""
    evidence_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    staff_session_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    """``PLATFORM_STAFF_SESSION_MINUTES``: lifetime of a staff login."""
    staff_cookie_secure: bool = False
    """``PLATFORM_STAFF_COOKIE_SECURE``: send the console cookie over HTTPS only (production)."""

    @field_validator("complaint_response_days", mode="before")
    @classmethod
    def _mapping(cls, value: object) -> object:
        return _parse_mapping(value)

    @field_validator("complaint_response_days")
    @classmethod
    def _known_categories(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown complaint categories: {', '.join(unknown)}")
        return value

    @field_validator("case_holidays", "office_weekdays", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split(value)

    @field_validator("office_weekdays")
    @classmethod
    def _weekday_names(cls, value: list[str]) -> list[str]:
        value = [day.lower()[:3] for day in value]
        if not set(value) <= set(WEEKDAYS):
            raise ValueError("office weekdays must be mon,tue,wed,thu,fri,sat,sun")
        return value

    def response_days(self, category: str) -> int:
        """Working days to the first response for ``category``."""
        return self.complaint_response_days.get(category, self.complaint_response_days_default)


@lru_cache(maxsize=1)
def get_case_settings() -> CaseSettings:
    """The process-wide case settings, read once."""
    return CaseSettings()
