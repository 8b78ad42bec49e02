"""Platform settings: environment / ``.env`` → one :class:`Settings`, read once.

Every variable carries the ``PLATFORM_`` prefix, e.g. ``PLATFORM_DATABASE_URL`` or
``PLATFORM_STAFF_API_TOKEN``. Secrets are :class:`~pydantic.SecretStr`, so they never show up
in ``repr()`` or logs. The two API tokens have no default: a process without them, or with a
placeholder or short one, refuses to start in every environment (``make run`` generates local
ones into ``var/secrets.env``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from limits import parse as parse_rate_limit
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from common.secret_rules import require_secret

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH: Path = REPO_ROOT / "var" / "platform.db"
SECRET_FIELDS: dict[str, str] = {
    "staff_api_token": "PLATFORM_STAFF_API_TOKEN",
    "bot_api_token": "PLATFORM_BOT_API_TOKEN",
}

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
        hide_input_in_errors=True,  # errors must never echo a secret
    )

    environment: Environment = "local"
    host: str = "127.0.0.1"
    """Interface ``python server.py`` binds to (``0.0.0.0`` inside a container)."""
    port: int = Field(default=8000, ge=1, le=65535)
    database_url: str = Field(default_factory=_default_database_url)
    cors_origins: Annotated[list[str], NoDecode] = []
    """Allowed browser origins; comma-separated in the environment."""
    staff_api_token: SecretStr
    """Bearer token of the staff console (required, at least 16 characters)."""
    bot_api_token: SecretStr
    """Bearer token the action server sends when it files escalations (required, as above)."""
    public_rate_limit: str = "60/minute"
    """Budget of each client address on the public routes (``limits`` notation)."""
    rate_limit_storage_uri: str = "memory://"
    """Where the counters live; ``redis://host:6379`` to share them between instances."""
    rate_limit_enabled: bool = True
    kb_index_dir: Path | None = None
    """Directory of the built knowledge-base index, if not the knowledge base's default."""
    public_base_url: str = "http://127.0.0.1:8000"
    """How tourists' browsers reach this API (pay pages, widget, console links)."""
    partner_keys: Annotated[dict[str, SecretStr], NoDecode] = {}
    """``PLATFORM_PARTNER_KEYS``: comma-separated ``venue_id:key``; a partner may write only its venues."""
    payment_sandbox_secret: SecretStr | None = None
    """``PLATFORM_PAYMENT_SANDBOX_SECRET``: HMAC key of the sandbox provider's notifications."""
    staff_admin_user: str | None = None
    """``PLATFORM_STAFF_ADMIN_USER``: first supervisor, created at start-up when set."""
    staff_admin_password: SecretStr | None = None
    """``PLATFORM_STAFF_ADMIN_PASSWORD``: its password (placeholders refused)."""

    @field_validator("partner_keys", mode="before")
    @classmethod
    def _parse_partner_keys(cls, value: object) -> object:
        """``"venue-a:key1,venue-b:key2"`` → ``{"venue-a": "key1", ...}`` (each key a real secret)."""
        if isinstance(value, str):
            pairs: dict[str, str] = {}
            for item in value.split(","):
                if not item.strip():
                    continue
                venue_id, separator, key = item.strip().partition(":")
                if not separator or not venue_id.strip():
                    raise ValueError(
                        "PLATFORM_PARTNER_KEYS: expected venue_id:key pairs separated by commas"
                    )
                require_secret(f"PLATFORM_PARTNER_KEYS[{venue_id.strip()}]", key.strip())
                pairs[venue_id.strip()] = key.strip()
            return pairs
        return value

    @field_validator("payment_sandbox_secret")
    @classmethod
    def _strong_payment_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            require_secret("PLATFORM_PAYMENT_SANDBOX_SECRET", value.get_secret_value())
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("public_rate_limit")
    @classmethod
    def _valid_rate_limit(cls, value: str) -> str:
        parse_rate_limit(value)  # ValueError names the problem
        return value

    @model_validator(mode="before")
    @classmethod
    def _require_secrets(cls, data: object) -> object:
        """Name the variable of a missing secret (pydantic alone would say "Field required")."""
        if isinstance(data, dict):
            for name, env in SECRET_FIELDS.items():
                value = data.get(name)
                if value is None or value == "":
                    require_secret(env, None)
        return data

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        """No placeholder or short secret, in any environment."""
        for name, env in SECRET_FIELDS.items():
            require_secret(env, getattr(self, name).get_secret_value())
        return self


def settings_error_message(error: ValidationError) -> str:
    """One readable line per configuration problem (no input values, so no secrets)."""
    lines = []
    for item in error.errors(include_input=False, include_url=False):
        location = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{location}: {message}" if location else message)
    return "invalid platform configuration:\n  " + "\n  ".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (FastAPI dependency as well)."""
    return Settings()  # type: ignore[call-arg]  # secrets come from the environment
