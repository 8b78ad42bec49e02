"""The shared folder hash changes exactly when a hashed file's name or content changes."""

from __future__ import annotations

from pathlib import Path

from common.fingerprint import files_under, hash_files, hash_paths


def make_tree(root: Path) -> None:
    (root / "data" / "sub").mkdir(parents=True)
    (root / "data" / "a.yml").write_text("a", encoding="utf-8")
    (root / "data" / "sub" / "b.yml").write_text("b", encoding="utf-8")
    (root / "data" / "__pycache__").mkdir()
    (root / "data" / "__pycache__" / "c.pyc").write_bytes(b"c")
    (root / "config.yml").write_text("c", encoding="utf-8")


def test_files_under_lists_sorted_files_and_skips_pycache(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert files_under(tmp_path / "data") == [
        tmp_path / "data" / "a.yml",
        tmp_path / "data" / "sub" / "b.yml",
    ]
    assert files_under(tmp_path / "config.yml") == [tmp_path / "config.yml"]


def test_hash_tracks_content_and_names_only(tmp_path: Path) -> None:
    make_tree(tmp_path)
    first = hash_paths(tmp_path, ["config.yml", "data"])
    assert hash_paths(tmp_path, ["config.yml", "data"]) == first
    (tmp_path / "data" / "__pycache__" / "c.pyc").write_bytes(b"changed")
    (tmp_path / "README.md").write_text("outside the inputs", encoding="utf-8")
    assert hash_paths(tmp_path, ["config.yml", "data"]) == first
    (tmp_path / "data" / "sub" / "b.yml").rename(tmp_path / "data" / "sub" / "renamed.yml")
    assert hash_paths(tmp_path, ["config.yml", "data"]) != first


def test_boundaries_between_files_matter(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("ab", encoding="utf-8")
    (tmp_path / "y").write_text("", encoding="utf-8")
    joined = hash_files([tmp_path / "x", tmp_path / "y"], tmp_path)
    (tmp_path / "x").write_text("a", encoding="utf-8")
    (tmp_path / "y").write_text("b", encoding="utf-8")
    assert hash_files([tmp_path / "x", tmp_path / "y"], tmp_path) != joined
