"""OutOfScopeGate: far from in-scope examples, or nearer to out-of-scope ones, means out_of_scope;
near in-scope examples keeps the intent and can overrule the classifier's own out_of_scope."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.out_of_scope_gate import OutOfScopeGate
from scripts import calibrate_nlu


def message(
    vector: list[float], intent: str | None = None, second: list[float] | None = None
) -> Message:
    """A message with a sentence feature from the featurizer aliased "use" (and "e5" when given)."""
    data = {TEXT: "x"}
    if intent:
        data[INTENT] = intent
    m = Message(data)
    m.add_features(Features(np.array([vector], dtype=np.float32), "sentence", TEXT, "use"))
    if second is not None:
        m.add_features(Features(np.array([second], dtype=np.float32), "sentence", TEXT, "e5"))
    return m


def trained_gate(tmp_path: Path, **config: object) -> OutOfScopeGate:
    config = {**OutOfScopeGate.get_default_config(), "threshold": 0.8, **config}
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(tmp_path)
    resource = Resource("gate")
    context = ExecutionContext(GraphSchema({}), "test")
    component = OutOfScopeGate.create(config, storage, resource, context)
    component.train(
        TrainingData(
            training_examples=[
                message([1, 0, 0, 0], "ask_ticket_price"),
                message([0, 1, 0, 0], "greet"),
                message([0, 0, 0, 1], "out_of_scope"),
            ]
        )
    )
    return OutOfScopeGate.load(config, storage, resource, context)


@pytest.fixture()
def gate(tmp_path: Path) -> OutOfScopeGate:
    return trained_gate(tmp_path)


def with_prediction(
    vector: list[float],
    intent: str,
    ranking: list[tuple[str, float]] | None = None,
    second: list[float] | None = None,
) -> Message:
    m = message(vector, second=second)
    ranking = ranking or [(intent, 0.9)]
    m.set(INTENT, {"name": intent, "confidence": ranking[0][1]})
    m.set(
        "intent_ranking", [{"name": name, "confidence": confidence} for name, confidence in ranking]
    )
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
        {**OutOfScopeGate.get_default_config(), "threshold": 0.8},
        LocalModelStorage(tmp_path),
        Resource("g"),
        ExecutionContext(GraphSchema({}), "t"),
    )
    with pytest.raises(ValueError, match="SentenceEncoderFeaturizer"):
        component.train(TrainingData(training_examples=[Message({TEXT: "hi", INTENT: "greet"})]))


def test_message_nearer_to_out_of_scope_examples_is_rejected_by_the_margin(tmp_path: Path) -> None:
    near_oos = [0.3, 0.0, 0.0, 0.95]
    strict = trained_gate(tmp_path / "a", threshold=0.0, reject_margin=0.0)
    lenient = trained_gate(tmp_path / "b", threshold=0.0)
    m = strict.process([with_prediction(near_oos, "greet")])[0]
    assert m.get(INTENT)["name"] == "out_of_scope"
    assert m.get("out_of_scope_similarity") > m.get("in_scope_similarity")
    first, second = m.get("intent_ranking")[:2]
    assert first["name"] == "out_of_scope" and first["confidence"] - second["confidence"] > 0.1
    assert lenient.process([with_prediction(near_oos, "greet")])[0].get(INTENT)["name"] == "greet"


def test_classifier_out_of_scope_is_overruled_when_clearly_nearer_in_scope(tmp_path: Path) -> None:
    gate = trained_gate(tmp_path, threshold=0.0, override_margin=0.5)
    ranking = [("out_of_scope", 0.6), ("ask_ticket_price", 0.3), ("greet", 0.1)]
    m = gate.process([with_prediction([0.95, 0.0, 0.0, 0.1], "out_of_scope", ranking)])[0]
    assert m.get(INTENT)["name"] == "ask_ticket_price"
    assert m.get(INTENT)["confidence"] == pytest.approx(0.75)
    assert [r["name"] for r in m.get("intent_ranking")] == ["ask_ticket_price", "greet"]
    assert m.get("classifier_intent") == {"name": "out_of_scope", "confidence": 0.6}


def test_classifier_out_of_scope_stands_when_the_margin_is_small(tmp_path: Path) -> None:
    gate = trained_gate(tmp_path, threshold=0.0, override_margin=0.5)
    ranking = [("out_of_scope", 0.6), ("ask_ticket_price", 0.4)]
    m = gate.process([with_prediction([0.7, 0.0, 0.0, 0.7], "out_of_scope", ranking)])[0]
    assert m.get(INTENT)["name"] == "out_of_scope"


def test_without_override_the_classifier_out_of_scope_always_stands(gate: OutOfScopeGate) -> None:
    ranking = [("out_of_scope", 0.6), ("ask_ticket_price", 0.4)]
    m = gate.process([with_prediction([1.0, 0.0, 0.0, 0.0], "out_of_scope", ranking)])[0]
    assert m.get(INTENT)["name"] == "out_of_scope"


def two_encoder_gate(tmp_path: Path, **config: object) -> OutOfScopeGate:
    """A gate trained on features from two encoders; on "e5" the in-scope example sits elsewhere."""
    config = {
        "threshold": 0.0,
        "encoders": {"use": 1.0, "e5": 3.0},
        "reject_margin": 0.0,
        "override_margin": 0.5,
        **config,
    }
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage, resource, context = (
        LocalModelStorage(tmp_path),
        Resource("gate"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    component = OutOfScopeGate.create(config, storage, resource, context)
    component.train(
        TrainingData(
            training_examples=[
                message([1, 0, 0, 0], "ask_weather", second=[0, 1, 0]),
                message([0, 1, 0, 0], "out_of_scope", second=[0, 0, 1]),
            ]
        )
    )
    return OutOfScopeGate.load(config, storage, resource, context)


def test_second_encoder_weighs_into_the_margin(tmp_path: Path) -> None:
    # First encoder: a little nearer out-of-scope (margin -0.11); second: clearly in scope (+0.73).
    use = [0.6, 0.7, 0.0, 0.0]
    e5 = [0.0, 0.8, 0.2]
    use_margin = (0.6 - 0.7) / np.hypot(0.6, 0.7)
    e5_margin = (0.8 - 0.2) / np.hypot(0.8, 0.2)
    weighted = two_encoder_gate(tmp_path / "a").process(
        [with_prediction(use, "ask_weather", second=e5)]
    )[0]
    assert weighted.get(INTENT)["name"] == "ask_weather"
    assert weighted.get("gate_margin") == pytest.approx(use_margin + 3 * e5_margin, abs=1e-3)
    assert set(weighted.get("gate_similarities")) == {"use", "e5"}
    first_only = two_encoder_gate(tmp_path / "b", encoders={"use": 1.0, "e5": 0.0})
    assert (
        first_only.process([with_prediction(use, "ask_weather", second=e5)])[0].get(INTENT)["name"]
        == "out_of_scope"
    )


def test_training_names_the_missing_encoder(tmp_path: Path) -> None:
    component = OutOfScopeGate.create(
        {**OutOfScopeGate.get_default_config(), "encoders": {"use": 1.0, "e5": 1.0}},
        LocalModelStorage(tmp_path),
        Resource("g"),
        ExecutionContext(GraphSchema({}), "t"),
    )
    with pytest.raises(ValueError, match="'e5'"):
        component.train(TrainingData(training_examples=[message([1, 0, 0, 0], "greet")]))


CASES = [
    ([0.95, 0.05, 0.0, 0.0], [0.0, 1.0, 0.0], [("ask_weather", 0.9), ("greet", 0.1)]),
    ([0.3, 0.95, 0.0, 0.0], [0.0, 0.2, 0.9], [("ask_weather", 0.8), ("greet", 0.2)]),
    ([0.6, 0.7, 0.0, 0.0], [0.0, 0.8, 0.2], [("ask_weather", 0.8), ("greet", 0.2)]),
    (
        [0.95, 0.0, 0.0, 0.1],
        [0.0, 1.0, 0.1],
        [("out_of_scope", 0.6), ("ask_weather", 0.3), ("greet", 0.1)],
    ),
    ([0.7, 0.7, 0.0, 0.0], [0.0, 0.6, 0.6], [("out_of_scope", 0.6), ("ask_weather", 0.4)]),
    ([0.9, 0.3, 0.0, 0.0], [0.0, 1.0, 0.0], [("ask_weather", 0.08), ("greet", 0.07)]),
    (
        [0.9, 0.3, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [("ask_weather", 0.45), ("greet", 0.44), ("thank", 0.11)],
    ),
    (
        [0.95, 0.0, 0.0, 0.1],
        [0.0, 1.0, 0.1],
        [("out_of_scope", 0.5), ("ask_weather", 0.25), ("greet", 0.25)],
    ),
]


@pytest.mark.parametrize(("vector", "second", "ranking"), CASES)
@pytest.mark.parametrize("ambiguity", [0.0, 0.05])
def test_calibration_simulates_exactly_what_gate_and_fallback_do(
    tmp_path: Path,
    vector: list[float],
    second: list[float],
    ranking: list[tuple[str, float]],
    ambiguity: float,
) -> None:
    """`make calibrate` chooses values by simulating the pipeline's end; the simulation must match
    OutOfScopeGate followed by Rasa's own FallbackClassifier, both per message and vectorised."""
    gate = two_encoder_gate(tmp_path, threshold=0.2, reject_margin=0.05, override_margin=0.25)
    fallback_config = {
        **FallbackClassifier.get_default_config(),
        "threshold": 0.1,
        "ambiguity_threshold": ambiguity,
    }
    fallback = FallbackClassifier.create(
        fallback_config,
        LocalModelStorage(tmp_path),
        Resource("f"),
        ExecutionContext(GraphSchema({}), "t"),
    )
    m = fallback.process(
        gate.process([with_prediction(vector, ranking[0][0], ranking, second=second)])
    )[0]
    observed = {
        "gold": "ask_weather",
        "intent": m.get("classifier_intent")["name"],
        "confidence": m.get("classifier_intent")["confidence"],
        "ranking": m.get("classifier_ranking"),
        "similarities": {
            k: (v["in_scope"], v["out_of_scope"]) for k, v in m.get("gate_similarities").items()
        },
    }
    setting = calibrate_nlu.Setting({"use": 1.0, "e5": 3.0}, 0.2, 0.05, 0.25, 0.1, ambiguity)
    assert calibrate_nlu.decide(observed, setting) == m.get(INTENT)["name"]
    result = calibrate_nlu.Observations([observed], ["use", "e5"]).simulate(setting)
    assert result["accuracy"] == float(m.get(INTENT)["name"] == "ask_weather")
