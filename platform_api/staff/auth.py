"""Staff logins: random bearer tokens (only their SHA-256 stored) with expiry; role checks.

The API (``/api/staff/...``) takes ``Authorization: Bearer <access_token>``; the console
(``/console/...``) takes the same token from the HttpOnly ``tf_staff`` cookie and also checks the
session's CSRF token on every form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.api.deps import SessionDep
from platform_api.complaints.deps import CaseSettingsDep
from platform_api.complaints.errors import ApiError
from platform_api.complaints.settings import CaseSettings
from platform_api.models import utcnow
from platform_api.staff import accounts, audit
from platform_api.staff.models import StaffSession, StaffUser

COOKIE_NAME = "tf_staff"
MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
_bearer = HTTPBearer(auto_error=False, description="Staff access token from POST /api/staff/login")


@dataclass(frozen=True)
class Principal:
    """The logged-in staff member of a request."""

    user: StaffUser
    login: StaffSession

    @property
    def username(self) -> str:
        """Account name (audit ``actor``)."""
        return self.user.username

    @property
    def role(self) -> str:
        """``agent`` or ``supervisor``."""
        return self.user.role

    @property
    def is_supervisor(self) -> bool:
        """True for supervisors."""
        return self.user.role == "supervisor"

    @property
    def csrf_token(self) -> str:
        """The token every console form must carry."""
        return self.login.csrf_token


def token_hash(token: str) -> str:
    """SHA-256 hex of a bearer token (what the database keeps)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def login(
    db: Session,
    username: str,
    password: str,
    settings: CaseSettings,
    *,
    now: dt.datetime | None = None,
) -> tuple[str, StaffSession]:
    """Check the password and open a session: (bearer token, session). 401 / 423 otherwise."""
    now = now or utcnow()
    user = accounts.get_user(db, username)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        audit.record(db, actor=user.username, action="staff.login_locked", now=now)
        db.commit()
        raise ApiError(423, "too many failed logins: try again later")
    if not accounts.verify_password(user, password) or user is None or not user.active:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            audit.record(db, actor=user.username, action="staff.login_failed", now=now)
            db.commit()
        raise ApiError(401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"})
    if accounts.needs_rehash(user):
        user.password_hash = accounts.hash_password(password)
    token = secrets.token_urlsafe(32)
    row = StaffSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.staff_session_minutes),
    )
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.add(row)
    audit.record(db, actor=user.username, action="staff.login", now=now)
    db.commit()
    return token, row


def resolve(db: Session, token: str | None, *, now: dt.datetime | None = None) -> Principal | None:
    """The principal of a valid, unexpired, unrevoked token of an active account, else None."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    row = db.scalar(select(StaffSession).where(StaffSession.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = db.get(StaffUser, row.user_id)
    if user is None or not user.active:
        return None
    return Principal(user=user, login=row)


def logout(db: Session, principal: Principal, *, now: dt.datetime | None = None) -> None:
    """Revoke the session."""
    now = now or utcnow()
    principal.login.revoked_at = now
    audit.record(db, actor=principal.username, action="staff.logout", now=now)
    db.commit()


def csrf_ok(principal: Principal, presented: str | None) -> bool:
    """Constant-time comparison of a form's CSRF token with the session's."""
    if not presented:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), principal.csrf_token.encode("utf-8"))


def current_staff(
    db: SessionDep,
    settings: CaseSettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The staff member of ``Authorization: Bearer``; 401 when missing, unknown or expired."""
    principal = resolve(db, credentials.credentials if credentials else None)
    if principal is None:
        raise ApiError(
            401,
            "log in first: missing, expired or invalid staff token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


def require_supervisor(principal: Annotated[Principal, Depends(current_staff)]) -> Principal:
    """403 unless the staff member is a supervisor."""
    if not principal.is_supervisor:
        raise ApiError(403, "supervisors only")
    return principal


StaffDep = Annotated[Principal, Depends(current_staff)]
SupervisorDep = Annotated[Principal, Depends(require_supervisor)]


def may_see_personal_data(principal: Principal, assigned_to: str | None) -> bool:
    """Full phone numbers and unmasked texts: supervisors and the assigned agent only."""
    return principal.is_supervisor or (
        assigned_to is not None and assigned_to == principal.username
    )
