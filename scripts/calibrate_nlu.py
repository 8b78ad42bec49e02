"""Chooses the out-of-scope gate and fallback thresholds on the development set (eval/dev).

The dev set is written independently of the training data and of the held-out set; the public
benchmarks are never used for calibration. For every dev message the trained model's own intent
(before the gate), its confidence and the similarity to the nearest in-scope example are recorded;
then every (gate, fallback) pair is simulated and the pair with the best accuracy among those that
wrongly reject at most ``--max-in-scope-rejected`` of in-scope messages is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from predict_nlu import current_model, load_agent  # noqa: E402

DEV = ROOT / "eval" / "dev"
REJECTED = {"out_of_scope", "nlu_fallback"}


async def observe(agent: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gold intent, classifier intent/confidence and in-scope similarity per row."""
    seen = []
    for row in rows:
        parsed = await agent.parse_message(row["text"])
        raw = parsed.get("classifier_intent") or parsed.get("intent") or {}
        seen.append(
            {
                "gold": row["intent"],
                "intent": raw.get("name"),
                "confidence": float(raw.get("confidence") or 0.0),
                "similarity": float(parsed.get("in_scope_similarity", 1.0)),
            }
        )
    return seen


def simulate(seen: list[dict[str, Any]], gate: float, fallback: float) -> dict[str, float]:
    """Accuracy and rejection rates for one pair of thresholds."""
    correct = in_total = in_rejected = oos_total = oos_rejected = 0
    for s in seen:
        predicted = s["intent"]
        if s["similarity"] < gate:
            predicted = "out_of_scope"
        elif s["confidence"] < fallback:
            predicted = "nlu_fallback"
        rejected = predicted in REJECTED
        if s["gold"] == "out_of_scope":
            oos_total += 1
            oos_rejected += rejected
            correct += rejected
        else:
            in_total += 1
            in_rejected += rejected
            correct += predicted == s["gold"]
    return {
        "accuracy": correct / len(seen),
        "in_scope_rejected": in_rejected / max(in_total, 1),
        "oos_rejected": oos_rejected / max(oos_total, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Prints the sweep and the recommended thresholds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-in-scope-rejected", type=float, default=0.03)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for path in sorted(DEV.glob("*.jsonl")) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if not rows:
        raise SystemExit(f"no development set in {DEV}")
    seen = asyncio.run(observe(load_agent(current_model()), rows))
    best: tuple[float, float, dict[str, float]] | None = None
    for gate in [x / 100 for x in range(20, 66, 2)]:
        for fallback in [x / 100 for x in range(10, 71, 5)]:
            result = simulate(seen, gate, fallback)
            if result["in_scope_rejected"] <= args.max_in_scope_rejected and (best is None or result["accuracy"] > best[2]["accuracy"]):
                best = (gate, fallback, result)
    print(f"dev set: {len(rows)} messages")
    for gate, fallback in [(0.0, 0.0), (0.5, 0.45)] + ([(best[0], best[1])] if best else []):
        r = simulate(seen, gate, fallback)
        print(f"gate={gate:.2f} fallback={fallback:.2f} acc={r['accuracy']:.3f} oos_rej={r['oos_rejected']:.3f} in_rej={r['in_scope_rejected']:.3f}")
    if best:
        print(f"recommended: OutOfScopeGate threshold {best[0]:.2f}, FallbackClassifier threshold {best[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
