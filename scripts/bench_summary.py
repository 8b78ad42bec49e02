"""The last line of ``make bench``: one JSON object with every figure the benchmarks measured.

Each benchmark writes its own report (``build/timings/bench_training.json``,
``build/timings/bench_booking.json``, ``reports/kb_bench.json`` with the turn speed,
``build/timings/bench_prod.json``); this merges them, adds ``errors`` as the sum of every
benchmark's errors, and prints the merged object as the last line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORTS = (
    ROOT / "build" / "timings" / "bench_training.json",
    ROOT / "build" / "timings" / "bench_booking.json",
    ROOT / "reports" / "kb_bench.json",
    ROOT / "build" / "timings" / "bench_prod.json",
)
REQUIRED = (
    "static_turn_rps_10",
    "kb_turn_rps_10",
    "kb_vs_static",
    "kb_turn_p95_ms_10",
    "kb_turn_p99_ms_50",
    "booking_api_rps_20",
    "errors",
    "prod_two_rasa_vs_one",
)


def merged(paths: tuple[Path, ...] = REPORTS) -> dict[str, Any]:
    """Every report's top-level scalar figures; ``errors`` summed over the reports."""
    figures: dict[str, Any] = {}
    errors = 0
    for path in paths:
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, value in data.items():
            if key == "errors" and isinstance(value, int):
                errors += value
            elif key == "prod_errors" and isinstance(value, int):
                errors += value
            elif not isinstance(value, dict | list):
                figures[key] = value
    figures["errors"] = errors
    for key in REQUIRED:
        figures.setdefault(key, None)
    return figures


def main() -> None:
    """Print the merged figures (missing ones as null)."""
    print(json.dumps(merged(), ensure_ascii=False))


if __name__ == "__main__":
    main()
