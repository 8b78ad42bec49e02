"""SQLAlchemy 2 engine and session factory built from :class:`Settings`.

SQLite is the default (``var/platform.db``); ``postgresql+psycopg://`` URLs work unchanged.
Tables are created with :func:`create_all` at startup until Alembic migrations are added.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    """Declarative base of every platform table."""


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; SQLite gets the options a threaded server needs."""
    if database_url.startswith("sqlite"):
        return create_engine(database_url, connect_args={"check_same_thread": False})
    return create_engine(database_url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (objects stay readable after commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def create_all(engine: Engine) -> None:
    """Create missing tables (stand-in for Alembic migrations)."""
    from platform_api import models  # noqa: F401  (registers the tables on Base.metadata)

    Base.metadata.create_all(engine)


def ping(engine: Engine) -> bool:
    """True when the database answers ``SELECT 1``."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any driver error means "not ok" for the health check
        return False
    return True


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield one session and close it afterwards (generator for FastAPI dependencies)."""
    with factory() as session:
        yield session
