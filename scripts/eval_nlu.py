"""NLU evaluation: our held-out sets and the public benchmarks (test data only, never trained on).

Writes reports/nlu_eval.json, reports/nlu_eval.md and one confusion-matrix PNG per set, and appends
the headline figures to reports/nlu_trend.jsonl (one line per run, with the git commit).

Figures per set: accuracy overall and per language, per-intent precision/recall/F1, language-ID
accuracy, and for out-of-scope: the share of out-of-scope messages rejected (predicted
``out_of_scope`` or ``nlu_fallback``) and the share of in-scope messages wrongly rejected.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from common.intents import as_inventory_intent
from scripts.predict_nlu import current_model, load_agent, predict_rows

ROOT = Path(__file__).resolve().parent.parent

BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
HELD_OUT = ROOT / "eval" / "heldout"
REPORTS = ROOT / "reports"
REJECTED = {"out_of_scope", "nlu_fallback"}
BENCHMARK_SETS = (
    "nlu_crosswoz_zh",
    "nlu_crosswoz_en",
    "nlu_kdconv_zh",
    "nlu_massive_zh",
    "nlu_massive_en",
    "nlu_xsid",
    "oos_clinc_en",
)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def intent_scores(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per gold intent (nlu_fallback counts as a wrong answer)."""
    true_pos: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for row in rows:
        gold[row["intent"]] += 1
        predicted[row["pred_intent"]] += 1
        if row["pred_intent"] == row["intent"]:
            true_pos[row["intent"]] += 1
    scores = {}
    for intent in sorted(gold):
        precision = true_pos[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = true_pos[intent] / gold[intent]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": gold[intent],
        }
    return scores


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Headline figures of one evaluated set."""
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_lang[row.get("lang", "und")].append(row)
    oos = [r for r in rows if r["intent"] == "out_of_scope"]
    in_scope = [r for r in rows if r["intent"] != "out_of_scope"]
    return {
        "n": len(rows),
        "accuracy": _accuracy(rows),
        "accuracy_by_language": {lang: _accuracy(group) for lang, group in sorted(by_lang.items())},
        "language_id_accuracy": round(
            sum(r["pred_language"] == r.get("lang") for r in rows) / len(rows), 4
        ),
        "oos_rejected": round(sum(r["pred_intent"] in REJECTED for r in oos) / len(oos), 4)
        if oos
        else None,
        "in_scope_rejected": round(
            sum(r["pred_intent"] in REJECTED for r in in_scope) / len(in_scope), 4
        )
        if in_scope
        else None,
        "intents": intent_scores(rows),
        "confusions": Counter(
            f"{r['intent']} -> {r['pred_intent']}" for r in rows if r["intent"] != r["pred_intent"]
        ).most_common(15),
    }


def _accuracy(rows: list[dict[str, Any]]) -> float:
    return round(sum(r["pred_intent"] == r["intent"] for r in rows) / len(rows), 4)


def plot_confusion(rows: list[dict[str, Any]], title: str, path: Path) -> None:
    """Saves a row-normalised confusion matrix as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = sorted({r["intent"] for r in rows} | {r["pred_intent"] for r in rows})
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)))
    for row in rows:
        matrix[index[row["intent"]], index[row["pred_intent"]]] += 1
    matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = max(6, len(labels) * 0.45)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def commit() -> str:
    """Short hash of HEAD (with -dirty when the tree has changes)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Evaluates every set and writes the reports."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="*", default=None, help="names to evaluate (default: all)")
    args = parser.parse_args(argv)
    sets: dict[str, list[dict[str, Any]]] = {}
    held_out = [row for path in sorted(HELD_OUT.glob("*.jsonl")) for row in read_jsonl(path)]
    if held_out:
        sets["heldout"] = held_out
    for name in BENCHMARK_SETS:
        path = BENCHMARKS / f"{name}.jsonl"
        if path.exists():
            sets[name] = read_jsonl(path)
    if args.sets:
        sets = {name: rows for name, rows in sets.items() if name in args.sets}
    REPORTS.mkdir(exist_ok=True)
    agent = load_agent(current_model())
    report: dict[str, Any] = {"model": current_model().name, "commit": commit(), "sets": {}}
    for name, rows in sets.items():
        started = time.monotonic()
        predicted = asyncio.run(predict_rows(agent, rows))
        for row in predicted:  # the sets use the 23-intent inventory (common/intents.py)
            row["pred_intent_raw"] = row["pred_intent"]
            row["pred_intent"] = as_inventory_intent(row["pred_intent"], row["intent"])
        summary = summarise(predicted)
        summary["seconds"] = round(time.monotonic() - started, 1)
        report["sets"][name] = summary
        plot_confusion(predicted, f"{name} (n={len(rows)})", REPORTS / f"confusion_{name}.png")
        print(
            f"{name:18} n={summary['n']:5} acc={summary['accuracy']:.3f} langid={summary['language_id_accuracy']:.3f} "
            f"oos_rej={summary['oos_rejected']} in_rej={summary['in_scope_rejected']} by_lang={summary['accuracy_by_language']}",
            flush=True,
        )
    (REPORTS / "nlu_eval.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    with (REPORTS / "nlu_trend.jsonl").open("a", encoding="utf-8") as trend:
        headline = {
            name: {k: s[k] for k in ("accuracy", "oos_rejected", "in_scope_rejected")}
            for name, s in report["sets"].items()
        }
        trend.write(
            json.dumps(
                {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "commit": report["commit"], **headline}
            )
            + "\n"
        )
    print(f"report: {REPORTS / 'nlu_eval.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
