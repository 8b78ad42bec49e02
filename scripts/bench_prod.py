"""Knowledge-turn throughput of the production profile with one and with two Rasa processes.

Part of ``make bench``: starts ``scripts/run_prod.sh`` once (PostgreSQL tracker store, Redis lock
store, RabbitMQ broker, two Rasa and two action servers behind nginx), warms *each* Rasa process,
then alternates rounds of the same knowledge questions in eight languages with 20 concurrent
clients: sent straight to one Rasa process ("one process": what ``RASA_REPLICAS=1`` serves), then
through the front to both ("two processes"), and again, so both see the same machine load. The
second process is idle during a one-process round; each round ends when the analytics consumer has
stored its events (outside the timed window, inside the CPU figures). Prints a table with the CPU
each server used per answered turn (``/proc`` user+system time of the process and its threads) and,
last, one JSON line with ``prod_one_rasa_kb_rps``, ``prod_two_rasa_kb_rps``,
``prod_two_rasa_vs_one`` and the latencies.
Skipped (with a reason) when PostgreSQL is not reachable or there is no trained model.
Writes ``build/timings/bench_prod.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from knowledge_base.turn_bench import KB_MESSAGES, WARMUP_TURNS, PhaseResult, _wait_ready, run_phase
from scripts.prod_stack import ROOT, ProdStack, postgres_available, running_prod

CLIENTS = 20
TURNS = 160
"""Turns per round; ``ROUNDS`` rounds of each setting."""
ROUNDS = 2
TARGET_TWO_VS_ONE = 1.5
REPORT = ROOT / "build" / "timings" / "bench_prod.json"
ROLES = (
    ("bot.rasa_server", "rasa"),
    ("actions.server", "actions"),
    ("platform_api.analytics.consumer", "analytics"),
    ("uvicorn", "platform"),
    ("nginx", "nginx"),
)


@dataclass
class Setting:
    """One side of the comparison: its rounds and the CPU its servers used."""

    label: str
    url: str
    results: list[PhaseResult]
    cpu_s: dict[str, float]

    def answered(self) -> int:
        return sum(r.turns - r.errors for r in self.results)

    def rps(self) -> float:
        seconds = sum(r.seconds for r in self.results)
        return self.answered() / seconds if seconds else 0.0

    def latencies(self) -> PhaseResult:
        merged = [ms for r in self.results for ms in r.latencies_ms]
        errors = sum(r.errors for r in self.results)
        seconds = sum(r.seconds for r in self.results)
        return PhaseResult("kb", CLIENTS, len(merged) + errors, errors, seconds, merged)


def _role(process: psutil.Process) -> str | None:
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return None
    for marker, role in ROLES:
        if marker in command:
            if role == "rasa" and "--port" in command:
                return f"rasa :{command.split('--port', 1)[1].split()[0]}"
            return role
    return None


def _stack_cpu() -> dict[str, float]:
    """CPU seconds (user+system, all threads) of the profile's servers, by role."""
    out: dict[str, float] = {}
    for process in psutil.Process(os.getpid()).children(recursive=True):
        role = _role(process)
        if role is None:
            continue
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        out[role] = out.get(role, 0.0) + times.user + times.system
    return out


async def _drained(role: str = "analytics", quiet_s: float = 0.02, limit_s: float = 60.0) -> None:
    """Until ``role`` stops using CPU (the analytics consumer has caught up with the queue)."""
    previous = _stack_cpu().get(role, 0.0)
    for _ in range(int(limit_s)):
        await asyncio.sleep(1)
        current = _stack_cpu().get(role, 0.0)
        if current - previous < quiet_s:
            return
        previous = current


async def _round(setting: Setting) -> None:
    before = _stack_cpu()
    setting.results.append(await run_phase(setting.url, "kb", KB_MESSAGES, CLIENTS, TURNS))
    await _drained()  # the round's events are stored before the next round: its CPU is counted here
    after = _stack_cpu()
    for role, seconds in after.items():
        setting.cpu_s[role] = setting.cpu_s.get(role, 0.0) + seconds - before.get(role, seconds)


