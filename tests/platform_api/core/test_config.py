"""``platform_api.core.config``: env prefix, required secrets, no secret in repr or errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from platform_api.core.config import (
    DEFAULT_DB_PATH,
    Settings,
    get_settings,
    settings_error_message,
)

STAFF = "staff-token-for-config-tests"
BOT = "bot-token-for-config-tests-2"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer ``.env`` or ``PLATFORM_*`` variable leaks into these tests; valid secrets set."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "PLATFORM_ENVIRONMENT",
        "PLATFORM_DATABASE_URL",
        "PLATFORM_CORS_ORIGINS",
        "PLATFORM_KB_INDEX_DIR",
        "PLATFORM_PUBLIC_RATE_LIMIT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", STAFF)
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", BOT)


@pytest.mark.security
@pytest.mark.parametrize("environment", ["local", "ci", "production"])
@pytest.mark.parametrize("variable", ["PLATFORM_STAFF_API_TOKEN", "PLATFORM_BOT_API_TOKEN"])
@pytest.mark.parametrize("token", ["changeme", "CHANGEME", "secret", "short-token", "", "   "])
def test_config_refuses_placeholder_short_or_empty_secret_in_every_environment(
    monkeypatch: pytest.MonkeyPatch, environment: str, variable: str, token: str
) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", environment)
    monkeypatch.setenv(variable, token)

    with pytest.raises(ValidationError, match=variable):
        Settings()


@pytest.mark.security
@pytest.mark.parametrize("variable", ["PLATFORM_STAFF_API_TOKEN", "PLATFORM_BOT_API_TOKEN"])
def test_config_missing_secret_fails_with_a_message_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.delenv(variable)

    with pytest.raises(ValidationError) as raised:
        Settings()

    message = settings_error_message(raised.value)
    assert f"{variable} is not set" in message
    assert "Field required" not in message


@pytest.mark.security
def test_config_error_message_never_echoes_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", "tooshort-42")

    with pytest.raises(ValidationError) as raised:
        Settings()

    assert "tooshort-42" not in settings_error_message(raised.value)
    assert "tooshort-42" not in str(raised.value)
    assert BOT not in str(raised.value)


def test_config_accepts_real_secrets_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "production")

    settings = Settings()

    assert settings.environment == "production"
    assert settings.staff_api_token.get_secret_value() == STAFF
    assert settings.bot_api_token.get_secret_value() == BOT


@pytest.mark.security
def test_config_secret_not_in_repr_or_dump() -> None:
    settings = Settings()

    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert STAFF not in text and BOT not in text


def test_config_rejects_unknown_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "staging")

    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.security
def test_config_rejects_a_malformed_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_PUBLIC_RATE_LIMIT", "lots")

    with pytest.raises(ValidationError, match="public_rate_limit"):
        Settings()


def test_config_reads_env_prefix_and_comma_separated_origins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLATFORM_DATABASE_URL", "postgresql+psycopg://u@db:5432/zhiyou")
    monkeypatch.setenv("PLATFORM_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("PLATFORM_KB_INDEX_DIR", str(tmp_path))
    monkeypatch.setenv("PLATFORM_PUBLIC_RATE_LIMIT", "5/second")

    settings = Settings()

    assert settings.database_url == "postgresql+psycopg://u@db:5432/zhiyou"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.kb_index_dir == tmp_path
    assert settings.public_rate_limit == "5/second"


def test_config_reads_dotenv_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLATFORM_STAFF_API_TOKEN")
    (tmp_path / ".env").write_text(
        "PLATFORM_ENVIRONMENT=ci\nPLATFORM_STAFF_API_TOKEN=from-file-0123456789\n"
    )

    settings = Settings()

    assert settings.environment == "ci"
    assert settings.staff_api_token.get_secret_value() == "from-file-0123456789"


def test_config_defaults_bind_to_loopback_without_cors() -> None:
    settings = Settings()

    assert settings.host == "127.0.0.1"
    assert settings.cors_origins == []


def test_config_default_database_is_sqlite_under_var() -> None:
    settings = Settings()

    assert settings.database_url == f"sqlite:///{DEFAULT_DB_PATH}"
    assert DEFAULT_DB_PATH.parent.is_dir()
    assert DEFAULT_DB_PATH.parent.name == "var"


def test_config_get_settings_is_read_once() -> None:
    get_settings.cache_clear()
    try:
        assert get_settings() is get_settings()
    finally:
        get_settings.cache_clear()
