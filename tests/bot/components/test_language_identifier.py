"""Tests for the Rasa graph component (run under .venv/rasa)."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.constants import ENTITIES, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.components.language_identifier import LanguageIdentifier  # noqa: E402


@pytest.fixture(scope="module")
def component(tmp_path_factory: pytest.TempPathFactory) -> LanguageIdentifier:
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    return LanguageIdentifier.create(
        LanguageIdentifier.get_default_config(),
        storage,
        Resource("language_identifier"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def _entities(message: Message, name: str) -> list[dict]:
    return [e for e in message.get(ENTITIES, []) if e["entity"] == name]


def test_sets_language_and_entity(component: LanguageIdentifier) -> None:
    text = "九寨沟门票多少钱"
    message = Message({TEXT: text})
    component.process([message])
    assert message.get("language") == "zh"
    assert 0.9 <= message.get("language_confidence") <= 1.0
    assert message.get("language_reliable") is True
    out = message.as_dict(only_output_properties=True)
    assert out["language"] == "zh" and "language_confidence" in out
    (entity,) = _entities(message, "language")
    assert entity["value"] == "zh" and entity["start"] == 0 and entity["end"] == len(text)
    assert entity["extractor"] == "LanguageIdentifier"


def test_keeps_existing_entities(component: LanguageIdentifier) -> None:
    existing = {"entity": "attraction", "value": "九寨沟", "start": 0, "end": 3}
    message = Message({TEXT: "Wie viel kostet der Eintritt?", ENTITIES: [existing]})
    component.process([message])
    assert existing in message.get(ENTITIES)
    assert _entities(message, "language")[0]["value"] == "de"


def test_unreliable_adds_no_entity(component: LanguageIdentifier) -> None:
    message = Message({TEXT: "ok"})
    component.process([message])
    assert message.get("language_reliable") is False
    assert message.get("language") in ("en", "fr", "de", "es")
    assert not _entities(message, "language")


def test_unsupported_language(component: LanguageIdentifier) -> None:
    message = Message({TEXT: "Quanto costa il biglietto per il museo?"})
    component.process([message])
    assert message.get("language") == "und"
    assert _entities(message, "language")[0]["value"] == "und"
    assert _entities(message, "unsupported_language")[0]["value"] == "it"


def test_training_data_is_left_unannotated(component: LanguageIdentifier) -> None:
    examples = [
        Message({TEXT: "こんにちは", "intent": "greet"}),
        Message({TEXT: "Сколько стоит билет?", "intent": "ask_ticket_price"}),
    ]
    component.process_training_data(TrainingData(training_examples=examples))
    assert [m.get("language") for m in examples] == [None, None]
    assert all(not m.get(ENTITIES) for m in examples)


def test_intent_payload_is_skipped(component: LanguageIdentifier) -> None:
    message = Message({TEXT: "/greet"})
    component.process([message])
    assert message.get("language") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Combien coûte la base des pandas de Bifengxia ?", "fr"),
        ("Et la base des pandas de Chengdu ?", "fr"),
        ("Wie viel kostet der Eintritt?", "de"),
        ("How much is the ticket to Leshan?", "en"),
    ],
)
def test_word_frequencies_overrule_a_wrong_western_guess(text: str, expected: str) -> None:
    from bot.components.langid import get_guesser
    from bot.components.language_identifier import second_opinion

    guess = second_opinion(text, get_guesser().detect(text))
    assert (guess.language, guess.reliable) == (expected, True)


def test_pinyin_beside_another_languages_words_keeps_the_session_language() -> None:
    from bot.components.langid import get_guesser
    from bot.components.language_identifier import second_opinion

    guesser = get_guesser()
    for text in ("¿y jiu zhai gou?", "et jiu zhai gou ?"):
        assert not second_opinion(text, guesser.detect(text)).reliable
    chinese = second_opinion("leshan dafo zenme qu", guesser.detect("leshan dafo zenme qu"))
    assert (chinese.language, chinese.reliable) == ("zh", True)
