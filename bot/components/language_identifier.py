"""Rasa 3.6 graph component that tags every user message with its language.

Pipeline usage (config.yml), ideally first, before the tokenizers::

    - name: bot.components.language_identifier.LanguageIdentifier

Registered as a non-trainable ``MESSAGE_FEATURIZER`` so Rasa runs it both on
training data (``process_training_data``) and on parse (``process``). It adds
no features. For each message with text it sets (all in the parse output):

* ``language``: one of zh en ja ko fr de es ru, or ``"und"`` (unsupported);
* ``language_confidence``: float 0..1;
* ``language_reliable``: False for very short / ambiguous text.

Entities added at parse time only (never to training data, so DIET does not
learn them):

* reliable supported guess -> ``{"entity": "language", "value": <code>,
  "start": 0, "end": len(text), "extractor": "LanguageIdentifier",
  "confidence_entity": conf}``; with a ``from_entity`` mapping this sets the
  ``language`` slot. Unreliable guesses add nothing, so the slot keeps the
  session language.
* reliable unsupported language -> ``language`` is ``"und"``, the ``language``
  entity carries ``"und"`` (so the session slot switches every response to the
  polite English + Chinese notice) and an entity ``unsupported_language``
  carries the detected ISO 639-1 code (e.g. "it", "th"; may be "" for an
  unknown script) for analytics.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.langid import (
    LanguageGuess,
    frequency_posterior,
    get_guesser,
    is_pinyin_word,
)
from common.languages import UNDETERMINED

EXTRACTOR_NAME = "LanguageIdentifier"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageIdentifier(GraphComponent):
    """Sets ``language`` (+ entity) on messages; see module docstring."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Default config."""
        return {
            "add_entity": True,
            "entity_name": "language",
            "unsupported_entity_name": "unsupported_language",
            "min_entity_confidence": 0.0,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        self._identifier = get_guesser()
        self._identifier.warm_up()  # load models at model-load time, not on the first message

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageIdentifier:
        """Creates the component (nothing to train or persist)."""
        return cls(config)

    @staticmethod
    def required_packages() -> list[str]:
        """Packages Rasa checks for (import name == distribution name only)."""
        return ["langdetect"]  # lingua: module and distribution names differ

    # ------------------------------------------------------------------ graph API
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training examples as they are.

        Nothing downstream reads an example's language at training time, and identifying 20,000
        examples took about a minute of every training run. Annotated entities are left alone too.
        """
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Annotates user messages at parse time (attributes + entities)."""
        for message in messages:
            text = _text_of(message)
            if not text:
                continue
            guess = second_opinion(text, self._identifier.detect(text))
            self._set_attributes(message, guess)
            if self._config["add_entity"]:
                self._add_entity(message, guess, text)
        return messages

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _set_attributes(message: Message, guess: LanguageGuess) -> None:
        message.set("language", guess.language, add_to_output=True)
        message.set("language_confidence", float(guess.confidence), add_to_output=True)
        message.set("language_reliable", bool(guess.reliable), add_to_output=True)

    def _add_entity(self, message: Message, guess: LanguageGuess, text: str) -> None:
        if not guess.reliable or guess.confidence < self._config["min_entity_confidence"]:
            return
        found = [(self._config["entity_name"], guess.language)]
        if guess.language == UNDETERMINED:
            found.append((self._config["unsupported_entity_name"], guess.detected))
        entities = [
            {
                "entity": name,
                "value": value,
                "start": 0,
                "end": len(text),
                "extractor": EXTRACTOR_NAME,
                "confidence_entity": float(guess.confidence),
            }
            for name, value in found
        ]
        message.set(ENTITIES, [*message.get(ENTITIES, []), *entities], add_to_output=True)


def _text_of(message: Message) -> str | None:
    """User text of a message, ignoring empty text and ``/intent`` payloads."""
    text = message.get(TEXT)
    if not isinstance(text, str) or not text.strip() or text.startswith("/"):
        return None
    return text


_LATIN_LANGUAGES = frozenset({"en", "fr", "de", "es"})
_WORD = re.compile(r"[^\W\d_]+")
_HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
FREQUENCY_OVERRIDE = 0.99
"""Word frequencies must give another Western language at least this posterior to overrule."""


def second_opinion(text: str, guess: LanguageGuess) -> LanguageGuess:
    """The guess, checked against word frequencies for Latin-script messages.

    * Pinyin read as Chinese beside words that are not pinyin ("et jiu zhai gou ?", "¿y
      jiuzhaigou?") is a name inside another language's message: unreliable, so the session
      language holds.
    * A Western-language guess that the message's common words contradict ("Combien coûte la base
      des pandas de Bifengxia ?" guessed Spanish) becomes the language the words favour.
    """
    if _HAN_OR_KANA.search(text):
        return guess
    words = [w.lower() for w in _WORD.findall(text) if all(c.isascii() or c.isalpha() for c in w)]
    if not words:
        return guess
    if guess.language == "zh":
        foreign = [w for w in words if not is_pinyin_word(w)]
        if foreign and guess.reliable:
            return LanguageGuess(guess.language, guess.confidence, False, guess.detected)
        return guess
    if guess.language not in _LATIN_LANGUAGES or len(words) < 3:
        return guess
    common = [w for w in words if not is_pinyin_word(w)]
    posterior = frequency_posterior(common) if len(common) >= 3 else None
    if not posterior:
        return guess
    best = max(_LATIN_LANGUAGES, key=lambda code: posterior.get(code, 0.0))
    if best != guess.language and posterior.get(best, 0.0) >= FREQUENCY_OVERRIDE:
        return LanguageGuess(best, max(float(guess.confidence), 0.6), True, best)
    return guess
