"""The production profile on spare loopback ports, for tests and ``make bench``.

:func:`running_prod` starts ``scripts/run_prod.sh`` with throwaway PostgreSQL databases, its own
RabbitMQ queue and (optionally) a private Redis server, so a test may stop that Redis without
touching anyone else's; everything is removed afterwards. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from knowledge_base.turn_bench import spare_ports, stop_stack

ROOT = Path(__file__).resolve().parents[1]
START_DEADLINE_S = 600.0
POSTGRES_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=5"


@dataclass
class ProdStack:
    """Where the production profile answers, and how to reach its parts."""

    rasa: int
    """Public (nginx) port of Rasa; replicas listen on ``rasa + 1 ...``."""
    actions: int
    platform: int
    rasa_replicas: int
    action_replicas: int
    workdir: Path
    secrets: dict[str, str]
    databases: tuple[str, str]
    redis_port: int | None = None
    redis: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def replica_ports(self, role: str) -> list[int]:
        """Ports the replicas of ``rasa`` or ``actions`` listen on."""
        public, count = (
            (self.rasa, self.rasa_replicas)
            if role == "rasa"
            else (self.actions, self.action_replicas)
        )
        return [public] if count <= 1 else [public + i for i in range(1, count + 1)]

    def platform_url(self) -> str:
        """Base URL of the platform API."""
        return f"http://127.0.0.1:{self.platform}"


def read_secrets(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a secrets file."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {name: value for name, value in pairs}


def postgres_available() -> bool:
    """True when the loopback PostgreSQL accepts connections."""
    try:
        with psycopg.connect(POSTGRES_DSN):
            return True
    except psycopg.Error:
        return False


def drop_databases(names: tuple[str, ...]) -> None:
    """Drop the throwaway databases (connections are closed first)."""
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as connection:
        for name in names:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def start_private_redis(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    """A Redis server on ``port`` that keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False
        )
        if probe.stdout.strip() == "PONG":
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("private Redis did not start")


@contextmanager
def running_prod(
    workdir: Path, *, rasa_replicas: int = 2, action_replicas: int = 2, private_redis: bool = False
) -> Iterator[ProdStack]:
    """``scripts/run_prod.sh`` on spare ports; stopped and cleaned up on exit."""
    # public port + replica ports must all be free: take a block of spare ports for each role
    ports = spare_ports(8)
    rasa, actions, platform, redis_port = ports[0], ports[3], ports[6], ports[7]
    for port in (rasa + 1, rasa + 2, actions + 1, actions + 2):
        if port in ports:
            raise RuntimeError("port collision; try again")
    suffix = uuid.uuid4().hex[:8]
    databases = (f"tianfu_test_{suffix}", f"tianfu_rasa_test_{suffix}")
    redis = start_private_redis(redis_port, workdir) if private_redis else None
    env = {
        **os.environ,
        "RASA_PORT": str(rasa),
        "ACTIONS_PORT": str(actions),
        "PLATFORM_PORT": str(platform),
        "RASA_REPLICAS": str(rasa_replicas),
        "ACTION_REPLICAS": str(action_replicas),
        "LOG_DIR": str(workdir / "logs"),
        "RUN_DIR": str(workdir / "run"),
        "SECRETS_FILE": str(workdir / "secrets.env"),
        "PLATFORM_DB_NAME": databases[0],
        "RASA_TRACKER_DB_NAME": databases[1],
        "RABBITMQ_EVENTS_QUEUE": f"tianfu_events_test_{suffix}",
        "RASA_LOCK_REDIS_DB": "1",
        "PLATFORM_PUBLIC_BASE_URL": f"http://127.0.0.1:{platform}",
    }
    if redis is not None:
        env["REDIS_PORT"] = str(redis_port)
    for name in ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "PLATFORM_STAFF_API_TOKEN",
                 "PLATFORM_BOT_API_TOKEN", "PLATFORM_API_URL", "ACTION_SERVER_URL",
                 "PLATFORM_DATABASE_URL", "REDIS_URL", "WECHAT_REDIS_URL"):  # fmt: skip
        env.pop(name, None)
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        ["bash", "scripts/run_prod.sh"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + START_DEADLINE_S
        output = []
        for line in process.stdout:
            output.append(line)
            if "all up" in line:
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("production profile did not start:\n" + "".join(output[-20:]))
        else:
            raise RuntimeError("production profile did not start:\n" + "".join(output[-20:]))
        yield ProdStack(
            rasa=rasa,
            actions=actions,
            platform=platform,
            rasa_replicas=rasa_replicas,
            action_replicas=action_replicas,
            workdir=workdir,
            secrets=read_secrets(workdir / "secrets.env"),
            databases=databases,
            redis_port=redis_port if redis is not None else None,
            redis=redis,
        )
    finally:
        if process.poll() is None:
            stop_stack(process)
        if redis is not None and redis.poll() is None:
            redis.kill()
        try:
            drop_databases(databases)
        except psycopg.Error:
            pass
