#!/usr/bin/env python
"""Add a staff account to the console: ``python -m scripts.create_staff USERNAME [--role ROLE]``.

The password is never taken from the command line (the process list shows it): it is read from
the environment variable named by ``--password-env`` or asked twice on the terminal. Placeholder,
short passwords and passwords containing the username are refused. The database is the platform's
(``PLATFORM_DATABASE_URL``, default ``var/platform.db``), migrated first if needed.

``--check-admin-env`` only checks ``PLATFORM_STAFF_ADMIN_PASSWORD`` (used by ``make run`` before
starting the platform, which creates that first supervisor itself).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from platform_api.core.config import _default_database_url
from platform_api.core.db import make_engine, make_session_factory, migrate
from platform_api.staff import accounts, audit


class DatabaseSettings(BaseSettings):
    """Only the database of the platform's settings (no API secrets needed here)."""

    model_config = SettingsConfigDict(env_prefix="PLATFORM_", env_file=".env", extra="ignore")

    database_url: str = Field(default_factory=_default_database_url)


def check_admin_env() -> int:
    """0 when the first supervisor's password (if a user is set) is usable, else 1 with a message."""
    user = os.environ.get("PLATFORM_STAFF_ADMIN_USER", "").strip()
    if not user:
        return 0
    problem = accounts.password_problem(
        os.environ.get("PLATFORM_STAFF_ADMIN_PASSWORD"), user.lower()
    )
    if problem:
        print(
            f"==> [run] refusing to start: PLATFORM_STAFF_ADMIN_PASSWORD {problem} "
            f"(at least {accounts.MIN_PASSWORD_LENGTH} characters, not a placeholder)",
            file=sys.stderr,
        )
        return 1
    return 0


def _password(args: argparse.Namespace) -> str:
    if args.password_env:
        value = os.environ.get(args.password_env)
        if value is None:
            raise SystemExit(f"{args.password_env} is not set")
        return value
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("the two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    """Create the account; exit status 0 on success, 2 when refused."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("username", nargs="?")
    parser.add_argument("--role", choices=accounts.ROLES, default="agent")
    parser.add_argument("--display-name", default="")
    parser.add_argument(
        "--password-env", metavar="VAR", help="read the password from this variable"
    )
    parser.add_argument("--check-admin-env", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check_admin_env:
        return check_admin_env()
    if not args.username:
        parser.error("USERNAME is required")
    engine = make_engine(DatabaseSettings().database_url)
    migrate(engine)
    with make_session_factory(engine)() as db:
        try:
            user = accounts.create_user(
                db,
                username=args.username,
                password=_password(args),
                role=args.role,
                display_name=args.display_name,
            )
        except ValueError as error:
            print(f"refused: {error}", file=sys.stderr)
            return 2
        audit.record(db, actor="cli", action="staff.create", target=user.username, detail=user.role)
        db.commit()
    engine.dispose()
    print(f"created {user.role} {user.username}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
