"""``scripts/local_secrets.sh``: `make run`'s local secrets, generated once, never printed."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.security
ROOT = Path(__file__).resolve().parents[2]
NAMES = (
    "RASA_AUTH_TOKEN",
    "ACTION_SERVER_TOKEN",
    "PLATFORM_STAFF_API_TOKEN",
    "PLATFORM_BOT_API_TOKEN",
    "LOG_ID_SALT",
)


def load(file: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Source the script, load ``file``, print the exported secrets after a marker line."""
    clean = {k: v for k, v in os.environ.items() if k not in NAMES}
    script = (
        "set -euo pipefail; source scripts/local_secrets.sh; "
        f"load_local_secrets '{file}'; echo ---; "
        + "; ".join(f'echo "{name}=${name}"' for name in NAMES)
    )
    return subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def exported(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    lines = result.stdout.split("---\n", 1)[1].splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_local_secrets_generated_once_private_and_reused(tmp_path: Path) -> None:
    file = tmp_path / "var" / "secrets.env"

    first = load(file)
    second = load(file)

    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    values = exported(first)
    assert set(values) == set(NAMES) and all(len(v) >= 32 for v in values.values())
    assert len(set(values.values())) == len(NAMES)
    assert exported(second) == values
    assert str(file) in first.stdout


def test_local_secrets_values_are_never_printed(tmp_path: Path) -> None:
    result = load(tmp_path / "secrets.env")

    printed = result.stdout.split("---\n", 1)[0] + result.stderr
    assert all(value not in printed for value in exported(result).values())


def test_local_secrets_environment_wins_over_the_file(tmp_path: Path) -> None:
    result = load(tmp_path / "secrets.env", PLATFORM_STAFF_API_TOKEN="deployment-staff-token-1")

    assert exported(result)["PLATFORM_STAFF_API_TOKEN"] == "deployment-staff-token-1"


@pytest.mark.parametrize("token", ["changeme", "short"])
def test_local_secrets_placeholder_stops_the_run_naming_the_variable(
    tmp_path: Path, token: str
) -> None:
    result = load(tmp_path / "secrets.env", RASA_AUTH_TOKEN=token)

    assert result.returncode != 0
    assert "refusing to start: RASA_AUTH_TOKEN" in result.stderr
    assert "---" not in result.stdout
