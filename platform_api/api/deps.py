"""FastAPI dependencies as ``Annotated`` aliases: settings, DB session, staff auth, KB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from platform_api.core.config import Settings
from platform_api.core.security import token_matches
from platform_api.kb import LazyRetriever, Retriever


def get_app_settings(request: Request) -> Settings:
    """The settings the running app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_db(request: Request) -> Iterator[Session]:
    """One session per request from the app's session factory (override in tests)."""
    with request.app.state.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]

_bearer = HTTPBearer(auto_error=False, description="Staff API token")


def require_staff(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Allow the request only with ``Authorization: Bearer <staff_api_token>``."""
    if credentials is None or not token_matches(credentials.credentials, settings.staff_api_token):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or invalid staff token",
            headers={"WWW-Authenticate": "Bearer"},
        )


CurrentStaff = Depends(require_staff)


def require_bot(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Allow the request only with ``Authorization: Bearer <bot_api_token>`` (the action server)."""
    if credentials is None or not token_matches(credentials.credentials, settings.bot_api_token):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or invalid bot token",
            headers={"WWW-Authenticate": "Bearer"},
        )


CurrentBot = Depends(require_bot)


def app_retriever(app: FastAPI) -> Retriever:
    """The app's one knowledge-base retriever (``app.state.kb_retriever``; tests set their own).

    By default a :class:`LazyRetriever` over ``PLATFORM_KB_INDEX_DIR``, created on first use; the
    knowledge base caches the loaded index per directory, so every request shares one copy.
    """
    retriever: Retriever | None = getattr(app.state, "kb_retriever", None)
    if retriever is None:
        retriever = LazyRetriever(app.state.settings.kb_index_dir)
        app.state.kb_retriever = retriever
    return retriever


def get_kb_retriever(request: Request) -> Retriever:
    """The app's knowledge-base retriever, loaded on first use (warmed by the lifespan).

    Routes turn "index not built" into 503 (see :mod:`platform_api.api.routes.kb`).
    """
    return app_retriever(request.app)


RetrieverDep = Annotated[Retriever, Depends(get_kb_retriever)]
