"""Console browser fixtures: a real platform (uvicorn on a free port, temp SQLite) and a page.

``console_platform`` gives the base URL, the service token and the first supervisor's login;
``console_page`` is a laptop-sized Chromium page that fails the test on any browser console error.
Imported by this folder's ``conftest.py``; another suite can import them the same way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BOT_TOKEN = "browser-bot-token-5d1e9c"
ADMIN_USER = "chief"
ADMIN_PASSWORD = "browser-admin-pass-2c7"  # noqa: S105 - throwaway test account


@dataclass(frozen=True)
class Platform:
    """A running platform API."""

    base_url: str
    bot_token: str
    admin_user: str
    admin_password: str
    log: Path

    def api(self) -> httpx.Client:
        """A client sending the service token, as the action server does."""
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.bot_token}"},
            timeout=10,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def console_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    var = tmp_path_factory.mktemp("browser-platform")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PLATFORM_DATABASE_URL": f"sqlite:///{var / 'platform.db'}",
        "PLATFORM_STAFF_API_TOKEN": "browser-staff-token-8a2f4e",
        "PLATFORM_BOT_API_TOKEN": BOT_TOKEN,
        "PLATFORM_STAFF_ADMIN_USER": ADMIN_USER,
        "PLATFORM_STAFF_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PLATFORM_OFFICE_WEEKDAYS": "mon,tue,wed,thu,fri,sat,sun",
        "PLATFORM_OFFICE_HOURS": "00:00-23:59",
        "PLATFORM_EVIDENCE_DIR": str(var / "evidence"),
        "PLATFORM_RATE_LIMIT_ENABLED": "false",
    }
    log = var / "platform.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "server:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=var,  # no developer .env
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base_url}/console/login", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"platform did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    yield Platform(base_url, BOT_TOKEN, ADMIN_USER, ADMIN_PASSWORD, log)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def console_page(browser: object) -> Iterator[object]:
    """A laptop-sized page; fails the test on any browser console error (CSP, scripts)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")  # type: ignore[attr-defined]
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    context.close()
    assert errors == [], errors
