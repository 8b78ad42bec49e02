"""The production profile's nginx fronts: round-robin, sticky socket.io, POST retry only for Rasa."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.nginx_front import render


def test_fronts_spread_retry_and_stick_as_documented(tmp_path: Path) -> None:
    text = render(
        tmp_path, "127.0.0.1", {5005: [5006, 5007], 5055: [5056, 5057]}, frozenset({5005})
    )
    rasa, actions = text.split("listen 127.0.0.1:5005;")[1], text.split("listen 127.0.0.1:5055;")[1]
    assert "server 127.0.0.1:5006" in text and "server 127.0.0.1:5057" in text
    assert (
        "non_idempotent" in rasa.split("server {")[0]
    )  # a Rasa turn is retried on the other process
    assert "non_idempotent" not in actions  # an action may have had its effect: never re-sent
    assert "ip_hash" in text and "sticky_5005" in text  # socket.io sessions live in one process
    assert "access_log off" in text


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (make prod-deps)")
def test_generated_configuration_is_accepted_by_nginx(tmp_path: Path) -> None:
    subprocess.run(
        [
            "python3",
            "scripts/nginx_front.py",
            "--dir",
            str(tmp_path),
            "--front",
            "25005=25006 25007",
            "--retry-posts",
            "25005",
            "--front",
            "25055=25056 25057",
        ],  # fmt: skip
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", "nginx.conf"], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
