"""Latency, build time, memory and turn speed: ``python -m knowledge_base.bench [--encoders use e5]``.

Each retrieval configuration (hybrid, lexical-only, dense-only per encoder) runs in its own
subprocess of this same run, so peak RSS is per configuration. Per query latency is measured one
query at a time over ``eval/kb_questions.jsonl`` after a warm-up. Then
:mod:`knowledge_base.turn_bench` measures whole turns over Rasa's REST channel. Results go to
``reports/kb_bench.json``; the last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

from knowledge_base.encoder import REPO_ROOT
from knowledge_base.settings import get_kb_settings

REPORT = REPO_ROOT / "reports" / "kb_bench.json"
WARMUP = 10
REPEAT = 2


def run_one(mode: str, encoder_name: str) -> dict[str, Any]:
    """Measure one configuration in this process."""
    from knowledge_base.build import encode_entries
    from knowledge_base.encoder import get_encoder
    from knowledge_base.evaluate import load_questions
    from knowledge_base.retriever import Retriever
    from knowledge_base.store import load_entries

    questions = [q.text for q in load_questions()]
    entries = load_entries()
    started = time.perf_counter()
    if mode == "lexical":
        retriever = Retriever(entries, None, None, mode="lexical")
    else:
        encoder = get_encoder(encoder_name)
        encoder.encode(["warm-up"], kind="passage")  # model load is not index build
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        index = encode_entries(encoder, entries.values())
        retriever = Retriever(entries, encoder, index, mode=mode)  # type: ignore[arg-type]
    build_seconds = time.perf_counter() - started
    for text in questions[:WARMUP]:
        retriever.search(text)
    timings = []
    for _ in range(REPEAT):
        for text in questions:
            t0 = time.perf_counter()
            retriever.search(text)
            timings.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    retriever.search_many(questions)
    batch_ms = (time.perf_counter() - t0) * 1000 / len(questions)
    return {
        "mode": mode,
        "encoder": None if mode == "lexical" else encoder_name,
        "entries": len(entries),
        "passages": 0 if retriever.index is None else len(retriever.index),
        "model_load_s": None if mode == "lexical" else round(load_seconds, 2),
        "index_build_s": round(build_seconds, 3),
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "batched_ms_per_query": round(batch_ms, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "queries": len(timings),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encoders", nargs="+", default=[get_kb_settings().encoder])
    parser.add_argument(
        "--parts", nargs="+", choices=["retrieval", "turns"], default=["retrieval", "turns"]
    )
    parser.add_argument("--one", nargs=2, metavar=("MODE", "ENCODER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return 0
    figures: dict[str, Any] = {}
    if "retrieval" in args.parts:
        figures["retrieval"] = retrieval(args.encoders)
    if "turns" in args.parts:
        from knowledge_base import turn_bench

        turns = turn_bench.run()
        if "turn_bench" in turns:
            print(turns["turn_bench"])
        else:
            print(turn_bench.table(turns))
        figures.update(turns)
    figures.update(first_run_and_training())
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {REPORT}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


FIRST_RUN_TARGET_S = 720
TIMINGS_DIR = REPO_ROOT / "build" / "timings"


def first_run_and_training() -> dict[str, Any]:
    """Training times measured by ``scripts.bench_training`` (run just before by ``make bench``) and
    the last time ``make run`` took to "all up", printed next to their targets."""
    figures: dict[str, Any] = {}
    training = TIMINGS_DIR / "bench_training.json"
    if training.exists():
        figures.update(json.loads(training.read_text("utf-8")))
    run = TIMINGS_DIR / "run.json"
    if run.exists():
        last = json.loads(run.read_text("utf-8"))
        figures["make_run_to_all_up_s"] = last.get("seconds_to_all_up")
        figures["make_run_fresh_install"] = last.get("fresh_install")
        figures["make_run_target_s"] = FIRST_RUN_TARGET_S
    rows = [
        ("training from scratch", "train_from_scratch_s", "train_from_scratch_target_s"),
        ("retrain after NLU edit", "train_after_nlu_edit_s", "train_after_nlu_edit_target_s"),
        ("make run to all up (last)", "make_run_to_all_up_s", "make_run_target_s"),
    ]
    print(f"{'first run and training':28}{'measured s':>12}{'target s':>10}")
    for label, key, target in rows:
        print(f"{label:28}{figures.get(key, '-')!s:>12}{figures.get(target, '-')!s:>10}")
    return figures


def retrieval(encoders: list[str]) -> list[dict[str, Any]]:
    """Measure every retrieval configuration in its own subprocess and print the table."""
    configs = [("lexical", encoders[0])]
    configs += [(mode, name) for name in encoders for mode in ("hybrid", "dense")]
    rows = []
    for mode, name in configs:
        out = subprocess.run(
            [sys.executable, "-m", "knowledge_base.bench", "--one", mode, name],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    header = (
        f"{'config':<14}{'build s':>9}{'load s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'batch ms':>9}{'RSS MB':>8}{'loadavg':>8}"
    )
    print(header)
    for row in rows:
        label = row["mode"] if row["encoder"] is None else f"{row['mode']}/{row['encoder']}"
        print(
            f"{label:<14}{row['index_build_s']:>9}{row['model_load_s'] or '-':>8}{row['p50_ms']:>8}"
            f"{row['p95_ms']:>8}{row['batched_ms_per_query']:>9}{row['peak_rss_mb']:>8}"
            f"{row['load_average_1m']:>8}"
        )
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
