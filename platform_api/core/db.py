"""SQLAlchemy 2 engine and session factory built from :class:`Settings`.

SQLite is the default (``var/platform.db``); ``postgresql+psycopg://`` URLs work unchanged.
The schema is Alembic's (``platform_api/migrations``): :func:`migrate` runs ``upgrade heads`` at
start-up. Each domain package keeps its tables in its own ``models`` module
(``platform_api/<domain>/models.py``) and its own migration branch off ``0001_initial``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

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


MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def import_model_modules() -> None:
    """Import ``platform_api.models`` and every ``platform_api.<domain>.models`` (registers tables)."""
    import platform_api

    importlib.import_module("platform_api.models")
    for module in pkgutil.iter_modules(platform_api.__path__):
        if module.ispkg and (Path(platform_api.__path__[0]) / module.name / "models.py").exists():
            importlib.import_module(f"platform_api.{module.name}.models")


def migrate(engine: Engine) -> None:
    """Bring the database to every head of the Alembic history (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def create_all(engine: Engine) -> None:
    """Create the schema through the migrations (kept name for callers and tests)."""
    migrate(engine)


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
