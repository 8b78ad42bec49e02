"""Measures Rasa training time from scratch and after an edit of the NLU data (``make bench``).

Both runs happen in a temporary copy of the model's inputs, so neither the project's model, its Rasa
cache (``.rasa/cache``) nor its embedding cache (``build/embeddings``) is used or touched:

1. from scratch: empty Rasa cache, empty embedding cache (as on a fresh clone);
2. after an edit: one new training example appended to one NLU file, then a retrain with the caches
   the first run filled (as a developer's retrain after editing data).

The figures are printed next to the targets and written to ``build/timings/bench_training.json``,
which ``knowledge_base.bench`` folds into its final JSON line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.train_if_stale import INPUTS, ROOT, rasa_train_command

TARGET_FROM_SCRATCH_S = 300.0
TARGET_AFTER_EDIT_S = 120.0
OUTPUT = ROOT / "build" / "timings" / "bench_training.json"
EDITED_FILE = Path("nlu_data") / "en" / "nlu.yml"
NEW_EXAMPLE = "\n- intent: greet\n  examples: |\n    - hello there, bench run {stamp}\n"


def copy_inputs(target: Path) -> None:
    """Copies every input of the model (see ``train_if_stale.INPUTS``) into ``target``."""
    for name in INPUTS:
        source = ROOT / name
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination)


def train(workdir: Path, cache: Path, name: str) -> float:
    """Trains in ``workdir`` with the Rasa cache ``cache``; returns the wall-clock seconds."""
    command = rasa_train_command("models", name)
    # The project's own code (components, common/) is imported from the repository itself.
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    subprocess.run(command, cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main() -> int:
    """Runs both measurements and prints them next to the targets."""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        workdir, cache = Path(tmp) / "project", Path(tmp) / "rasa-cache"
        copy_inputs(workdir)
        print("==> [bench] training from scratch in a temporary copy (empty caches)", flush=True)
        from_scratch = train(workdir, cache, "scratch")
        with (workdir / EDITED_FILE).open("a", encoding="utf-8") as handle:
            handle.write(NEW_EXAMPLE.format(stamp=int(time.time())))
        print("==> [bench] retraining after adding one NLU example", flush=True)
        after_edit = train(workdir, cache, "edited")
    figures = {
        "train_from_scratch_s": round(from_scratch, 1),
        "train_after_nlu_edit_s": round(after_edit, 1),
        "train_from_scratch_target_s": TARGET_FROM_SCRATCH_S,
        "train_after_nlu_edit_target_s": TARGET_AFTER_EDIT_S,
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"{'training':28} {'measured':>10} {'target':>10}")
    print(f"{'from scratch':28} {from_scratch:>9.0f}s {TARGET_FROM_SCRATCH_S:>9.0f}s")
    print(f"{'after editing NLU data':28} {after_edit:>9.0f}s {TARGET_AFTER_EDIT_S:>9.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
