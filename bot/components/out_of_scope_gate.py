"""Decides, after the intent classifier, whether a message is out of scope.

A softmax intent classifier always picks *some* intent, so "what's my credit card limit" can come out
as ``ask_contact`` with high confidence; and a classifier with an ``out_of_scope`` class also rejects
in-scope requests phrased unlike its training examples ("is it going to snow in Kazan on Friday").
This component keeps, for each configured sentence encoder (the ``alias`` of a
:mod:`bot.components.sentence_encoder_featurizer` instance earlier in the pipeline), the embedding
of every training example, in-scope and out-of-scope apart, and measures at parse time how similar
the message is to its nearest in-scope example and to its nearest out-of-scope example. The
*margin* is the weighted sum, over the encoders, of (nearest in-scope - nearest out-of-scope)
similarity; two encoders that err on different messages make a steadier margin than one.

- below ``threshold`` in-scope similarity of the first encoder, or below ``reject_margin``, the
  message becomes ``out_of_scope`` whatever the classifier said;
- when the classifier said ``out_of_scope`` but the margin is at least ``override_margin``, the best
  in-scope intent of the classifier's ranking is taken instead (its confidence renormalised without
  ``out_of_scope``), and ``FallbackClassifier`` still rejects it if that confidence is low.

The weights, threshold and margins are chosen on the development set ``eval/dev`` by
``make calibrate`` (never on the public benchmarks). Place the gate after the intent classifier and
before ``FallbackClassifier``.
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
NO_EXAMPLE = -1.0
# A rejection outranks every other intent clearly, so FallbackClassifier never calls it ambiguous.
MIN_REJECTION_CONFIDENCE = 0.6
# Per encoder alias: (similarity to the nearest in-scope example, to the nearest out-of-scope one).
Similarities = dict[str, tuple[float, float]]


def sentence_embedding(message: Message, origin: str) -> np.ndarray | None:
    """The dense sentence feature that the featurizer ``origin`` put on the text, L2-normalised."""
    for feature in message.features:
        if (
            feature.attribute == TEXT
            and feature.type == "sentence"
            and not feature.is_sparse()
            and feature.origin == origin
        ):
            vector = np.asarray(feature.features, dtype=np.float32).reshape(-1)
            return vector / max(float(np.linalg.norm(vector)), 1e-12)
    return None


def nearest(examples: np.ndarray, vector: np.ndarray) -> float:
    """Cosine similarity of ``vector`` to its nearest row of ``examples`` (-1 when there are none)."""
    return float(np.max(examples @ vector)) if len(examples) else NO_EXAMPLE


def in_scope_ranking(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking without out_of_scope, confidences renormalised to sum to one."""
    in_scope = [r for r in ranking if r.get(INTENT_NAME_KEY) != OUT_OF_SCOPE]
    total = sum(float(r.get("confidence") or 0.0) for r in in_scope)
    return [
        {
            INTENT_NAME_KEY: r[INTENT_NAME_KEY],
            "confidence": float(r.get("confidence") or 0.0) / total if total > 0 else 0.0,
        }
        for r in in_scope
    ]


KEEP, REJECT, OVERRIDE = "keep", "reject", "override"


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def weighted_margin(similarities: Similarities, weights: dict[str, float]) -> float:
    """Sum over encoders of weight x (in-scope - out-of-scope similarity)."""
    return sum(
        float(weight) * (similarities[name][0] - similarities[name][1])
        for name, weight in weights.items()
    )


