"""Wires complaints, handoff and the staff console into the app; creates the first supervisor."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from common.logsafe import event
from platform_api.complaints import routes as complaint_routes
from platform_api.complaints.settings import CaseSettings, get_case_settings
from platform_api.handoff import routes as handoff_routes
from platform_api.staff import accounts, api, console

logger = logging.getLogger("platform_api.staff")


class AdminPasswordError(RuntimeError):
    """``PLATFORM_STAFF_ADMIN_PASSWORD`` is unusable (placeholder, short, ...)."""


def bootstrap_admin(app: FastAPI) -> str | None:
    """Create the supervisor ``PLATFORM_STAFF_ADMIN_USER`` when set and missing; its name or None.

    An existing account is left as it is (its password is not reset). A placeholder or short
    password stops the start with :class:`AdminPasswordError` naming the variable.
    """
    settings = app.state.settings
    username = (settings.staff_admin_user or "").strip().lower()
    if not username:
        return None
    password = (
        settings.staff_admin_password.get_secret_value() if settings.staff_admin_password else None
    )
    problem = accounts.password_problem(password, username)
    if problem:
        raise AdminPasswordError(
            f"PLATFORM_STAFF_ADMIN_PASSWORD {problem}: set a real password of at least "
            f"{accounts.MIN_PASSWORD_LENGTH} characters"
        )
    assert password is not None
    with app.state.session_factory() as db:
        if accounts.get_user(db, username) is None:
            accounts.create_user(db, username=username, password=password, role="supervisor")
            logger.info(event("staff.admin_created", username=username))
    return username


@asynccontextmanager
async def _bootstrap_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs after the app's own lifespan has migrated the database."""
    bootstrap_admin(app)
    yield


def install(app: FastAPI, case_settings: CaseSettings | None = None) -> None:
    """Add the complaint, handoff, staff API and console routes and the console's static files."""
    app.state.case_settings = case_settings or get_case_settings()
    app.include_router(complaint_routes.router)
    app.include_router(complaint_routes.privacy_router)
    app.include_router(handoff_routes.router)
    app.include_router(api.router)
    app.include_router(console.router)
    app.mount("/console/static", StaticFiles(directory=console.STATIC_DIR), name="console-static")
    app.include_router(APIRouter(lifespan=_bootstrap_lifespan))
