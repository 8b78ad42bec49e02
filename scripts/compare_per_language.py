"""One multilingual model or one model per language? Trains an NLU model per language with the same
pipeline and compares it with the multilingual model on the held-out and development sets.

Usage: python scripts/compare_per_language.py   (writes reports/per_language.json and prints a table)
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common.languages import SUPPORTED_LANGUAGES
from scripts.eval_nlu import read_jsonl
from scripts.predict_nlu import current_model, load_agent, predict_rows

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "per_language"
SETS = {"heldout": ROOT / "eval" / "heldout", "dev": ROOT / "eval" / "dev"}


def accuracy(agent: Any, rows: list[dict[str, Any]]) -> float:
    """Share of rows whose predicted intent is the gold one (out_of_scope/nlu_fallback as rejections)."""
    predicted = asyncio.run(predict_rows(agent, rows))
    hits = 0
    for row in predicted:
        gold, guess = row["intent"], row["pred_intent"]
        hits += guess == gold or (gold == "out_of_scope" and guess == "nlu_fallback")
    return round(hits / len(predicted), 4)


def train(lang: str) -> tuple[Path, float]:
    """Trains the NLU-only model of one language; returns its path and the training seconds."""
    model = OUT / f"nlu-{lang}.tar.gz"
    started = time.monotonic()
    if not model.exists():
        rasa = Path(sys.executable).with_name("rasa")
        subprocess.run(
            [
                str(rasa),
                "train",
                "nlu",
                "--config",
                "config.yml",
                "--nlu",
                f"nlu_data/{lang}",
                "--out",
                str(OUT),
                "--fixed-model-name",
                f"nlu-{lang}",
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return model, round(time.monotonic() - started, 1)


def main() -> int:
    """Prints per-language accuracy for both set-ups."""
    OUT.mkdir(parents=True, exist_ok=True)
    multilingual = load_agent(current_model())
    report: dict[str, Any] = {}
    for lang in SUPPORTED_LANGUAGES:
        model, seconds = train(lang)
        single = load_agent(model)
        report[lang] = {"train_seconds": seconds}
        for name, folder in SETS.items():
            path = folder / f"{lang}.jsonl"
            if path.exists():
                rows = read_jsonl(path)
                report[lang][name] = {
                    "per_language": accuracy(single, rows),
                    "multilingual": accuracy(multilingual, rows),
                }
        print(lang, json.dumps(report[lang]), flush=True)
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "per_language.json").write_text(
        json.dumps(report, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
