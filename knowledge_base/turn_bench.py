"""Turn speed over Rasa's REST channel, measured on this machine in one run (part of ``make bench``).

Starts the three servers as ``make run`` does (``scripts/run_all.sh``) on spare loopback ports, with
a throwaway log/run folder, database and secrets file, waits until the platform reports its
knowledge base warm, then replays with a bounded asyncio client:

* a *static turn*: a greeting answered from the domain ("你好", "hello", ...);
* a *knowledge turn*: a ticket question answered through the action server and the platform's
  knowledge service ("九寨沟门票多少钱", "How much is the Leshan Giant Buddha ticket?", ...),

each by 10 and by 50 concurrent clients, every turn in a fresh conversation (new sender id).
Every loop is bounded in turns and in time; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from knowledge_base.encoder import REPO_ROOT

STATIC_MESSAGES = (
    "你好",
    "hello",
    "こんにちは",
    "안녕하세요",
    "bonjour",
    "hallo",
    "hola",
    "привет",
)
KB_MESSAGES = (
    "九寨沟门票多少钱",
    "How much is the Leshan Giant Buddha ticket?",
    "九寨溝の入場料はいくらですか？",
    "주자이거우 입장료가 얼마예요?",
    "Combien coûte le billet pour Jiuzhaigou ?",
    "Wie viel kostet der Eintritt für Jiuzhaigou?",
    "¿Cuánto cuesta la entrada a Jiuzhaigou?",
    "Сколько стоит билет в Цзючжайгоу?",
)
TURNS = {10: 100, 50: 200}
"""Turns per phase, by number of concurrent clients."""
WARMUP_TURNS = 8
PHASE_DEADLINE_S = 180.0
REQUEST_TIMEOUT_S = 30.0
START_DEADLINE_S = 480.0
TARGET_KB_VS_STATIC = 0.8
TARGET_P99_MS_50 = 2000.0


@dataclass(frozen=True)
class PhaseResult:
    """One kind of turn at one concurrency."""

    kind: str
    clients: int
    turns: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        """Answered turns per second of wall time."""
        return (self.turns - self.errors) / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, q: float) -> float | None:
        """Latency percentile of the answered turns, in ms."""
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else None


def spare_ports(count: int) -> list[int]:
    """``count`` distinct free TCP ports on the loopback interface."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def running_servers(workdir: Path) -> Iterator[dict[str, int]]:
    """``scripts/run_all.sh`` on spare ports with everything temporary under ``workdir``."""
    rasa, actions, platform = spare_ports(3)
    env = {
        **os.environ,
        "RASA_PORT": str(rasa),
        "ACTIONS_PORT": str(actions),
        "PLATFORM_PORT": str(platform),
        "LOG_DIR": str(workdir / "logs"),
        "RUN_DIR": str(workdir / "run"),
        "SECRETS_FILE": str(workdir / "secrets.env"),
        "PLATFORM_DATABASE_URL": f"sqlite:///{workdir / 'platform.db'}",
    }
    for name in ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "PLATFORM_STAFF_API_TOKEN",
                 "PLATFORM_BOT_API_TOKEN", "PLATFORM_API_URL", "ACTION_SERVER_URL"):  # fmt: skip
        env.pop(name, None)  # fresh secrets and URLs for this run's ports
    process = subprocess.Popen(
        ["bash", "scripts/run_all.sh"],
        cwd=REPO_ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_all_up(process, workdir)
        yield {"rasa": rasa, "actions": actions, "platform": platform}
    finally:
        stop_stack(process)


def stop_stack(process: subprocess.Popen[str]) -> None:
    """Stops ``scripts/run_all.sh`` and its servers (Ctrl-C to the group, then SIGKILL after 60 s)."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_all_up(process: subprocess.Popen[str], workdir: Path) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + START_DEADLINE_S
    for line in process.stdout:
        if "all up" in line:
            return
        if time.monotonic() > deadline or process.poll() is not None:
            break
    raise RuntimeError(f"servers did not start; logs in {workdir / 'logs'}")


async def _wait_ready(platform_port: int) -> None:
    """Until the platform's knowledge base is warm (``/api/health/ready`` is 200)."""
    deadline = time.monotonic() + START_DEADLINE_S
    async with httpx.AsyncClient(timeout=5) as client:
        while time.monotonic() < deadline:
            try:
                response = await client.get(f"http://127.0.0.1:{platform_port}/api/health/ready")
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(1)
    raise RuntimeError("the platform's knowledge base did not become ready")


async def _turn(client: httpx.AsyncClient, url: str, message: str) -> float | None:
    """One turn in a fresh conversation; its latency in ms, or None when it failed."""
    started = time.perf_counter()
    try:
        response = await client.post(
            url, json={"sender": f"bench-{uuid.uuid4().hex}", "message": message}
        )
        body: Any = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(body, list) or not any(isinstance(m, dict) and m.get("text") for m in body):
        return None
    return (time.perf_counter() - started) * 1000


async def run_phase(
    url: str, kind: str, messages: Sequence[str], clients: int, turns: int
) -> PhaseResult:
    """``turns`` turns shared by ``clients`` concurrent clients, stopped at the phase deadline."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(turns):
        queue.put_nowait(messages[i % len(messages)])
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + PHASE_DEADLINE_S

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty() and time.monotonic() < deadline:
            latency = await _turn(client, url, queue.get_nowait())
            if latency is None:
                errors += 1
            else:
                latencies.append(latency)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        seconds = time.perf_counter() - started
    errors += queue.qsize()  # turns the deadline cut off count as failed
    return PhaseResult(kind, clients, turns, errors, seconds, latencies)


async def measure(ports: dict[str, int]) -> list[PhaseResult]:
    """Warm both paths up, then static and knowledge turns at 10 and 50 clients."""
    await _wait_ready(ports["platform"])
    url = f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/webhook"
    for messages in (STATIC_MESSAGES, KB_MESSAGES):
        await run_phase(url, "warm-up", messages, clients=2, turns=WARMUP_TURNS)
    results = []
    for clients, turns in TURNS.items():
        results.append(await run_phase(url, "static", STATIC_MESSAGES, clients, turns))
        results.append(await run_phase(url, "kb", KB_MESSAGES, clients, turns))
    return results


def summary(results: Sequence[PhaseResult]) -> dict[str, Any]:
    """The figures ``make bench`` reports (milliseconds, messages per second)."""
    by = {(r.kind, r.clients): r for r in results}

    def fig(kind: str, clients: int, what: str) -> float | None:
        result = by.get((kind, clients))
        if result is None:
            return None
        value = result.rps if what == "rps" else result.percentile(float(what[1:]))
        return None if value is None else round(value, 2 if what == "rps" else 1)

    out: dict[str, Any] = {}
    for kind in ("static", "kb"):
        for clients in TURNS:
            out[f"{kind}_turn_rps_{clients}"] = fig(kind, clients, "rps")
            for q in ("p50", "p95", "p99"):
                out[f"{kind}_turn_{q}_ms_{clients}"] = fig(kind, clients, q)
    static, kb = out.get("static_turn_rps_10"), out.get("kb_turn_rps_10")
    out["kb_vs_static"] = round(kb / static, 2) if static and kb is not None else None
    out["errors"] = sum(r.errors for r in results)
    out["turns"] = sum(r.turns for r in results)
    return out


def table(figures: dict[str, Any]) -> str:
    """Human-readable table with the targets next to the figures."""

    def show(value: Any, unit: str = "") -> str:
        return "-" if value is None else f"{value}{unit}"

    lines = [
        f"{'turn':<10}{'clients':>8}{'msg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  target",
    ]
    for kind in ("static", "kb"):
        for clients in TURNS:
            if clients == 10:
                target = (
                    f">= {TARGET_KB_VS_STATIC}x static msg/s (now {show(figures['kb_vs_static'], 'x')})"
                    if kind == "kb"
                    else "reference for the kb turn"
                )
            else:
                target = f"p99 < {TARGET_P99_MS_50:.0f} ms"
            lines.append(
                f"{kind:<10}{clients:>8}{show(figures[f'{kind}_turn_rps_{clients}']):>8}"
                f"{show(figures[f'{kind}_turn_p50_ms_{clients}']):>9}"
                f"{show(figures[f'{kind}_turn_p95_ms_{clients}']):>9}"
                f"{show(figures[f'{kind}_turn_p99_ms_{clients}']):>9}  {target}"
            )
    lines.append(f"errors: {figures['errors']} of {figures['turns']} turns")
    return "\n".join(lines)


def targets_met(figures: dict[str, Any]) -> bool:
    """Knowledge turn >= 0.8x static at 10 clients; p99 < 2 s at 50 for both; no errors."""
    ratio = figures.get("kb_vs_static")
    p99s = [figures.get("static_turn_p99_ms_50"), figures.get("kb_turn_p99_ms_50")]
    return (
        ratio is not None
        and ratio >= TARGET_KB_VS_STATIC
        and all(p is not None and p < TARGET_P99_MS_50 for p in p99s)
        and figures.get("errors") == 0
    )


def run() -> dict[str, Any]:
    """Start the servers, measure, stop them; ``{"turn_bench": "skipped: ..."}`` without a model."""
    if not (REPO_ROOT / "models" / "current").exists():
        return {"turn_bench": "skipped: no trained model (models/current); run `make train`"}
    with tempfile.TemporaryDirectory(prefix="turn-bench-") as tmp:
        with running_servers(Path(tmp)) as ports:
            results = asyncio.run(measure(ports))
    figures = summary(results)
    figures["turn_targets_met"] = targets_met(figures)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m knowledge_base.turn_bench``: the table, then the figures as one JSON line.

    Exit status 0 when the targets are met, 1 when not, 2 when skipped (no trained model).
    """
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    figures = run()
    if "turn_bench" in figures:
        print(figures["turn_bench"])
        return 2
    print(table(figures))
    print(json.dumps(figures))
    return 0 if figures["turn_targets_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
