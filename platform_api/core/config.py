"""Platform settings: environment / ``.env`` → one :class:`Settings`, read once.

Every variable carries the ``PLATFORM_`` prefix, e.g. ``PLATFORM_DATABASE_URL`` or
``PLATFORM_STAFF_API_TOKEN``. Secrets are :class:`~pydantic.SecretStr`, so they never show up
in ``repr()`` or logs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH: Path = REPO_ROOT / "var" / "platform.db"
PLACEHOLDER_SECRET = "changeme"

Environment = Literal["local", "ci", "production"]


def _default_database_url() -> str:
    """SQLite file under ``var/`` at the repository root (the folder is created on demand)."""
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"


class Settings(BaseSettings):
    """Configuration of the platform API process."""

    model_config = SettingsConfigDict(
        env_prefix="PLATFORM_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Environment = "local"
    host: str = "127.0.0.1"
    """Interface ``python server.py`` binds to (``0.0.0.0`` inside a container)."""
    port: int = Field(default=8000, ge=1, le=65535)
    database_url: str = Field(default_factory=_default_database_url)
    cors_origins: Annotated[list[str], NoDecode] = []
    """Allowed browser origins; comma-separated in the environment."""
    staff_api_token: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    """Bearer token of the staff console. Must be changed in production."""
    bot_api_token: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    """Bearer token the action server sends when it files escalations. Must be changed in production."""
    kb_index_dir: Path | None = None
    """Directory of the built knowledge-base index, if not the knowledge base's default."""

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _enforce_non_default_secrets(self) -> Settings:
        if self.environment == "production":
            for name, secret in (("STAFF", self.staff_api_token), ("BOT", self.bot_api_token)):
                token = secret.get_secret_value()
                if not token or token == PLACEHOLDER_SECRET:
                    raise ValueError(
                        f"PLATFORM_{name}_API_TOKEN is unset or the placeholder "
                        f"{PLACEHOLDER_SECRET!r}; set a real secret for production"
                    )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (FastAPI dependency as well)."""
    return Settings()
