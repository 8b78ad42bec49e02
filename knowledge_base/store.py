"""Load knowledge-base entries from their YAML files.

One entry per file under ``knowledge_base/data/entries/``; the file name is the entry id plus
``.yml``. :func:`corpus_hash` fingerprints the files so an index manifest can tell when it is stale.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from common.fingerprint import hash_files
from knowledge_base.schema import Entry

DEFAULT_ENTRIES_DIR: Path = Path(__file__).resolve().parent / "data" / "entries"
ENTRY_SUFFIX = ".yml"


class KnowledgeBaseError(ValueError):
    """An entry file could not be read, parsed or validated; the message names the file."""


def entry_files(directory: Path = DEFAULT_ENTRIES_DIR) -> list[Path]:
    """Entry files in ``directory``, sorted by name."""
    return sorted(p for p in Path(directory).glob(f"*{ENTRY_SUFFIX}") if p.is_file())


def read_raw(path: Path) -> dict:
    """Parse one YAML file into a mapping, raising :class:`KnowledgeBaseError` on failure."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{path.name}: expected a mapping at the top level")
    return data


def parse_entry(path: Path) -> Entry:
    """Read and validate one entry file."""
    data = read_raw(path)
    try:
        return Entry.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"{path.name}: schema error: {exc}") from exc


def load_entries(directory: Path = DEFAULT_ENTRIES_DIR) -> dict[str, Entry]:
    """All entries in ``directory`` keyed by id, in id order.

    Raises :class:`KnowledgeBaseError` naming the file on a YAML or schema error, a duplicate id,
    or an id that differs from the file name.
    """
    entries: dict[str, Entry] = {}
    for path in entry_files(directory):
        entry = parse_entry(path)
        if entry.id != path.stem:
            raise KnowledgeBaseError(f"{path.name}: id '{entry.id}' differs from the file name")
        if entry.id in entries:
            raise KnowledgeBaseError(f"{path.name}: duplicate id '{entry.id}'")
        entries[entry.id] = entry
    return dict(sorted(entries.items()))


def corpus_hash(directory: Path = DEFAULT_ENTRIES_DIR) -> str:
    """SHA-256 over the sorted entry file names and their bytes."""
    return hash_files(entry_files(directory), Path(directory))
