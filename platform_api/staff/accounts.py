"""Staff accounts: argon2id password hashes (argon2-cffi), password rules, creation."""

from __future__ import annotations

import datetime as dt
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.secret_rules import PLACEHOLDER_SECRETS
from platform_api.models import utcnow
from platform_api.staff.models import StaffUser

ROLES: tuple[str, ...] = ("agent", "supervisor")
MIN_PASSWORD_LENGTH = 12
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,63}$")
PLACEHOLDER_PASSWORDS: frozenset[str] = PLACEHOLDER_SECRETS | {
    "admin",
    "administrator",
    "password123",
    "123456789012",
    "qwertyuiop12",
    "changeme123",
    "letmein12345",
}
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")


def password_problem(password: str | None, username: str = "") -> str | None:
    """Why ``password`` cannot be used (missing, placeholder, short, the username), else None."""
    if password is None or not password.strip():
        return "is not set"
    lowered = password.strip().lower()
    if lowered in PLACEHOLDER_PASSWORDS or any(
        lowered.startswith(p) and len(set(lowered[len(p) :])) <= 2 for p in ("changeme", "password")
    ):
        return "is a placeholder"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"is shorter than {MIN_PASSWORD_LENGTH} characters"
    if username and username.lower() in lowered:
        return "contains the username"
    return None


def hash_password(password: str) -> str:
    """argon2id hash with the library's current parameters."""
    return _hasher.hash(password)


def verify_password(user: StaffUser | None, password: str) -> bool:
    """True when ``password`` matches (an unknown user costs the same time)."""
    try:
        return (
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
            and user is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(user: StaffUser) -> bool:
    """True when the hash uses older parameters than the library's current ones."""
    return _hasher.check_needs_rehash(user.password_hash)


def get_user(session: Session, username: str) -> StaffUser | None:
    """The account named ``username`` (case-insensitive names are stored lower-case)."""
    return session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    now: dt.datetime | None = None,
) -> StaffUser:
    """Create an account; ValueError with a readable reason when it cannot be."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValueError("username: 2-64 characters, lower-case letters, digits, . _ -")
    if role not in ROLES:
        raise ValueError(f"role: one of {', '.join(ROLES)}")
    problem = password_problem(password, username)
    if problem:
        raise ValueError(f"password {problem}")
    if get_user(session, username) is not None:
        raise ValueError(f"username: {username} already exists")
    user = StaffUser(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        password_hash=hash_password(password),
        active=True,
        failed_logins=0,
        created_at=now or utcnow(),
    )
    session.add(user)
    session.commit()
    return user


def set_password(session: Session, user: StaffUser, password: str) -> None:
    """Replace the password (same rules as creation)."""
    problem = password_problem(password, user.username)
    if problem:
        raise ValueError(f"password {problem}")
    user.password_hash = hash_password(password)
    session.commit()


def list_users(session: Session) -> list[StaffUser]:
    """All accounts, by name."""
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))
