"""Rasa NLU components: knowledge-base gazetteer and rule-based entities (no training examples needed).

* :class:`GazetteerEntityExtractor` reads every knowledge-base entry at training time and stores the
  folded alias table in the model, so the trained model needs no knowledge-base files. Entities:
  ``attraction`` (venues) and ``topic`` (topic and event entries); the value is the entry id.
* :class:`RuleEntityExtractor` finds ``date``, ``time``, ``part_of_day``, ``party_size``, ``adults``,
  ``children``, ``phone``, ``booking_ref`` and ``complaint_ref``. Relative dates are resolved against
  today in ``timezone`` (or ``reference_date`` when set, for tests and evaluation).

The rule extractor leaves spans the gazetteer already claimed alone; entities of other components
(e.g. LanguageIdentifier's whole-text ``language``) are kept and ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.entities.dates import find_dates
from bot.components.entities.gazetteer import NluGazetteer
from bot.components.entities.numbers import find_party
from bot.components.entities.patterns import Found, find_phones, find_refs
from common.fingerprint import hash_files

logger = logging.getLogger(__name__)
TABLE_FILE = "aliases.json"
_OURS = ("GazetteerEntityExtractor", "RuleEntityExtractor")


def _entity(found: Found, extractor: str) -> dict[str, Any]:
    return {
        "entity": found.entity,
        "start": found.start,
        "end": found.end,
        "value": found.value,
        "confidence_entity": 1.0,
        "extractor": extractor,
    }


def _add(message: Message, found: Iterable[Found], extractor: str) -> None:
    """Appends ``found`` to the message entities, skipping spans an earlier extractor claimed."""
    existing = list(message.get(ENTITIES, []) or [])
    # only spans found by these extractors count (LanguageIdentifier's "language" spans the whole text)
    claimed = [
        (e.get("start", 0), e.get("end", 0)) for e in existing if e.get("extractor") in _OURS
    ]
    new = [
        _entity(f, extractor) for f in found if all(f.end <= s or f.start >= e for s, e in claimed)
    ]
    if new:
        message.set(ENTITIES, existing + new, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class GazetteerEntityExtractor(GraphComponent):
    """Knowledge-base names and aliases in any of the eight languages -> ``attraction`` / ``topic``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``entries_dir``: knowledge-base entry files, read at training time only."""
        return {"entries_dir": "knowledge_base/data/entries"}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Hash of the entry files, so editing the knowledge base retrains this component."""
        directory = Path(config.get("entries_dir") or ".")
        return hash_files(sorted(directory.glob("*.yml")), directory)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        gazetteer: NluGazetteer | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._gazetteer = gazetteer or NluGazetteer({})

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GazetteerEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Reads the knowledge-base entries and persists the alias table."""
        directory = Path(self._config["entries_dir"])
        if not directory.is_dir():
            raise FileNotFoundError(f"knowledge-base entries not found: {directory.resolve()}")
        self._gazetteer = NluGazetteer.from_directory(directory)
        logger.info("Gazetteer: %d aliases from %s", len(self._gazetteer), directory)
        with self._model_storage.write_to(self._resource) as resource_dir:
            (Path(resource_dir) / TABLE_FILE).write_text(
                json.dumps(self._gazetteer.table, ensure_ascii=False, sort_keys=True),
                encoding="utf-8",
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
    ) -> GazetteerEntityExtractor:
        """Loads the alias table from the model (empty when the model has none)."""
        try:
            with model_storage.read_from(resource) as resource_dir:
                table = json.loads((Path(resource_dir) / TABLE_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("No gazetteer table in the model; %s finds no entities.", cls.__name__)
            table = {}
        return cls(config, model_storage, resource, NluGazetteer(table))

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds ``attraction`` / ``topic`` entities; value = knowledge-base entry id."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                Found(m.entity, m.entry_ids[0], m.start, m.end)
                for m in self._gazetteer.find_all(text)
                if len(m.entry_ids) == 1
            ]
            _add(message, found, self.__class__.__name__)
        return messages


_PRIORITY = {"booking_ref": 0, "complaint_ref": 0, "phone": 1}


def find_rule_entities(text: str, today: dt.date) -> list[Found]:
    """All rule entities in ``text``: references, then phones, then dates/times, then party sizes.

    A lower-priority match overlapping a higher-priority one is dropped (the date inside
    ``BK-20261224-0001`` is not a date).
    """
    groups = [find_refs(text), find_phones(text), find_dates(text, today), find_party(text)]
    kept: list[Found] = []
    for group in groups:
        blocked = [(f.start, f.end) for f in kept]
        kept.extend(f for f in group if all(f.end <= s or f.start >= e for s, e in blocked))
    return sorted(kept, key=lambda f: (f.start, f.end))


def today_in(timezone: str) -> dt.date:
    """Today's date in ``timezone`` (China has no DST, so UTC+8 is the fallback)."""
    try:
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(timezone)).date()
    except Exception:  # noqa: BLE001 - missing tz database
        return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RuleEntityExtractor(GraphComponent):
    """Dates, times, party sizes, phone numbers and reference numbers from fixed rules."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``timezone`` for "today"; ``reference_date`` (ISO) pins "today" for tests/evaluation."""
        return {"timezone": "Asia/Shanghai", "reference_date": None}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleEntityExtractor:
        return cls(config)

    def today(self) -> dt.date:
        """The reference date relative dates are resolved against."""
        if self._config.get("reference_date"):
            return dt.date.fromisoformat(str(self._config["reference_date"]))
        return today_in(self._config.get("timezone") or "Asia/Shanghai")

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the rule entities to every message."""
        today = self.today()
        for message in messages:
            text = message.get(TEXT)
            if text:
                _add(message, find_rule_entities(text, today), self.__class__.__name__)
        return messages
