"""Alembic environment: runs on the connection :func:`platform_api.core.db.migrate` passes in,
or on ``PLATFORM_DATABASE_URL`` when the ``alembic`` command line is used."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from platform_api.core.db import Base, import_model_modules, make_engine

config = context.config
import_model_modules()
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # command line: alembic -c platform_api/migrations/alembic.ini upgrade heads
    from platform_api.core.config import get_settings

    engine = make_engine(get_settings().database_url)
    with engine.begin() as own_connection:
        _run(own_connection)
