"""The model fingerprint changes exactly when a training input changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from scripts import train_if_stale

ROOT = Path(__file__).resolve().parents[2]


def make_project(root: Path) -> None:
    for name in train_if_stale.INPUTS:
        source, target = ROOT / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)


def test_fingerprint_is_stable_and_tracks_nlu_data(tmp_path: Path) -> None:
    make_project(tmp_path)
    first = train_if_stale.fingerprint(tmp_path)
    assert train_if_stale.fingerprint(tmp_path) == first
    example = next((tmp_path / "nlu_data").rglob("*.yml"))
    example.write_text(example.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert train_if_stale.fingerprint(tmp_path) != first


def test_fingerprint_ignores_files_outside_the_inputs(tmp_path: Path) -> None:
    make_project(tmp_path)
    first = train_if_stale.fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("changed", encoding="utf-8")
    assert train_if_stale.fingerprint(tmp_path) == first


def test_fingerprint_tracks_knowledge_base_names(tmp_path: Path) -> None:
    make_project(tmp_path)
    first = train_if_stale.fingerprint(tmp_path)
    entry = tmp_path / "knowledge_base" / "data" / "entries" / "jiuzhaigou.yml"
    entry.write_text(
        entry.read_text(encoding="utf-8") + "# a new alias would go here\n", encoding="utf-8"
    )
    assert train_if_stale.fingerprint(tmp_path) != first
