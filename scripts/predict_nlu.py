"""Adds pred_intent, pred_confidence and pred_language to every JSON row of a file.

Usage: python scripts/predict_nlu.py IN.jsonl OUT.jsonl [--model models/x.tar.gz]
Uses the trained Rasa model (``models/current`` by default); rows keep their order and fields.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def current_model() -> Path:
    """The model ``make train`` last pointed ``models/current`` at."""
    pointer = ROOT / "models" / "current"
    if not pointer.exists():
        raise SystemExit("no trained model: run `make train` first")
    return ROOT / "models" / pointer.read_text(encoding="utf-8").strip()


def load_agent(model: Path) -> Any:
    """Loads the Rasa agent (NLU part only is used), with Rasa's own logging kept to warnings."""
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    return Agent.load(str(model))


async def predict_rows(agent: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parses each row's text; returns new rows with the three prediction fields appended."""
    out = []
    for row in rows:
        parsed = await agent.parse_message(str(row.get("text", "")))
        intent = parsed.get("intent") or {}
        out.append(
            {
                **row,
                "pred_intent": intent.get("name"),
                "pred_confidence": round(float(intent.get("confidence") or 0.0), 4),
                "pred_language": parsed.get("language", "und"),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Reads IN, predicts, writes OUT."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    rows = [
        json.loads(line)
        for line in args.input.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    started = time.monotonic()
    agent = load_agent(args.model or current_model())
    predicted = asyncio.run(predict_rows(agent, rows))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as handle:
        for row in predicted:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"predicted {len(rows)} rows in {time.monotonic() - started:.1f} s -> {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
