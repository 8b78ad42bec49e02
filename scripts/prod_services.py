"""Checks the production profile's services and creates its databases (run by run_prod.sh).

``python -m scripts.prod_services --create-databases tianfu tianfu_rasa`` connects to PostgreSQL
(``PG_HOST``/``PG_PORT``/``PG_USER``/``PG_PASSWORD``), Redis (``REDIS_HOST``/``REDIS_PORT``) and
RabbitMQ (``ANALYTICS_AMQP_URL``), creates the named databases when missing, and exits non-zero with
one line per unreachable service. Passwords are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import psycopg
import redis
from psycopg import sql


def postgres_dsn(database: str = "postgres") -> str:
    """libpq connection string from the ``PG_*`` variables."""
    parts = {
        "host": os.environ.get("PG_HOST", "127.0.0.1"),
        "port": os.environ.get("PG_PORT", "5432"),
        "user": os.environ.get("PG_USER", "postgres"),
        "dbname": database,
        "connect_timeout": "5",
    }
    if os.environ.get("PG_PASSWORD"):
        parts["password"] = os.environ["PG_PASSWORD"]
    return " ".join(f"{key}={value}" for key, value in parts.items())


def ensure_databases(names: list[str]) -> list[str]:
    """Create the missing databases; returns the ones created."""
    created = []
    with psycopg.connect(postgres_dsn(), autocommit=True) as connection:
        for name in names:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                created.append(name)
    return created


def check_redis() -> None:
    """PING Redis."""
    client = redis.Redis(
        host=os.environ.get("REDIS_HOST", "127.0.0.1"),
        port=int(os.environ.get("REDIS_PORT", "6379")),
        socket_connect_timeout=5,
    )
    client.ping()


async def check_rabbitmq() -> None:
    """Open and close an AMQP connection."""
    import aio_pika

    url = os.environ.get("ANALYTICS_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    connection = await aio_pika.connect_robust(url, timeout=5)
    await connection.close()


def main() -> int:
    """Check every service; create databases; report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--create-databases", nargs="*", default=[])
    args = parser.parse_args()
    problems = []
    try:
        created = ensure_databases(args.create_databases)
        for name in created:
            print(f"==> [prod] created PostgreSQL database {name}")
    except Exception as error:  # noqa: BLE001 - any failure is reported, none is fatal here
        problems.append(f"PostgreSQL: {type(error).__name__}")
    try:
        check_redis()
    except Exception as error:  # noqa: BLE001
        problems.append(f"Redis: {type(error).__name__}")
    try:
        asyncio.run(check_rabbitmq())
    except Exception as error:  # noqa: BLE001
        problems.append(f"RabbitMQ: {type(error).__name__}")
    if problems:
        print("==> [prod] unreachable: " + "; ".join(problems), file=sys.stderr)
        return 1
    print("==> [prod] PostgreSQL, Redis and RabbitMQ answer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
