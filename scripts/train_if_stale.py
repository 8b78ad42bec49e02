"""Trains the Rasa model only when its inputs changed.

The model is named after a hash of everything that shapes it (pipeline, domain, stories, rules, NLU
data, custom components, jieba dictionary, knowledge-base names), so an up-to-date model is found without retraining.
``models/current`` holds the file name of the model to serve.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from common.fingerprint import hash_paths

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
CURRENT = MODELS / "current"
INPUTS = [
    "config.yml", "bot/domain", "bot/data", "nlu_data", "bot/components", "bot/jieba_dict",
    # the gazetteer stores the knowledge base's names in the model, folded by this shared code
    "knowledge_base/data/entries", "knowledge_base/textfold.py", "knowledge_base/aliases.py",
]
TRAIN_DATA = ["bot/data", "nlu_data"]


def fingerprint(root: Path = ROOT) -> str:
    """A short hash of every file that shapes the model."""
    return hash_paths(root, INPUTS)[:16]


def model_path() -> Path:
    """Path of the model that matches the current inputs (may not exist yet)."""
    return MODELS / f"tianfu-{fingerprint()}.tar.gz"


def main() -> int:
    """Trains when needed, then points ``models/current`` at the up-to-date model."""
    target = model_path()
    if target.exists():
        print(f"==> [train] model up to date: {target.relative_to(ROOT)}")
    else:
        print(f"==> [train] training {target.name} (inputs changed or no model yet)", flush=True)
        started = time.monotonic()
        rasa = Path(sys.executable).with_name("rasa")
        command = [
            str(rasa), "train", "--config", "config.yml", "--domain", "bot/domain",
            "--data", *TRAIN_DATA, "--out", str(MODELS), "--fixed-model-name", target.name[:-7],
        ]
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode != 0 or not target.exists():
            print("==> [train] training failed", file=sys.stderr)
            return result.returncode or 1
        print(f"==> [train] trained in {time.monotonic() - started:.0f} s")
    CURRENT.write_text(target.name + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
