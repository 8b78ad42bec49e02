"""A linear intent classifier over bags of word and character n-grams and a sentence embedding.

DIET (without transformer layers) spent about 27 minutes on 40 epochs over our 20,000 examples on two
cores. A linear support-vector machine on the same kind of features trains in about twenty seconds
and, measured on ``eval/heldout`` and ``eval/dev``, is as accurate (see the README):

* a binary bag of the message's tokens (from ``MultilingualTokenizer``: jieba words for Han runs,
  kana and Hangul runs, Latin/Cyrillic words), lower-cased;
* a binary bag of character 1-4-grams inside word boundaries (Japanese/Korean morphology, Western
  inflection), the two bags together scaled to unit length;
* the unit-length multilingual sentence embedding of the ``dense_featurizers`` (USE).

The bags are computed here, for all messages in one vectorised pass, rather than by a featurizer:
Rasa's count-vector featurizer builds per-token matrices nothing else reads, and attaching 23,000
sparse rows to messages cost more than training the classifier. Confidences are a softmax over the
decision values with a fixed ``temperature``; ``FallbackClassifier`` and the out-of-scope gate read
them, and ``make calibrate`` chooses their thresholds on this scale.

The model is stored as JSON vocabularies and plain arrays: no pickle is ever loaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.svm import LinearSVC

_CLASSES = "classes.json"
_WEIGHTS = "weights.npz"
_VOCABULARIES = "vocabularies.json"


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit L2 norm (all-zero rows stay zero)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).reshape(-1))
    return sp.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix


def softmax(values: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = values - values.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _tokens(message: Message) -> list[str]:
    """Lower-cased token texts of the message (empty when it was not tokenized)."""
    return [token.text.lower() for token in message.get(TOKENS_NAMES[TEXT]) or []]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Linear SVM over n-gram bags and sentence embeddings; softmax confidences."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Word n-grams need tokens."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``word_max_features`` / ``char_max_features``: vocabulary sizes; ``char_ngrams``: range;
        ``min_df``: minimum document frequency; ``dense_featurizers``: aliases of the sentence
        encoders to read; ``C``: inverse regularisation; ``temperature`` scales decision values
        before the softmax; ``ranking_length``: intents kept in the ranking."""
        return {
            "word_max_features": 15000,
            "char_max_features": 20000,
            "char_ngrams": [1, 4],
            "min_df": 2,
            "dense_featurizers": ["use"],
            "C": 1.0,
            "temperature": 5.0,
            "ranking_length": 10,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """scikit-learn counts n-grams and fits the model."""
        return ["sklearn"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classes: list[str] | None = None,
        weights: np.ndarray | None = None,
        bias: np.ndarray | None = None,
        vocabularies: dict[str, dict[str, int]] | None = None,
    ) -> None:
        """A classifier, trained when ``classes``, ``weights``, ``bias`` and ``vocabularies`` are given."""
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._classes = classes or []
        self._weights = weights
        self._bias = bias
        self._vectorizers = (
            {kind: self._vectorizer(kind, vocab) for kind, vocab in vocabularies.items()}
            if vocabularies
            else {}
        )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        """An untrained classifier."""
        return cls(config, model_storage, resource)

    def _vectorizer(self, kind: str, vocabulary: dict[str, int] | None = None) -> CountVectorizer:
        """The word (token) or character n-gram counter, fitted when ``vocabulary`` is given."""
        common: dict[str, Any] = {
            "min_df": int(self._config["min_df"]),
            "binary": True,
            "dtype": np.float32,
            "vocabulary": vocabulary,
        }
        if kind == "word":
            return CountVectorizer(
                analyzer=_identity,
                lowercase=False,
                max_features=self._config["word_max_features"],
                **common,
            )
        low, high = self._config["char_ngrams"]
        return CountVectorizer(
            analyzer="char_wb",
            lowercase=True,
            ngram_range=(int(low), int(high)),
            max_features=self._config["char_max_features"],
            **common,
        )

    @staticmethod
    def _documents(kind: str, messages: list[Message]) -> list[Any]:
        if kind == "word":
            return [_tokens(m) for m in messages]
        return [m.get(TEXT) for m in messages]

    def _dense(self, messages: list[Message]) -> np.ndarray:
        """The configured sentence embeddings of each message, concatenated and unit length."""
        origins = list(self._config["dense_featurizers"])
        rows = []
        for message in messages:
            found: dict[str, np.ndarray] = {}
            for feature in message.features:
                if (
                    feature.attribute == TEXT
                    and feature.type == "sentence"
                    and feature.origin in origins
                    and feature.is_dense()
                ):
                    found[feature.origin] = np.asarray(feature.features, np.float32).reshape(-1)
            if len(found) != len(origins):
                raise ValueError(
                    f"LinearIntentClassifier found no sentence features from {origins} on a message"
                )
            vector = np.concatenate([found[o] for o in origins])
            rows.append(vector / max(float(np.linalg.norm(vector)), 1e-12))
        return np.vstack(rows)

    def _features(self, messages: list[Message]) -> sp.csr_matrix:
        """One row per message: the unit-length n-gram bags next to the unit-length embedding."""
        bags = sp.hstack(
            [
                self._vectorizers[kind].transform(self._documents(kind, messages))
                for kind in ("word", "char")
            ]
        ).tocsr()
        return sp.hstack([_unit_rows(bags), sp.csr_matrix(self._dense(messages))]).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        """Fits the n-gram vocabularies and the SVM, and stores them as JSON and arrays."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        vocabularies: dict[str, dict[str, int]] = {}
        for kind in ("word", "char"):
            fitted = self._vectorizer(kind).fit(self._documents(kind, examples))
            vocabularies[kind] = {str(k): int(v) for k, v in fitted.vocabulary_.items()}
            self._vectorizers[kind] = self._vectorizer(kind, vocabularies[kind])
        features = self._features(examples)
        labels = [str(m.get(INTENT)) for m in examples]
        model = LinearSVC(C=float(self._config["C"]), class_weight="balanced", random_state=13)
        model.fit(features, labels)
        self._classes = [str(c) for c in model.classes_]
        weights = np.asarray(model.coef_, dtype=np.float32)
        bias = np.asarray(model.intercept_, dtype=np.float32)
        if len(self._classes) == 2:  # a binary SVM has one row; make it two-sided
            weights, bias = np.vstack([-weights, weights]), np.concatenate([-bias, bias])
        self._weights, self._bias = weights, bias
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / _CLASSES).write_text(json.dumps(self._classes), encoding="utf-8")
            (Path(directory) / _VOCABULARIES).write_text(
                json.dumps(vocabularies, ensure_ascii=False), encoding="utf-8"
            )
            np.savez(Path(directory) / _WEIGHTS, weights=weights, bias=bias)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        """Loads the stored vocabularies and arrays (an untrained classifier when there are none)."""
        try:
            with model_storage.read_from(resource) as directory:
                folder = Path(directory)
                classes = json.loads((folder / _CLASSES).read_text(encoding="utf-8"))
                vocabularies = json.loads((folder / _VOCABULARIES).read_text(encoding="utf-8"))
                with np.load(folder / _WEIGHTS, allow_pickle=False) as arrays:
                    weights, bias = arrays["weights"], arrays["bias"]
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, classes, weights, bias, vocabularies)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets ``intent`` and ``intent_ranking`` on every message with a text."""
        if self._weights is None or self._bias is None or not self._vectorizers:
            return messages
        texts = [m for m in messages if m.get(TEXT)]
        if not texts:
            return messages
        decision = self._features(texts) @ self._weights.T + self._bias
        confidences = softmax(np.asarray(decision) * float(self._config["temperature"]))
        length = int(self._config["ranking_length"])
        for message, row in zip(texts, confidences, strict=True):
            order = np.argsort(-row)
            ranking = [
                {INTENT_NAME_KEY: self._classes[i], "confidence": float(row[i])} for i in order
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking, add_to_output=True
            )
        return messages
