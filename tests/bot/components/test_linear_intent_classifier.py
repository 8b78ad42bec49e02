"""LinearIntentClassifier: learns intents from word and character n-grams and dense sentence
features, ranks them with confidences that sum to one, and round-trips through model storage
without pickle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.linear_intent_classifier import LinearIntentClassifier


def message(text: str, intent: str | None = None, dense: list[float] | None = None) -> Message:
    """A tokenized message with a small dense sentence feature."""
    msg = Message({TEXT: text, **({INTENT: intent} if intent else {})})
    msg.set(TOKENS_NAMES[TEXT], [Token(word, 0) for word in text.split()])
    vector = np.array([dense or [1.0, 0.0]], dtype=np.float32)
    msg.add_features(Features(vector, "sentence", TEXT, "use"))
    return msg


TRAINING = [
    ("ticket price", "ask_ticket_price", [1.0, 0.1]),
    ("price of a ticket", "ask_ticket_price", [0.9, 0.2]),
    ("how much ticket", "ask_ticket_price", [1.0, 0.0]),
    ("hello", "greet", [0.0, 1.0]),
    ("hi", "greet", [0.1, 1.0]),
    ("hello hi", "greet", [0.0, 0.9]),
    ("open hours", "ask_opening_hours", [0.5, 0.5]),
    ("hours open today", "ask_opening_hours", [0.6, 0.5]),
    ("when open", "ask_opening_hours", [0.5, 0.6]),
]


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def trained(storage: LocalModelStorage) -> tuple[LinearIntentClassifier, Resource]:
    config = {**LinearIntentClassifier.get_default_config(), "min_df": 1}
    resource = Resource("linear")
    component = LinearIntentClassifier.create(
        config, storage, resource, ExecutionContext(GraphSchema({}), "node")
    )
    component.train(TrainingData([message(t, i, d) for t, i, d in TRAINING]))
    return component, resource


def test_predicts_the_intent_with_a_normalised_ranking(storage: LocalModelStorage) -> None:
    component, _ = trained(storage)
    (parsed,) = component.process([message("ticket price please", dense=[1.0, 0.0])])
    assert parsed.get(INTENT)["name"] == "ask_ticket_price"
    ranking = parsed.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking][0] == "ask_ticket_price"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0, abs=1e-5)
    assert ranking[0]["confidence"] > ranking[1]["confidence"]


def test_loaded_model_decides_like_the_trained_one(storage: LocalModelStorage) -> None:
    component, resource = trained(storage)
    loaded = LinearIntentClassifier.load(
        component._config, storage, resource, ExecutionContext(GraphSchema({}), "node")
    )
    for text, dense in [("hello", [0.0, 1.0]), ("open hours", [0.5, 0.5])]:
        a = component.process([message(text, dense=dense)])[0].get(INTENT_RANKING_KEY)
        b = loaded.process([message(text, dense=dense)])[0].get(INTENT_RANKING_KEY)
        assert a == pytest.approx(b)


def test_messages_without_text_are_left_alone(storage: LocalModelStorage) -> None:
    component, _ = trained(storage)
    empty = Message({TEXT: ""})
    component.process([empty])
    assert empty.get(INTENT) is None


def test_missing_sentence_embedding_is_a_clear_error(storage: LocalModelStorage) -> None:
    component, _ = trained(storage)
    with pytest.raises(ValueError, match="no sentence features"):
        component.process([Message({TEXT: "bare"})])


def test_character_ngrams_carry_an_unseen_inflection(storage: LocalModelStorage) -> None:
    component, _ = trained(storage)
    (parsed,) = component.process([message("tickets prices", dense=[0.5, 0.5])])
    assert parsed.get(INTENT)["name"] == "ask_ticket_price"
