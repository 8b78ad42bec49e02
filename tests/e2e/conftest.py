"""The running stack for end-to-end tests: scripts/run_all.sh on spare ports, started once per
session (as `make run` starts it), with its secrets file and logs in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from knowledge_base.turn_bench import stop_stack

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"RASA_PORT": "15005", "ACTIONS_PORT": "15055", "PLATFORM_PORT": "18000"}
STAFF_TOKEN = "e2e-staff-token-not-a-secret"
E2E_PARTNER_KEYS = "dujiangyan:e2e-shared-partner-key-dujiangyan"
"""The shared stack's test venue partner (load and bad-input tests push invented test slots only)."""


@dataclass(frozen=True)
class Stack:
    """Where the servers answer, and the files the run wrote."""

    rasa: str
    actions: str
    platform: str
    log_dir: Path
    secrets: dict[str, str]


def read_secrets(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a secrets file."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {name: value for name, value in pairs}


def run_all_env(var: Path, **overrides: str) -> dict[str, str]:
    """Environment of scripts/run_all.sh for a run whose files go to ``var``."""
    return {
        **os.environ,
        **PORTS,
        "LOG_DIR": str(var),
        "RUN_DIR": str(var),
        "SECRETS_FILE": str(var / "secrets.env"),
        "PLATFORM_DATABASE_URL": f"sqlite:///{var}/platform.db",
        "PLATFORM_STAFF_API_TOKEN": STAFF_TOKEN,
        "PLATFORM_PARTNER_KEYS": E2E_PARTNER_KEYS,
        **overrides,
    }


@contextmanager
def running_stack(var: Path, **overrides: str) -> Iterator[Stack]:
    """``scripts/run_all.sh`` as `make run` starts it, with its files in ``var`` and the ports and
    settings of ``overrides`` (default ports: :data:`PORTS`); stopped when the block ends."""
    if not (ROOT / "models" / "current").exists():
        pytest.fail("no trained model: `make test` trains it before running the tests")
    env = run_all_env(var, **overrides)
    process = subprocess.Popen(
        ["bash", "scripts/run_all.sh"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 420
        assert process.stdout is not None
        for line in process.stdout:
            if "all up" in line:
                break
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"servers did not start; logs in {var}: {line}")
        yield Stack(
            rasa=f"http://127.0.0.1:{env['RASA_PORT']}",
            actions=f"http://127.0.0.1:{env['ACTIONS_PORT']}",
            platform=f"http://127.0.0.1:{env['PLATFORM_PORT']}",
            log_dir=var,
            secrets=read_secrets(var / "secrets.env"),
        )
    finally:
        if process.poll() is None:  # a run that failed to start has already stopped its servers
            stop_stack(process)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("e2e")) as started:
        yield started


@pytest.fixture(scope="session")
def servers(stack: Stack) -> str:
    """Base URL of Rasa's REST channel."""
    return stack.rasa
