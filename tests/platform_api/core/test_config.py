"""``platform_api.core.config``: env prefix, placeholder-secret guard, no secret in repr."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from platform_api.core.config import DEFAULT_DB_PATH, Settings, get_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer ``.env`` or ``PLATFORM_*`` variable leaks into these tests."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "PLATFORM_ENVIRONMENT",
        "PLATFORM_DATABASE_URL",
        "PLATFORM_STAFF_API_TOKEN",
        "PLATFORM_CORS_ORIGINS",
        "PLATFORM_KB_INDEX_DIR",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("token", ["changeme", ""])
@pytest.mark.security
def test_config_production_refuses_placeholder_secret(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "production")
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", token)

    with pytest.raises(ValidationError, match="PLATFORM_STAFF_API_TOKEN"):
        Settings()


@pytest.mark.security
def test_config_production_refuses_missing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "production")

    with pytest.raises(ValidationError):
        Settings()


def test_config_production_accepts_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "production")
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", "a-real-random-secret")
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", "another-real-random-secret")

    settings = Settings()

    assert settings.environment == "production"
    assert settings.staff_api_token.get_secret_value() == "a-real-random-secret"


@pytest.mark.parametrize("environment", ["local", "ci"])
def test_config_placeholder_allowed_outside_production(
    monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", environment)

    assert Settings().staff_api_token.get_secret_value() == "changeme"


@pytest.mark.security
def test_config_secret_not_in_repr_or_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", "super-secret-value-42")

    settings = Settings()

    assert "super-secret-value-42" not in repr(settings)
    assert "super-secret-value-42" not in str(settings)
    assert "super-secret-value-42" not in settings.model_dump_json()


def test_config_rejects_unknown_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "staging")

    with pytest.raises(ValidationError):
        Settings()


def test_config_reads_env_prefix_and_comma_separated_origins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLATFORM_DATABASE_URL", "postgresql+psycopg://u@db:5432/zhiyou")
    monkeypatch.setenv("PLATFORM_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("PLATFORM_KB_INDEX_DIR", str(tmp_path))

    settings = Settings()

    assert settings.database_url == "postgresql+psycopg://u@db:5432/zhiyou"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.kb_index_dir == tmp_path


def test_config_reads_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PLATFORM_ENVIRONMENT=ci\nPLATFORM_STAFF_API_TOKEN=from-file\n")

    settings = Settings()

    assert settings.environment == "ci"
    assert settings.staff_api_token.get_secret_value() == "from-file"


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


@pytest.mark.security
def test_config_production_refuses_placeholder_bot_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "production")
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", "a-real-random-secret")

    with pytest.raises(ValueError, match="PLATFORM_BOT_API_TOKEN"):
        Settings()
