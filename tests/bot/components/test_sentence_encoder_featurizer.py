"""SentenceEncoderFeaturizer: both encoders (USE, e5) put one normalised sentence vector, under the
instance's alias, on each message, and place translations of a request near each other."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.sentence_encoder_featurizer import SentenceEncoderFeaturizer


def featurizer(tmp_path, encoder: str) -> SentenceEncoderFeaturizer:
    config = {
        **SentenceEncoderFeaturizer.get_default_config(),
        "alias": encoder,
        "encoder": encoder,
    }
    return SentenceEncoderFeaturizer.create(
        config,
        LocalModelStorage(tmp_path),
        Resource("f"),
        ExecutionContext(GraphSchema({}), "node"),
    )


def vectors(component: SentenceEncoderFeaturizer, texts: list[str]) -> np.ndarray:
    messages = component.process([Message({TEXT: t}) for t in texts])
    rows = []
    for m in messages:
        (feature,) = [f for f in m.features if f.type == "sentence"]
        assert feature.origin == component._identifier
        rows.append(np.asarray(feature.features).reshape(-1))
    return np.stack(rows)


@pytest.mark.parametrize(("encoder", "dimension"), [("use", 512), ("e5", 384)])
def test_translations_of_a_request_sit_nearer_than_an_unrelated_request(
    tmp_path, encoder: str, dimension: int
) -> None:
    texts = [
        "宽窄巷子的门票多少钱",
        "How much is the entrance ticket for Kuanzhai Alley?",
        "Set an alarm for 7 am tomorrow",
    ]
    v = vectors(featurizer(tmp_path, encoder), texts)
    assert v.shape == (3, dimension)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.02


def test_unknown_encoder_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="encoder"):
        featurizer(tmp_path, "bert")


def test_training_subset_keeps_every_out_of_scope_example_and_a_stable_even_sample() -> None:
    from rasa.shared.nlu.constants import INTENT

    from bot.components.sentence_encoder_featurizer import training_subset

    examples = [Message({TEXT: f"oos {i}", INTENT: "out_of_scope"}) for i in range(10)]
    examples += [Message({TEXT: f"greet {i}", INTENT: "greet"}) for i in range(60)]
    examples += [Message({TEXT: f"ticket {i}", INTENT: "ask_ticket_price"}) for i in range(30)]

    chosen = training_subset(examples, 40)

    intents = [m.get(INTENT) for m in chosen]
    assert intents.count("out_of_scope") == 10
    assert intents.count("greet") == 20 and intents.count("ask_ticket_price") == 10
    again = training_subset(list(reversed(examples)), 40)
    assert {m.get(TEXT) for m in again} == {m.get(TEXT) for m in chosen}
    assert training_subset(examples, None) == examples


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 2), ("1", 1), ("4", 4), ("0", 2), ("two", 2), (" 3 ", 3)]
)
def test_encoder_threads_env_override(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int
) -> None:
    from bot.components.sentence_encoder_featurizer import THREADS_VARIABLE, encoder_threads

    if value is None:
        monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(THREADS_VARIABLE, value)
    assert encoder_threads(2) == expected
