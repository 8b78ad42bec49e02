"""Bag-of-n-grams sentence features (words or characters), fitted and applied in one vectorised pass.

Rasa's ``CountVectorsFeaturizer`` also builds a per-token *sequence* matrix for every message, which
only DIET and CRF entity extraction read; on our 23,000 examples that took over a minute of every
training run. Our intent classifier reads sentence features only, so this featurizer adds just the
sentence-level bag (binary counts) and transforms all training texts at once with scikit-learn.

``analyzer: word`` counts the tokens of the message (from ``MultilingualTokenizer``: jieba words for
Han runs, kana and Hangul runs, Latin/Cyrillic words), lower-cased; ``analyzer: char_wb`` counts the
character n-grams inside word boundaries of the lower-cased text. The vocabulary is stored as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer

ANALYZERS = ("word", "char_wb")
_VOCABULARY = "vocabulary.json"
_TOKENS = TOKENS_NAMES[TEXT]


def _tokens(message: Message) -> list[str]:
    """Lower-cased token texts of the message (empty when it was not tokenized)."""
    return [token.text.lower() for token in message.get(_TOKENS) or []]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class NgramFeaturizer(SparseFeaturizer, GraphComponent):
    """Binary bag of word or character n-grams as one sparse sentence feature per message."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Word n-grams need tokens."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``analyzer``: ``word`` or ``char_wb``; n-gram range; ``min_df`` and ``max_features``."""
        return {
            **SparseFeaturizer.get_default_config(),
            "analyzer": "word",
            "min_ngram": 1,
            "max_ngram": 1,
            "min_df": 2,
            "max_features": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """scikit-learn's vectorizer does the counting."""
        return ["sklearn"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        name: str,
        vocabulary: dict[str, int] | None = None,
    ) -> None:
        """A featurizer, fitted when ``vocabulary`` is given."""
        super().__init__(name, {**self.get_default_config(), **config})
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizer = self._make_vectorizer(vocabulary) if vocabulary else None

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """The analyzer must be one this module knows."""
        if config.get("analyzer", "word") not in ANALYZERS:
            raise ValueError(f"NgramFeaturizer analyzer must be one of {ANALYZERS}")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NgramFeaturizer:
        """An unfitted featurizer."""
        return cls(config, model_storage, resource, execution_context.node_name)

    def _make_vectorizer(self, vocabulary: dict[str, int] | None = None) -> CountVectorizer:
        word = self._config["analyzer"] == "word"
        return CountVectorizer(
            analyzer=_identity if word else "char_wb",
            lowercase=not word,
            ngram_range=(int(self._config["min_ngram"]), int(self._config["max_ngram"])),
            min_df=int(self._config["min_df"]),
            max_features=self._config["max_features"],
            binary=True,
            dtype=np.float32,
            vocabulary=vocabulary,
        )

    def _documents(self, messages: Iterable[Message]) -> list[Any]:
        if self._config["analyzer"] == "word":
            return [_tokens(m) for m in messages]
        return [m.get(TEXT) for m in messages]

    def train(self, training_data: TrainingData) -> Resource:
        """Fits the vocabulary on the training texts and stores it."""
        messages = [m for m in training_data.training_examples if m.get(TEXT)]
        vectorizer = self._make_vectorizer()
        vectorizer.fit(self._documents(messages))
        vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        self._vectorizer = self._make_vectorizer(vocabulary)
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / _VOCABULARY).write_text(
                json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NgramFeaturizer:
        """Loads the stored vocabulary (an unfitted featurizer when there is none)."""
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = json.loads((Path(directory) / _VOCABULARY).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            vocabulary = None
        return cls(config, model_storage, resource, execution_context.node_name, vocabulary)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every training example with a text."""
        self.process([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds one sparse sentence feature to each message with a text, all in one transform."""
        if self._vectorizer is None:
            return messages
        texts = [m for m in messages if m.get(TEXT)]
        if not texts:
            return messages
        matrix = sp.csr_matrix(self._vectorizer.transform(self._documents(texts)))
        for row, message in enumerate(texts):
            self.add_features_to_message(None, matrix[row].tocoo(), TEXT, message)  # type: ignore[arg-type]
        return messages
