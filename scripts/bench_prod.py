"""Knowledge-turn throughput of the production profile with one and with two Rasa processes.

Part of ``make bench``: starts ``scripts/run_prod.sh`` (PostgreSQL tracker store, Redis lock store,
RabbitMQ broker, two action servers behind nginx) once with ``RASA_REPLICAS=1`` and once with
``RASA_REPLICAS=2``, replays the same knowledge questions in eight languages with 20 concurrent
clients through the front, and prints a table and, last, one JSON line with
``prod_one_rasa_kb_rps``, ``prod_two_rasa_kb_rps``, ``prod_two_rasa_vs_one`` and the latencies.
Skipped (with a reason) when PostgreSQL is not reachable or there is no trained model.
Writes ``build/timings/bench_prod.json``.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from knowledge_base.turn_bench import KB_MESSAGES, WARMUP_TURNS, _wait_ready, run_phase
from scripts.prod_stack import ROOT, postgres_available, running_prod

CLIENTS = 20
TURNS = 240
TARGET_TWO_VS_ONE = 1.5
REPORT = ROOT / "build" / "timings" / "bench_prod.json"


async def _measure(platform: int, rasa: int) -> dict[str, Any]:
    await _wait_ready(platform)
    url = f"http://127.0.0.1:{rasa}/webhooks/rest/webhook"
    await run_phase(url, "warm-up", KB_MESSAGES, clients=4, turns=WARMUP_TURNS * 2)
    result = await run_phase(url, "kb", KB_MESSAGES, CLIENTS, TURNS)
    return {
        "rps": round(result.rps, 2),
        "p50_ms": round(result.percentile(50) or 0, 1),
        "p95_ms": round(result.percentile(95) or 0, 1),
        "p99_ms": round(result.percentile(99) or 0, 1),
        "errors": result.errors,
    }


def measure(rasa_replicas: int) -> dict[str, Any]:
    """Knowledge-turn figures of the production profile with ``rasa_replicas`` Rasa processes."""
    with tempfile.TemporaryDirectory(prefix="bench-prod-") as tmp:
        with running_prod(Path(tmp), rasa_replicas=rasa_replicas, action_replicas=2) as stack:
            return asyncio.run(_measure(stack.platform, stack.rasa))


def run() -> dict[str, Any]:
    """Both runs and the ratio, or a ``prod_bench`` skip reason."""
    if not (ROOT / "models" / "current").exists():
        return {"prod_bench": "skipped: no trained model"}
    if not postgres_available():
        return {"prod_bench": "skipped: PostgreSQL not reachable on loopback"}
    one = measure(1)
    two = measure(2)
    figures: dict[str, Any] = {
        "prod_one_rasa_kb_rps": one["rps"],
        "prod_two_rasa_kb_rps": two["rps"],
        "prod_two_rasa_vs_one": round(two["rps"] / one["rps"], 2) if one["rps"] else None,
        "prod_two_rasa_kb_p95_ms": two["p95_ms"],
        "prod_two_rasa_kb_p99_ms": two["p99_ms"],
        "prod_errors": one["errors"] + two["errors"],
    }
    print(
        f"{'production profile':<24}{'msg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    )
    for label, row in (("1 Rasa process", one), ("2 Rasa processes", two)):
        print(
            f"{label:<24}{row['rps']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}{row['errors']:>8}"
        )
    print(
        f"two over one: {figures['prod_two_rasa_vs_one']}x (target >= {TARGET_TWO_VS_ONE}x; "
        f"{CLIENTS} clients, knowledge questions in eight languages)"
    )
    return figures


def main() -> None:
    """Measure, write the report, print the JSON line."""
    figures = run()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
