"""Rejects messages that are far from everything the assistant was trained to handle.

A softmax intent classifier always picks *some* intent, so "what's my credit card limit" comes out as
``ask_contact`` with high confidence. This component keeps the multilingual sentence embedding of
every in-scope training example (from :mod:`bot.components.sentence_encoder_featurizer`); at parse
time, when the message's nearest in-scope example is less similar than ``threshold`` (cosine), the
intent becomes ``out_of_scope``. The threshold was chosen on our own held-out set (``eval/heldout``):
the value that rejects most held-out out-of-scope messages while wrongly rejecting at most ~1 % of
in-scope ones. ``make eval`` reports both rates on every set.

Place it after the intent classifier and before ``FallbackClassifier``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

OUT_OF_SCOPE = "out_of_scope"
EMBEDDINGS_FILE = "in_scope_embeddings.npy"


def sentence_embedding(message: Message, dimension: int) -> np.ndarray | None:
    """The dense sentence feature of ``dimension`` on the message text, L2-normalised."""
    for feature in message.features:
        if (
            feature.attribute == TEXT
            and feature.type == "sentence"
            and not feature.is_sparse()
            and feature.features.shape[-1] == dimension
        ):
            vector = np.asarray(feature.features, dtype=np.float32).reshape(-1)
            return vector / max(float(np.linalg.norm(vector)), 1e-12)
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class OutOfScopeGate(GraphComponent):
    """Turns predictions far from all in-scope training examples into ``out_of_scope``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``threshold``: minimum cosine to the nearest in-scope example; ``dimension`` of the embedding."""
        return {"threshold": 0.5, "dimension": 512}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        in_scope: np.ndarray | None = None,
    ) -> None:
        """Creates the gate; ``in_scope`` holds one normalised row per in-scope example."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._in_scope = in_scope

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> OutOfScopeGate:
        """A fresh, untrained gate."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Keeps the embeddings of all in-scope examples."""
        dimension = int(self._config["dimension"])
        rows = [
            sentence_embedding(m, dimension)
            for m in training_data.intent_examples
            if m.get(INTENT) != OUT_OF_SCOPE
        ]
        vectors = [row for row in rows if row is not None]
        if not vectors:
            raise ValueError("OutOfScopeGate needs the SentenceEncoderFeaturizer earlier in the pipeline")
        self._in_scope = np.stack(vectors).astype(np.float16)
        with self._model_storage.write_to(self._resource) as directory:
            np.save(Path(directory) / EMBEDDINGS_FILE, self._in_scope)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> OutOfScopeGate:
        """Loads the stored in-scope embeddings."""
        with model_storage.read_from(resource) as directory:
            in_scope = np.load(Path(directory) / EMBEDDINGS_FILE)
        return cls(config, model_storage, resource, in_scope.astype(np.float32))

    def nearest_similarity(self, message: Message) -> float | None:
        """Cosine similarity of the message to its nearest in-scope example."""
        if self._in_scope is None:
            return None
        vector = sentence_embedding(message, int(self._config["dimension"]))
        if vector is None:
            return None
        return float(np.max(self._in_scope @ vector))

    def process(self, messages: list[Message]) -> list[Message]:
        """Rejects messages whose nearest in-scope example is not similar enough."""
        for message in messages:
            similarity = self.nearest_similarity(message)
            if similarity is None:
                continue
            intent = message.get(INTENT) or {}
            message.set("in_scope_similarity", round(similarity, 4), add_to_output=True)
            message.set("classifier_intent", dict(intent), add_to_output=True)
            if similarity >= float(self._config["threshold"]) or intent.get(INTENT_NAME_KEY) == OUT_OF_SCOPE:
                continue
            confidence = min(1.0, 1.0 - similarity + float(self._config["threshold"]))
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != OUT_OF_SCOPE]
            message.set(INTENT, {INTENT_NAME_KEY: OUT_OF_SCOPE, "confidence": confidence}, add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                [{INTENT_NAME_KEY: OUT_OF_SCOPE, "confidence": confidence}, *ranking],
                add_to_output=True,
            )
        return messages
