"""``python -m scripts.create_staff``: the command that adds staff."""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_api.core.db import make_engine, make_session_factory
from platform_api.staff import accounts
from scripts import create_staff


def test_adds_a_supervisor_with_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("PLATFORM_DATABASE_URL", url)
    monkeypatch.setenv("NEW_STAFF_PASSWORD", "cli-created-pass-77")

    status = create_staff.main(
        ["Lead.Chen", "--role", "supervisor", "--password-env", "NEW_STAFF_PASSWORD"]
    )

    engine = make_engine(url)
    with make_session_factory(engine)() as db:
        user = accounts.get_user(db, "lead.chen")
        assert user is not None and user.role == "supervisor"
        assert accounts.verify_password(user, "cli-created-pass-77")
    engine.dispose()
    assert status == 0


@pytest.mark.security
def test_refuses_a_placeholder_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEW_STAFF_PASSWORD", "changeme")

    assert create_staff.main(["agent.x", "--password-env", "NEW_STAFF_PASSWORD"]) == 2


@pytest.mark.security
@pytest.mark.parametrize(
    ("password", "expected"), [("changeme", 1), ("", 1), ("a-good-admin-pass-1", 0)]
)
def test_admin_environment_check(
    monkeypatch: pytest.MonkeyPatch, password: str, expected: int
) -> None:
    monkeypatch.setenv("PLATFORM_STAFF_ADMIN_USER", "chief")
    monkeypatch.setenv("PLATFORM_STAFF_ADMIN_PASSWORD", password)

    assert create_staff.main(["--check-admin-env"]) == expected
