"""Content hashes of files and folders, to tell when something built from them is stale."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_under(path: Path, pattern: str = "*") -> list[Path]:
    """Files matching ``pattern`` under the folder ``path`` (recursively, sorted), skipping ``__pycache__``.

    A path that is not a folder is returned as it is, so a list of inputs may mix files and folders.
    """
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def hash_files(files: Iterable[Path], root: Path) -> str:
    """SHA-256 (hex) over each file's path relative to ``root`` and its bytes, in the given order."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode("utf-8"))
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def hash_paths(root: Path, names: Iterable[str], pattern: str = "*") -> str:
    """SHA-256 (hex) of the files and folders ``names`` (relative to ``root``), in the given order."""
    return hash_files((f for name in names for f in files_under(root / name, pattern)), root)
