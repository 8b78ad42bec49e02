"""Trains the Rasa model only when its inputs changed.

The model is named after a hash of everything that shapes it (pipeline, domain, stories, rules, NLU
data, custom components, jieba dictionary, knowledge-base names), so an up-to-date model is found without retraining.
``models/current`` holds the file name of the model to serve.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from common.fingerprint import hash_paths

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
CURRENT = MODELS / "current"
INPUTS = [
    "config.yml",
    "bot/domain",
    "bot/data",
    "nlu_data",
    "bot/components",
    "bot/jieba_dict",
    # the gazetteer stores the knowledge base's names in the model, folded by this shared code
    "knowledge_base/data/entries",
    "knowledge_base/textfold.py",
    "knowledge_base/aliases.py",
    # the components import the shared language list and helpers
    "common",
]
TRAIN_DATA = ["bot/data", "nlu_data"]
RASA_CACHE = ROOT / ".rasa" / "cache"
EMBEDDING_CACHE = ROOT / "build" / "embeddings"
TIMINGS = ROOT / "build" / "timings" / "train.json"


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def record_timing(seconds: float, from_scratch: bool) -> None:
    """Appends this training run's duration to ``build/timings/train.json`` (read by make bench)."""
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(TIMINGS.read_text("utf-8")) if TIMINGS.exists() else []
    runs.append(
        {
            "seconds": round(seconds, 1),
            "from_scratch": from_scratch,
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    )
    TIMINGS.write_text(json.dumps(runs[-50:], indent=1) + "\n", encoding="utf-8")


def fingerprint(root: Path = ROOT) -> str:
    """A short hash of every file that shapes the model."""
    return hash_paths(root, INPUTS)[:16]


def model_path() -> Path:
    """Path of the model that matches the current inputs (may not exist yet)."""
    return MODELS / f"tianfu-{fingerprint()}.tar.gz"


def rasa_train_command(out: str, name: str) -> list[str]:
    """``rasa train`` of this project's model into ``out``/``name``.tar.gz (run from the inputs' folder).

    Validation is ``make validate`` (part of ``make test``); here it would cost half a minute more.
    """
    rasa = Path(sys.executable).with_name("rasa")
    return [
        str(rasa), "train", "--config", "config.yml", "--domain", "bot/domain", "--data", *TRAIN_DATA,
        "--out", out, "--fixed-model-name", name, "--skip-validation",
    ]  # fmt: skip


def main() -> int:
    """Trains when needed, then points ``models/current`` at the up-to-date model."""
    target = model_path()
    if target.exists():
        print(f"==> [train] model up to date: {target.relative_to(ROOT)}")
    else:
        print(f"==> [train] training {target.name} (inputs changed or no model yet)", flush=True)
        started = time.monotonic()
        from_scratch = not _has_files(RASA_CACHE) and not _has_files(EMBEDDING_CACHE)
        command = rasa_train_command(str(MODELS), target.name[:-7])
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode != 0 or not target.exists():
            print("==> [train] training failed", file=sys.stderr)
            return result.returncode or 1
        seconds = time.monotonic() - started
        record_timing(seconds, from_scratch)
        print(
            f"==> [train] trained in {seconds:.0f} s ({'from scratch' if from_scratch else 'with caches'})"
        )
    CURRENT.write_text(target.name + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