def gate_decision(
    classifier_intent: str | None,
    in_similarity: float,
    margin: float,
    threshold: float,
    reject_margin: float | None,
    override_margin: float | None,
) -> str:
    """The gate's rule (see the module docstring): ``keep``, ``reject`` or ``override``.

    ``in_similarity`` is the first encoder's; ``make calibrate`` simulates the gate with this function.
    """
    if classifier_intent == OUT_OF_SCOPE:
        return OVERRIDE if override_margin is not None and margin >= override_margin else KEEP
    if in_similarity < threshold or (reject_margin is not None and margin < reject_margin):
        return REJECT
    return KEEP


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class OutOfScopeGate(GraphComponent):
    """Rejects messages nearer to out-of-scope than to in-scope examples; rescues near in-scope ones."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``encoders``: featurizer alias -> margin weight (the first one's in-scope similarity meets
        ``threshold``); ``reject_margin`` / ``override_margin``: see the module docstring (``None``
        switches a rule off)."""
        return {
            "encoders": {"use": 1.0},
            "threshold": 0.5,
            "reject_margin": None,
            "override_margin": None,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        examples: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        """Creates the gate; ``examples`` holds, per encoder alias, the normalised in-scope and
        out-of-scope example rows."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._weights = {
            str(name): float(weight) for name, weight in dict(config["encoders"]).items()
        }
        if not self._weights:
            raise ValueError("OutOfScopeGate needs at least one entry in `encoders`")
        self._examples = examples

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
        """Keeps, per encoder, the embeddings of all training examples, in-scope and out-of-scope apart."""
        examples: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for origin in self._weights:
            in_scope: list[np.ndarray] = []
            out_of_scope: list[np.ndarray] = []
            for example in training_data.intent_examples:
                vector = sentence_embedding(example, origin)
                if vector is not None:
                    (out_of_scope if example.get(INTENT) == OUT_OF_SCOPE else in_scope).append(
                        vector
                    )
            if not in_scope:
                raise ValueError(
                    f"OutOfScopeGate found no sentence features from {origin!r}: put a "
                    f"SentenceEncoderFeaturizer with alias {origin!r} earlier in the pipeline"
                )
            dimension = in_scope[0].shape[0]
            examples[origin] = (
                np.stack(in_scope).astype(np.float16),
                np.stack(out_of_scope).astype(np.float16)
                if out_of_scope
                else np.zeros((0, dimension), np.float16),
            )
        self._examples = {
            name: (a.astype(np.float32), b.astype(np.float32)) for name, (a, b) in examples.items()
        }
        with self._model_storage.write_to(self._resource) as directory:
            for origin, (in_scope_rows, out_of_scope_rows) in examples.items():
                np.save(Path(directory) / f"in_scope_{origin}.npy", in_scope_rows)
                np.save(Path(directory) / f"out_of_scope_{origin}.npy", out_of_scope_rows)
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
        """Loads the stored embeddings."""
        examples = {}
        with model_storage.read_from(resource) as directory:
            for origin in dict(config["encoders"]):
                examples[str(origin)] = (
                    np.load(Path(directory) / f"in_scope_{origin}.npy").astype(np.float32),
                    np.load(Path(directory) / f"out_of_scope_{origin}.npy").astype(np.float32),
                )
        return cls(config, model_storage, resource, examples)

    def similarities(self, message: Message) -> Similarities | None:
        """Per encoder: cosine similarity to the nearest in-scope and nearest out-of-scope example."""
        if self._examples is None:
            return None
        found: Similarities = {}
        for origin, (in_scope, out_of_scope) in self._examples.items():
            vector = sentence_embedding(message, origin)
            if vector is None:
                return None
            found[origin] = (nearest(in_scope, vector), nearest(out_of_scope, vector))
        return found

    def process(self, messages: list[Message]) -> list[Message]:
        """Applies the rules of the module docstring to every message."""
        first = next(iter(self._weights))
        for message in messages:
            found = self.similarities(message)
            if found is None:
                continue
            in_similarity, out_similarity = found[first]
            margin = weighted_margin(found, self._weights)
            intent = dict(message.get(INTENT) or {})
            ranking = list(message.get(INTENT_RANKING_KEY) or [])
            message.set("in_scope_similarity", round(in_similarity, 4), add_to_output=True)
            message.set("out_of_scope_similarity", round(out_similarity, 4), add_to_output=True)
            message.set(
                "gate_similarities",
                {
                    name: {"in_scope": round(a, 4), "out_of_scope": round(b, 4)}
                    for name, (a, b) in found.items()
                },
                add_to_output=True,
            )
            message.set("gate_margin", round(margin, 4), add_to_output=True)
            message.set("classifier_intent", intent, add_to_output=True)
            message.set("classifier_ranking", ranking, add_to_output=True)
            decision = gate_decision(
                intent.get(INTENT_NAME_KEY),
                in_similarity,
                margin,
                float(self._config["threshold"]),
                _optional_float(self._config.get("reject_margin")),
                _optional_float(self._config.get("override_margin")),
            )
            if decision == OVERRIDE:
                self._override(message, ranking)
            elif decision == REJECT:
                self._reject(message, in_similarity, ranking)
        return messages

    @staticmethod
    def _override(message: Message, ranking: list[dict[str, Any]]) -> None:
        rescued = in_scope_ranking(ranking)
        if rescued:
            message.set(INTENT, rescued[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, rescued, add_to_output=True)

    def _reject(
        self, message: Message, in_similarity: float, ranking: list[dict[str, Any]]
    ) -> None:
        """Puts out_of_scope first; the other intents share what is left, so no intent ties with it."""
        confidence = max(
            MIN_REJECTION_CONFIDENCE,
            min(1.0, 1.0 - in_similarity + float(self._config["threshold"])),
        )
        others = [
            {**r, "confidence": r["confidence"] * (1.0 - confidence)}
            for r in in_scope_ranking(ranking)
        ]
        message.set(
            INTENT, {INTENT_NAME_KEY: OUT_OF_SCOPE, "confidence": confidence}, add_to_output=True
        )
        message.set(
            INTENT_RANKING_KEY,
            [{INTENT_NAME_KEY: OUT_OF_SCOPE, "confidence": confidence}, *others],
            add_to_output=True,
        )
