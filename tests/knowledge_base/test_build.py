"""Tests for the index build CLI: passages, versioned directories, --check."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base import build
from knowledge_base.encoder import HashEncoder
from knowledge_base.index import read_manifest
from knowledge_base.store import load_entries

ENTRY = """\
id: {id}
type: scenic_area
names: {{zh: {zh}, en: {en}}}
aliases: [{alias}]
description: {{zh: {zh}风景优美。, en: {en} is beautiful.}}
tags: [nature]
transport:
  value: {{zh: 乘大巴前往。, en: Take the coach.}}
  source: https://example.org/{id}
  last_verified: 2026-11-01
sources: [https://example.org/{id}]
"""


def write_entries(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for eid, zh, en, alias in [
        ("lake", "湖泊", "Blue Lake", "blue lake"),
        ("peak", "雪山", "Snow Peak", "snow peak"),
    ]:
        (directory / f"{eid}.yml").write_text(
            ENTRY.format(id=eid, zh=zh, en=en, alias=alias), encoding="utf-8"
        )
    return directory


def test_entry_passages_cover_names_descriptions_and_topics(tmp_path: Path) -> None:
    entry = load_entries(write_entries(tmp_path / "entries"))["lake"]
    fields = {(field, lang) for field, lang, _ in build.entry_passages(entry)}
    assert {
        ("names", "multi"),
        ("description", "zh"),
        ("description", "en"),
        ("tags", "en"),
        ("transport", "zh"),
        ("transport", "en"),
    } <= fields


def test_build_writes_version_dir_and_check_passes(tmp_path: Path) -> None:
    entries = write_entries(tmp_path / "entries")
    enc = HashEncoder(32)
    path = build.build_index(enc, entries, tmp_path / "kb")
    assert {p.name for p in path.iterdir()} == {"index.faiss", "passages.jsonl", "manifest.json"}
    assert (tmp_path / "kb" / "current").resolve() == path.resolve()
    assert read_manifest(tmp_path / "kb" / "current")["encoder_model_id"] == enc.model_id
    assert build.check(enc.model_id, entries, tmp_path / "kb") == ""


def test_check_reports_stale_and_other_encoder(tmp_path: Path) -> None:
    entries = write_entries(tmp_path / "entries")
    enc = HashEncoder(32)
    build.build_index(enc, entries, tmp_path / "kb")
    assert "encoder" in build.check(
        "another-model", entries, tmp_path / "kb"
    ) or "built with" in build.check("another-model", entries, tmp_path / "kb")
    (entries / "lake.yml").write_text((entries / "lake.yml").read_text() + "\n# edited\n")
    assert "changed" in build.check(enc.model_id, entries, tmp_path / "kb")


def test_build_keeps_only_recent_versions(tmp_path: Path) -> None:
    entries = write_entries(tmp_path / "entries")
    for _ in range(4):
        build.build_index(HashEncoder(32), entries, tmp_path / "kb", keep=2)
    versions = [p for p in (tmp_path / "kb").iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(versions) == 2


@pytest.mark.parametrize("exists", [False, True])
def test_main_check_exit_codes(tmp_path: Path, exists: bool) -> None:
    entries = write_entries(tmp_path / "entries")
    args = ["--encoder", "hash", "--entries", str(entries), "--root", str(tmp_path / "kb")]
    if exists:
        assert build.main(args) == 0
    assert build.main([*args, "--check"]) == (0 if exists else 1)


def test_check_reports_changed_passage_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = write_entries(tmp_path / "entries")
    build.build_index(HashEncoder(32), entries, tmp_path / "kb")
    monkeypatch.setattr(build, "PASSAGES_VERSION", build.PASSAGES_VERSION + 1)
    assert "passage layout" in build.check(HashEncoder(32).model_id, entries, tmp_path / "kb")
