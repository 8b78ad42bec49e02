"""Evaluate retrieval on ``eval/kb_questions.jsonl``: ``python -m knowledge_base.evaluate``.

Prints top-1 / top-5 / MRR overall and per language for hybrid, lexical-only and dense-only
retrieval with each encoder, plus how often unrelated questions are rejected (``[]``), and writes
``reports/kb_eval.json``. ``--calibrate`` grid-searches the "no good answer" thresholds.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from common.languages import SUPPORTED_LANGUAGES
from knowledge_base.build import encode_entries
from knowledge_base.encoder import REPO_ROOT, get_encoder
from knowledge_base.retriever import DISABLED, Hit, Retriever, Signals, Thresholds, evidence
from knowledge_base.store import DEFAULT_ENTRIES_DIR, load_entries

QUESTIONS = REPO_ROOT / "eval" / "kb_questions.jsonl"
REPORT = REPO_ROOT / "reports" / "kb_eval.json"
MODES = ("hybrid", "lexical", "dense")
# Calibration counts a wrong answer to an unrelated question this many times as much as a
# missed answer: telling a tourist something wrong is worse than saying "I don't know".
UNRELATED_WEIGHT = 2.0


@dataclass(frozen=True)
class Question:
    """One labelled question; ``expected`` None means "should return nothing"."""

    text: str
    lang: str
    expected: str | None
    kind: str = "unlabelled"


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    """Read the JSONL question set."""
    with path.open(encoding="utf-8") as fh:
        return [Question(**json.loads(line)) for line in fh if line.strip()]


def score(questions: Sequence[Question], results: Sequence[Sequence[Hit]]) -> dict[str, Any]:
    """top1/top5/MRR over answerable questions, rejection rate over unrelated ones, per language."""
    groups: dict[str, list[tuple[Question, list[str]]]] = defaultdict(list)
    for q, hits in zip(questions, results, strict=True):
        ids = [h.entry_id for h in hits]
        groups["all"].append((q, ids))
        groups[q.lang].append((q, ids))
        groups[f"kind:{q.kind}"].append((q, ids))
    return {name: _metrics(rows) for name, rows in groups.items()}


def _metrics(rows: Iterable[tuple[Question, list[str]]]) -> dict[str, Any]:
    top1 = top5 = rr = 0.0
    answerable = rejected = unrelated = correct = 0
    for q, ids in rows:
        if q.expected is None:
            unrelated += 1
            rejected += not ids
            correct += not ids
            continue
        answerable += 1
        if ids and ids[0] == q.expected:
            top1 += 1
            correct += 1
        if q.expected in ids[:5]:
            top5 += 1
            rr += 1 / (ids.index(q.expected) + 1)
    n = max(answerable, 1)
    return {
        "n": answerable,
        "top1": round(top1 / n, 3),
        "top5": round(top5 / n, 3),
        "mrr": round(rr / n, 3),
        "unrelated": unrelated,
        "rejected": round(rejected / unrelated, 3) if unrelated else None,
        "accuracy": round(correct / max(answerable + unrelated, 1), 3),
    }


def calibrate(
    retriever: Retriever, signals: Sequence[Signals], questions: Sequence[Question]
) -> Thresholds:
    """Thresholds maximising accuracy (top-1 right, or [] for unrelated); ties -> stricter.

    Thresholds only decide accept/reject, so the fused ranking is computed once and the grid is
    evaluated with numpy.
    """
    fused = [retriever.fuse(s, 1) for s in signals]
    top_right = np.array(
        [
            q.expected is not None and bool(f) and f[0].entry_id == q.expected
            for q, f in zip(questions, fused, strict=True)
        ]
    )
    unrelated = np.array([q.expected is None for q in questions])
    weight = np.where(unrelated, UNRELATED_WEIGHT, 1.0)
    ev = [evidence(s) for s in signals]
    gaz = np.array([e.gazetteer for e in ev])
    dense = np.array([e.dense for e in ev])
    cov = np.array([e.coverage for e in ev])
    comb = np.array([e.combined for e in ev])
    off = DISABLED
    d_grid = (
        [off]
        if retriever.mode == "lexical"
        else list(np.round(np.arange(0.0, 1.0, 0.01), 2)) + [off]
    )
    c_grid = (
        [off]
        if retriever.mode == "dense"
        else list(np.round(np.arange(0.2, 1.01, 0.05), 2)) + [off]
    )
    m_grid = (
        [off]
        if retriever.mode != "hybrid"
        else list(np.round(np.arange(0.3, 1.8, 0.02), 2)) + [off]
    )
    best: tuple[float, ...] | None = None
    for c in c_grid:
        for m in m_grid:
            base = gaz | (cov >= c) | (comb >= m)
            for d in d_grid:
                accept = base | (dense >= d)
                right = np.where(unrelated, ~accept, accept & top_right)
                acc = float(np.sum(right * weight) / np.sum(weight))
                key = (acc, d + c + m, d, c, m)
                if best is None or key[:2] > best[:2]:
                    best = key
    assert best is not None
    return Thresholds(dense=float(best[2]), coverage=float(best[3]), combined=float(best[4]))


def cross_validate(
    retriever: Retriever, signals: Sequence[Signals], questions: Sequence[Question], folds: int = 5
) -> dict[str, Any]:
    """Overall metrics with thresholds calibrated on the other folds (an honest estimate)."""
    saved = retriever.thresholds
    results: list[list[Hit]] = [[] for _ in questions]
    for fold in range(folds):
        train = [i for i in range(len(questions)) if i % folds != fold]
        retriever.thresholds = calibrate(
            retriever, [signals[i] for i in train], [questions[i] for i in train]
        )
        for i in range(fold, len(questions), folds):
            results[i] = retriever.decide(signals[i])
    retriever.thresholds = saved
    return score(questions, results)["all"]


def evaluate(
    encoders: Sequence[str], do_calibrate: bool, questions_path: Path = QUESTIONS
) -> dict[str, Any]:
    """Run every encoder x mode; returns the report."""
    questions = load_questions(questions_path)
    entries = load_entries(DEFAULT_ENTRIES_DIR)
    report: dict[str, Any] = {"questions": len(questions), "entries": len(entries), "runs": {}}
    for name in encoders:
        encoder = get_encoder(name)
        index = encode_entries(encoder, entries.values())
        for mode in MODES:
            if mode == "lexical" and name != encoders[0]:
                continue
            retriever = Retriever(entries, encoder, index, mode=mode)  # type: ignore[arg-type]
            started = time.perf_counter()
            signals = retriever.signals([q.text for q in questions])
            elapsed = time.perf_counter() - started
            cv = cross_validate(retriever, signals, questions) if do_calibrate else None
            if do_calibrate:
                retriever.thresholds = calibrate(retriever, signals, questions)
            results = [retriever.decide(s) for s in signals]
            key = "lexical" if mode == "lexical" else f"{mode}/{name}"
            report["runs"][key] = {
                "encoder": encoder.model_id if mode != "lexical" else None,
                "thresholds": vars(retriever.thresholds),
                "seconds": round(elapsed, 2),
                "metrics": score(questions, results),
                "cross_validated": cv,
                "misses": [
                    {"text": q.text, "expected": q.expected, "got": [h.entry_id for h in r[:3]]}
                    for q, r in zip(questions, results, strict=True)
                    if (q.expected is None and r)
                    or (q.expected is not None and (not r or r[0].entry_id != q.expected))
                ],
            }
    return report


def print_report(report: dict[str, Any]) -> None:
    """Human-readable table."""
    langs = ["all", *SUPPORTED_LANGUAGES]
    print(f"{report['questions']} questions, {report['entries']} entries")
    for key, run in report["runs"].items():
        m = run["metrics"]
        print(f"\n== {key}  thresholds={run['thresholds']}  ({run['seconds']} s)")
        print("      " + "".join(f"{lang:>8}" for lang in langs))
        for metric in ("top1", "top5", "mrr"):
            print(f"{metric:>6}" + "".join(f"{m[lang][metric]:>8.3f}" for lang in langs))
        print("reject" + "".join(f"{m[lang]['rejected'] or 0:>8.3f}" for lang in langs))
        if run.get("cross_validated"):
            cv = run["cross_validated"]
            print(
                f"  5-fold cross-validated thresholds: top1={cv['top1']} top5={cv['top5']} "
                f"rejected={cv['rejected']} accuracy={cv['accuracy']}"
            )
        kinds = {k: v for k, v in m.items() if k.startswith("kind:")}
        print(
            "  by kind: "
            + ", ".join(f"{k[5:]} top1={v['top1']}" for k, v in kinds.items() if v["n"])
        )


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encoders", nargs="+", default=["use", "e5"])
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--misses", action="store_true", help="print the misses too")
    parser.add_argument(
        "--questions", type=Path, default=QUESTIONS, help="labelled questions (JSON lines)"
    )
    args = parser.parse_args(argv)
    if args.calibrate and args.questions != QUESTIONS:
        parser.error("calibrate only on eval/kb_questions.jsonl; other sets are for measuring")
    report = evaluate(args.encoders, args.calibrate, args.questions)
    report["questions_file"] = str(
        args.questions.relative_to(REPO_ROOT) if args.questions.is_absolute() else args.questions
    )
    print_report(report)
    if args.misses:
        for key, run in report["runs"].items():
            print(f"\n-- misses {key}")
            for miss in run["misses"]:
                print(f"  {miss}")
    target = (
        REPORT
        if args.questions == QUESTIONS
        else REPORT.with_name(f"kb_eval_{args.questions.stem}.json")
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
