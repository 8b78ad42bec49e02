"""Tests for FAISS index directories: build, save, load, manifest refusal, current pointer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from knowledge_base.encoder import HashEncoder
from knowledge_base.index import (
    FACTORY,
    FaissIndex,
    IndexMismatchError,
    IndexNotBuiltError,
    Passage,
    load_index,
    make_manifest,
    point_current,
    read_manifest,
    resolve,
    save_index,
)

TEXTS = ["九寨沟 高山湖泊", "Leshan Giant Buddha", "panda base 熊猫基地"]


def _index(encoder: HashEncoder) -> FaissIndex:
    passages = [Passage(i, f"e{i}", "names", "multi", t) for i, t in enumerate(TEXTS)]
    index = FaissIndex(encoder.dimension)
    index.add(passages, encoder.encode(TEXTS, kind="passage"))
    return index


def test_index_search_finds_identical_text() -> None:
    enc = HashEncoder(64)
    index = _index(enc)
    scores, ids = index.search(enc.encode(["Leshan Giant Buddha"]), k=2)
    assert ids[0][0] == 1
    assert scores[0][0] == pytest.approx(1.0, abs=1e-5)
    assert scores[0][0] >= scores[0][1]


def test_index_add_rejects_wrong_shape() -> None:
    index = FaissIndex(8)
    with pytest.raises(ValueError):
        index.add([Passage(0, "a", "names", "en", "x")], np.zeros((1, 4), dtype=np.float32))


def test_save_and_load_roundtrip_with_manifest(tmp_path: Path) -> None:
    enc = HashEncoder(64)
    manifest = make_manifest(enc.model_id, enc.dimension, "abc123", len(TEXTS))
    save_index(_index(enc), tmp_path / "v1", manifest)
    stored = json.loads((tmp_path / "v1" / "manifest.json").read_text())
    for key in (
        "encoder_model_id",
        "dimension",
        "normalisation",
        "factory",
        "corpus_hash",
        "created",
    ):
        assert key in stored
    assert stored["factory"] == FACTORY and stored["normalisation"] == "l2"
    assert {"faiss", "numpy", "transformers"} <= set(stored["versions"])
    loaded, meta = load_index(tmp_path / "v1", enc.model_id, enc.dimension)
    assert len(loaded) == 3 and loaded.passages[2].text == TEXTS[2]
    assert meta["corpus_hash"] == "abc123"


@pytest.mark.parametrize(
    ("model_id", "dimension"), [("other-model", 64), ("hash-char-ngrams-64", 32)]
)
def test_load_refuses_other_encoder(tmp_path: Path, model_id: str, dimension: int) -> None:
    enc = HashEncoder(64)
    save_index(_index(enc), tmp_path / "v1", make_manifest(enc.model_id, 64, "h", 3))
    with pytest.raises(IndexMismatchError, match="make kb"):
        load_index(tmp_path / "v1", model_id, dimension)


def test_missing_index_raises_not_built(tmp_path: Path) -> None:
    with pytest.raises(IndexNotBuiltError, match="make kb"):
        read_manifest(tmp_path / "nothing")


def test_point_current_switches_versions(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    point_current(tmp_path, "v1")
    assert resolve(tmp_path / "current").name == "v1"
    point_current(tmp_path, "v2")
    assert resolve(tmp_path / "current").name == "v2"


def test_resolve_accepts_pointer_file(tmp_path: Path) -> None:
    (tmp_path / "v7").mkdir()
    (tmp_path / "current").write_text("v7\n")
    assert resolve(tmp_path / "current") == tmp_path / "v7"
