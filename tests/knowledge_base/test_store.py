"""Tests for the knowledge-base loader and corpus hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.store import DEFAULT_ENTRIES_DIR, KnowledgeBaseError, corpus_hash, load_entries

MINIMAL = """\
id: {id}
type: scenic_area
names: {{zh: 测试{id}, en: Test {id}}}
description: {{zh: 测试。, en: Test.}}
sources: [https://example.org/{id}]
"""


def _write(directory: Path, entry_id: str, text: str | None = None) -> Path:
    path = directory / f"{entry_id}.yml"
    path.write_text(text if text is not None else MINIMAL.format(id=entry_id), encoding="utf-8")
    return path


def test_load_entries_sorted_by_id(tmp_path: Path) -> None:
    for entry_id in ("b", "a", "c"):
        _write(tmp_path, entry_id)
    entries = load_entries(tmp_path)
    assert list(entries) == ["a", "b", "c"]
    assert entries["a"].names.en == "Test a"


def test_load_entries_names_file_on_yaml_error(tmp_path: Path) -> None:
    _write(tmp_path, "broken", "id: broken\nnames: [unclosed\n")
    with pytest.raises(KnowledgeBaseError, match="broken.yml"):
        load_entries(tmp_path)


def test_load_entries_names_file_on_schema_error(tmp_path: Path) -> None:
    _write(tmp_path, "bad", MINIMAL.format(id="bad").replace("type: scenic_area", "type: volcano"))
    with pytest.raises(KnowledgeBaseError, match=r"bad\.yml: schema error"):
        load_entries(tmp_path)


def test_load_entries_rejects_id_not_matching_file(tmp_path: Path) -> None:
    _write(tmp_path, "one", MINIMAL.format(id="two"))
    with pytest.raises(KnowledgeBaseError, match="one.yml: id 'two' differs"):
        load_entries(tmp_path)


def test_corpus_hash_changes_with_content_and_names(tmp_path: Path) -> None:
    path = _write(tmp_path, "a")
    first = corpus_hash(tmp_path)
    assert first == corpus_hash(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "tags: [x]\n", encoding="utf-8")
    second = corpus_hash(tmp_path)
    assert second != first
    path.rename(tmp_path / "z.yml")
    assert corpus_hash(tmp_path) != second
    _write(tmp_path, "new")
    assert len(corpus_hash(tmp_path)) == 64


def test_corpus_hash_ignores_non_entry_files(tmp_path: Path) -> None:
    _write(tmp_path, "a")
    before = corpus_hash(tmp_path)
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert corpus_hash(tmp_path) == before


def test_default_directory_loads() -> None:
    entries = load_entries()
    assert DEFAULT_ENTRIES_DIR.is_dir()
    assert "jiuzhaigou" in entries