async def _measure(stack: ProdStack) -> tuple[Setting, Setting]:
    await _wait_ready(stack.platform)
    front = f"http://127.0.0.1:{stack.rasa}/webhooks/rest/webhook"
    replicas = [
        f"http://127.0.0.1:{port}/webhooks/rest/webhook" for port in stack.replica_ports("rasa")
    ]
    for url in replicas:  # every process loads its lazily loaded parts before it is measured
        await run_phase(url, "warm-up", KB_MESSAGES, clients=4, turns=WARMUP_TURNS * 2)
    await _drained()
    one = Setting("1 Rasa process", replicas[0], [], {})
    two = Setting("2 Rasa processes", front, [], {})
    for _ in range(ROUNDS):
        await _round(one)
        await _round(two)
    return one, two


def _row(setting: Setting) -> dict[str, Any]:
    merged = setting.latencies()
    return {
        "rps": round(setting.rps(), 2),
        "p50_ms": round(merged.percentile(50) or 0, 1),
        "p95_ms": round(merged.percentile(95) or 0, 1),
        "p99_ms": round(merged.percentile(99) or 0, 1),
        "errors": merged.errors,
        "cpu_ms_per_turn": {
            role: round(1000 * seconds / max(setting.answered(), 1), 1)
            for role, seconds in sorted(setting.cpu_s.items())
            if seconds > 0
        },
    }


def _print_table(one: dict[str, Any], two: dict[str, Any], ratio: float | None) -> None:
    print(
        f"{'production profile':<24}{'msg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    )
    for label, row in (("1 Rasa process", one), ("2 Rasa processes", two)):
        print(
            f"{label:<24}{row['rps']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
            f"{row['errors']:>8}"
        )
    print("CPU per answered turn, ms (user+system):")
    for label, row in (("1 Rasa process", one), ("2 Rasa processes", two)):
        cpu = row["cpu_ms_per_turn"]
        parts = ", ".join(f"{role} {ms}" for role, ms in cpu.items())
        print(f"  {label:<22} total {round(sum(cpu.values()), 1)}: {parts}")
    print(
        f"two over one: {ratio}x (target >= {TARGET_TWO_VS_ONE}x; {CLIENTS} clients, "
        f"{ROUNDS}x{TURNS} knowledge questions in eight languages each, alternating rounds)"
    )


def run() -> dict[str, Any]:
    """Both settings in one run and the ratio, or a ``prod_bench`` skip reason."""
    if not (ROOT / "models" / "current").exists():
        return {"prod_bench": "skipped: no trained model"}
    if not postgres_available():
        return {"prod_bench": "skipped: PostgreSQL not reachable on loopback"}
    with tempfile.TemporaryDirectory(prefix="bench-prod-") as tmp:
        with running_prod(Path(tmp), rasa_replicas=2, action_replicas=2) as stack:
            one_setting, two_setting = asyncio.run(_measure(stack))
    one, two = _row(one_setting), _row(two_setting)
    ratio = round(two["rps"] / one["rps"], 2) if one["rps"] else None
    _print_table(one, two, ratio)
    return {
        "prod_one_rasa_kb_rps": one["rps"],
        "prod_two_rasa_kb_rps": two["rps"],
        "prod_two_rasa_vs_one": ratio,
        "prod_one_rasa_kb_p99_ms": one["p99_ms"],
        "prod_two_rasa_kb_p95_ms": two["p95_ms"],
        "prod_two_rasa_kb_p99_ms": two["p99_ms"],
        "prod_one_rasa_cpu_ms_per_turn": round(sum(one["cpu_ms_per_turn"].values()), 1),
        "prod_two_rasa_cpu_ms_per_turn": round(sum(two["cpu_ms_per_turn"].values()), 1),
        "prod_errors": one["errors"] + two["errors"],
    }


def main() -> None:
    """Measure, write the report, print the JSON line."""
    figures = run()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
