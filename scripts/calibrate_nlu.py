"""Chooses the out-of-scope gate and fallback thresholds on the development set (eval/dev).

The dev set is written independently of the training data and of the held-out set; the public
benchmarks are never used for calibration. For every dev message the trained model's own intent
(before the gate), its confidence, its best in-scope intent and the similarities to the nearest
in-scope and out-of-scope training examples are recorded; then every combination of the gate's
``threshold``, ``reject_margin`` and ``override_margin`` and the fallback threshold is simulated, and
the combination with the best accuracy among those that wrongly reject at most
``--max-in-scope-rejected`` of in-scope messages is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from predict_nlu import current_model, load_agent  # noqa: E402

from bot.components.out_of_scope_gate import KEEP, OVERRIDE, REJECT, gate_decision, in_scope_ranking  # noqa: E402

DEV = ROOT / "eval" / "dev"
OFF = None
GATES = [x / 100 for x in range(20, 61, 4)]
REJECT_MARGINS = [OFF, *[x / 100 for x in range(-20, 11, 5)]]
OVERRIDE_MARGINS = [OFF, *[x / 100 for x in range(0, 31, 5)]]
FALLBACKS = [x / 100 for x in range(10, 61, 5)]


async def observe(agent: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per row: gold intent, classifier intent/confidence, best in-scope intent, both similarities."""
    seen = []
    for row in rows:
        parsed = await agent.parse_message(row["text"])
        raw = parsed.get("classifier_intent") or parsed.get("intent") or {}
        rescued = in_scope_ranking(parsed.get("classifier_ranking") or parsed.get("intent_ranking") or [])
        seen.append(
            {
                "gold": row["intent"],
                "intent": raw.get("name"),
                "confidence": float(raw.get("confidence") or 0.0),
                "rescued": rescued[0]["name"] if rescued else "out_of_scope",
                "rescued_confidence": rescued[0]["confidence"] if rescued else 0.0,
                "in_similarity": float(parsed.get("in_scope_similarity", 1.0)),
                "out_similarity": float(parsed.get("out_of_scope_similarity", -1.0)),
            }
        )
    return seen


def decide(s: dict[str, Any], gate: float, reject_margin: float | None, override_margin: float | None, fallback: float) -> str:
    """The final intent the pipeline would give for one observed message (the gate's own rule, then
    FallbackClassifier's threshold)."""
    decision = gate_decision(s["intent"], s["in_similarity"], s["out_similarity"], gate, reject_margin, override_margin)
    intent, confidence = s["intent"], s["confidence"]
    if decision == REJECT or (decision == KEEP and intent == "out_of_scope"):
        return "out_of_scope"
    if decision == OVERRIDE:
        if s["rescued"] == "out_of_scope":
            return "out_of_scope"
        intent, confidence = s["rescued"], s["rescued_confidence"]
    return "nlu_fallback" if confidence < fallback else intent


def simulate(seen: list[dict[str, Any]], *params: Any) -> dict[str, float]:
    """Accuracy and rejection rates for one combination of thresholds."""
    correct = in_total = in_rejected = oos_total = oos_rejected = 0
    for s in seen:
        predicted = decide(s, *params)
        rejected = predicted in ("out_of_scope", "nlu_fallback")
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


def sweep(seen: list[dict[str, Any]], max_in_scope_rejected: float) -> tuple[tuple[Any, ...], dict[str, float]] | None:
    """The best combination (by accuracy) within the in-scope rejection budget."""
    best: tuple[tuple[Any, ...], dict[str, float]] | None = None
    for params in itertools.product(GATES, REJECT_MARGINS, OVERRIDE_MARGINS, FALLBACKS):
        result = simulate(seen, *params)
        if result["in_scope_rejected"] <= max_in_scope_rejected and (best is None or result["accuracy"] > best[1]["accuracy"]):
            best = (params, result)
    return best


def describe(params: tuple[Any, ...]) -> str:
    """One line naming the four values."""
    gate, reject_margin, override_margin, fallback = params
    return (
        f"threshold={gate:.2f} reject_margin={reject_margin} override_margin={override_margin} "
        f"fallback={fallback:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Prints the current setting, the sweep's best combination and its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-in-scope-rejected", type=float, default=0.03)
    parser.add_argument("--save", type=Path, default=None, help="also write the observations as JSON lines")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for path in sorted(DEV.glob("*.jsonl")) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if not rows:
        raise SystemExit(f"no development set in {DEV}")
    seen = asyncio.run(observe(load_agent(current_model()), rows))
    if args.save:
        args.save.write_text("\n".join(json.dumps(s) for s in seen) + "\n", encoding="utf-8")
    print(f"dev set: {len(rows)} messages")
    print(f"  in-scope similarity of out-of-scope messages (median): {np.median([s['in_similarity'] for s in seen if s['gold'] == 'out_of_scope']):.3f}")
    for label, params in (("no gate, no fallback", (0.0, OFF, OFF, 0.0)), ("gate only", (0.40, OFF, OFF, 0.30))):
        r = simulate(seen, *params)
        print(f"{label:22} {describe(params)} acc={r['accuracy']:.3f} oos_rej={r['oos_rejected']:.3f} in_rej={r['in_scope_rejected']:.3f}")
    best = sweep(seen, args.max_in_scope_rejected)
    if best:
        params, r = best
        print(f"{'best':22} {describe(params)} acc={r['accuracy']:.3f} oos_rej={r['oos_rejected']:.3f} in_rej={r['in_scope_rejected']:.3f}")
        print(f"recommended: OutOfScopeGate {describe(params)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
