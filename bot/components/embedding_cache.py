"""A cache of sentence embeddings on disk, keyed by encoder version and text.

Training encodes every example with every sentence encoder, and a retrain after an edit of the NLU data
would otherwise encode all of them again. The cache keeps one folder per encoder *version* (the name
and installed version of the package that ships the weights), so an upgraded encoder never reuses old
vectors. Texts are keyed by their SHA-1, so the cache holds no tourist text in clear. It lives under
``build/`` (never committed) and is only read and written while training.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

_KEYS = "keys.txt"
_VECTORS = "vectors.npy"


def text_key(text: str) -> str:
    """The cache key of one text (SHA-1 of its UTF-8 bytes)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors of one encoder version, loaded whole, extended and saved atomically."""

    def __init__(self, folder: Path) -> None:
        """``folder`` holds this encoder version's keys and vectors (created on save)."""
        self.folder = folder
        self._rows: dict[str, int] = {}
        self._vectors: np.ndarray | None = None
        keys_file, vectors_file = folder / _KEYS, folder / _VECTORS
        if keys_file.exists() and vectors_file.exists():
            keys = keys_file.read_text(encoding="ascii").split()
            vectors = np.load(vectors_file)
            if len(keys) == len(vectors):
                self._rows = {key: row for row, key in enumerate(keys)}
                self._vectors = vectors
            else:
                logger.warning("embedding cache in %s is inconsistent; ignoring it", folder)

    def __len__(self) -> int:
        return len(self._rows)

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray | None, list[int]]:
        """Cached vectors for ``texts`` (rows of misses left zero) and the indices of the misses."""
        keys = [text_key(text) for text in texts]
        missing = [i for i, key in enumerate(keys) if key not in self._rows]
        if self._vectors is None:
            return None, missing
        found = np.zeros((len(texts), self._vectors.shape[1]), dtype=np.float32)
        for i, key in enumerate(keys):
            row = self._rows.get(key)
            if row is not None:
                found[i] = self._vectors[row]
        return found, missing

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Adds the vectors of ``texts`` (in memory; :meth:`save` writes them)."""
        fresh = [(text_key(t), v) for t, v in zip(texts, vectors, strict=True)]
        fresh = [(k, v) for k, v in fresh if k not in self._rows]
        if not fresh:
            return
        new_rows = np.stack([v for _, v in fresh]).astype(np.float32)
        start = 0 if self._vectors is None else len(self._vectors)
        self._vectors = new_rows if self._vectors is None else np.vstack([self._vectors, new_rows])
        for offset, (key, _) in enumerate(fresh):
            self._rows[key] = start + offset

    def save(self) -> None:
        """Writes keys and vectors (to temporary files first, then renamed into place)."""
        if self._vectors is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._rows, key=self._rows.__getitem__)
        tmp_keys = self.folder / f".{_KEYS}.{os.getpid()}"
        tmp_vectors = self.folder / f".{os.getpid()}.{_VECTORS}"
        tmp_keys.write_text("\n".join(keys) + "\n", encoding="ascii")
        np.save(tmp_vectors, self._vectors)
        os.replace(tmp_vectors, self.folder / _VECTORS)
        os.replace(tmp_keys, self.folder / _KEYS)


def encode_with_cache(
    cache: EmbeddingCache | None,
    texts: Sequence[str],
    encode: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """Vectors of ``texts``: cached ones from ``cache``, the rest from ``encode`` (then cached)."""
    if cache is None:
        return encode(list(texts))
    found, missing = cache.lookup(texts)
    if not missing and found is not None:
        return found
    fresh = encode([texts[i] for i in missing])
    cache.add([texts[i] for i in missing], fresh)
    if found is None:
        found = np.zeros((len(texts), fresh.shape[1]), dtype=np.float32)
    found[missing] = fresh
    return found
