"""Widget settings (``PLATFORM_WIDGET_*``), read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

STATIC_DIR: Path = Path(__file__).resolve().parent / "static"
"""Where ``make widget`` writes the bundle (gitignored build output)."""


class WidgetSettings(BaseSettings):
    """Where tourists' browsers reach Rasa's socket.io channel, for the demo page's script tag."""

    model_config = SettingsConfigDict(env_prefix="PLATFORM_WIDGET_", extra="ignore")

    rasa_url: str = "http://127.0.0.1:5005"
    """``PLATFORM_WIDGET_RASA_URL``: Rasa's base URL as a browser reaches it."""

    @field_validator("rasa_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("PLATFORM_WIDGET_RASA_URL must be an http(s) URL")
        return value.rstrip("/")


@lru_cache(maxsize=1)
def get_widget_settings() -> WidgetSettings:
    """The process-wide widget settings (FastAPI dependency; override in tests)."""
    return WidgetSettings()
