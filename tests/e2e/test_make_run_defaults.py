"""`make run`'s own path: scripts/run_all.sh with nothing but ports set (default secrets file, as a
developer runs it) reaches "all up", keeps serving afterwards and answers a greeting."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from knowledge_base.turn_bench import spare_ports, stop_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = (
    "SECRETS_FILE", "RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "PLATFORM_STAFF_API_TOKEN",
    "PLATFORM_BOT_API_TOKEN", "PLATFORM_API_URL", "ACTION_SERVER_URL", "LOG_ID_SALT",
)  # fmt: skip


def test_run_all_with_default_settings_stays_up_and_answers(tmp_path: Path) -> None:
    rasa, actions, platform = spare_ports(3)
    env = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
    env.update(
        RASA_PORT=str(rasa), ACTIONS_PORT=str(actions), PLATFORM_PORT=str(platform),
        LOG_DIR=str(tmp_path / "logs"), RUN_DIR=str(tmp_path / "run"),
        PLATFORM_DATABASE_URL=f"sqlite:///{tmp_path / 'platform.db'}",
    )  # fmt: skip
    process = subprocess.Popen(
        ["bash", "scripts/run_all.sh"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 420
        seen = []
        for line in process.stdout:
            seen.append(line)
            if "all up" in line or time.monotonic() > deadline:
                break
        assert any("all up" in line for line in seen), "".join(seen[-20:])
        time.sleep(3)
        assert process.poll() is None, "run_all.sh stopped after all up"
        reply = httpx.post(
            f"http://127.0.0.1:{rasa}/webhooks/rest/webhook",
            json={"sender": "make-run-defaults", "message": "hello"},
            timeout=60,
        )
        assert reply.status_code == 200 and any(m.get("text") for m in reply.json())
    finally:
        stop_stack(process)
