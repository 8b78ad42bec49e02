"""OutOfScopeGate: far from every in-scope example means out_of_scope; near keeps the intent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.out_of_scope_gate import OutOfScopeGate

DIM = 4


def message(vector: list[float], intent: str | None = None) -> Message:
    data = {TEXT: "x"}
    if intent:
        data[INTENT] = intent
    m = Message(data)
    m.add_features(Features(np.array([vector], dtype=np.float32), "sentence", TEXT, "SentenceEncoderFeaturizer"))
    return m


@pytest.fixture()
def gate(tmp_path: Path) -> OutOfScopeGate:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("gate")
    context = ExecutionContext(GraphSchema({}), "test")
    component = OutOfScopeGate.create({"threshold": 0.8, "dimension": DIM}, storage, resource, context)
    component.train(
        TrainingData(
            training_examples=[
                message([1, 0, 0, 0], "ask_ticket_price"),
                message([0, 1, 0, 0], "greet"),
                message([0, 0, 0, 1], "out_of_scope"),
            ]
        )
    )
    return OutOfScopeGate.load({"threshold": 0.8, "dimension": DIM}, storage, resource, context)


def with_prediction(vector: list[float], intent: str) -> Message:
    m = message(vector)
    m.set(INTENT, {"name": intent, "confidence": 0.9})
    m.set("intent_ranking", [{"name": intent, "confidence": 0.9}])
    return m


def test_message_near_an_in_scope_example_keeps_its_intent(gate: OutOfScopeGate) -> None:
    m = gate.process([with_prediction([0.95, 0.05, 0, 0], "ask_ticket_price")])[0]
    assert m.get(INTENT)["name"] == "ask_ticket_price"
    assert m.get("in_scope_similarity") > 0.99


def test_message_far_from_in_scope_examples_becomes_out_of_scope(gate: OutOfScopeGate) -> None:
    m = gate.process([with_prediction([0, 0, 1, 0], "ask_contact")])[0]
    assert m.get(INTENT)["name"] == "out_of_scope"
    assert m.get("intent_ranking")[0]["name"] == "out_of_scope"
    assert m.get("intent_ranking")[1]["name"] == "ask_contact"
    assert m.get("classifier_intent") == {"name": "ask_contact", "confidence": 0.9}


def test_out_of_scope_training_examples_do_not_count_as_in_scope(gate: OutOfScopeGate) -> None:
    m = gate.process([with_prediction([0, 0, 0, 1], "greet")])[0]
    assert m.get(INTENT)["name"] == "out_of_scope"


def test_training_without_sentence_embeddings_fails_clearly(tmp_path: Path) -> None:
    component = OutOfScopeGate.create(
        {"threshold": 0.8, "dimension": DIM}, LocalModelStorage(tmp_path), Resource("g"), ExecutionContext(GraphSchema({}), "t")
    )
    with pytest.raises(ValueError, match="SentenceEncoderFeaturizer"):
        component.train(TrainingData(training_examples=[Message({TEXT: "hi", INTENT: "greet"})]))
