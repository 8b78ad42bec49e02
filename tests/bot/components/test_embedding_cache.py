"""EmbeddingCache: vectors survive a reload, misses are encoded once, keys hide the texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.components.embedding_cache import EmbeddingCache, encode_with_cache, text_key


class CountingEncoder:
    """Encodes a text as [len(text), first code point]; counts the texts it was asked for."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([[len(t), ord(t[0])] for t in texts], dtype=np.float32)


def test_second_run_encodes_only_new_texts_and_returns_identical_vectors(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    first_cache = EmbeddingCache(tmp_path)
    first = encode_with_cache(first_cache, ["九寨沟", "hello"], encoder)
    assert len(EmbeddingCache(tmp_path)) == 0  # nothing is on disk before save()
    first_cache.save()
    encoder.seen.clear()

    again = encode_with_cache(EmbeddingCache(tmp_path), ["hello", "new text", "九寨沟"], encoder)

    assert encoder.seen == ["new text"]
    assert np.array_equal(again[0], first[1])
    assert np.array_equal(again[2], first[0])
    assert np.array_equal(again[1], [8, ord("n")])


def test_files_hold_hashes_not_texts(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    encode_with_cache(cache, ["my phone is 13800000000"], CountingEncoder())
    cache.save()
    stored = (tmp_path / "keys.txt").read_text("ascii")
    assert "13800000000" not in stored
    assert text_key("my phone is 13800000000") in stored


def test_inconsistent_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "keys.txt").write_text("a\nb\n", encoding="ascii")
    np.save(tmp_path / "vectors.npy", np.zeros((3, 2), np.float32))
    assert len(EmbeddingCache(tmp_path)) == 0


def test_without_cache_every_text_is_encoded() -> None:
    encoder = CountingEncoder()
    encode_with_cache(None, ["a", "a"], encoder)
    assert encoder.seen == ["a", "a"]
