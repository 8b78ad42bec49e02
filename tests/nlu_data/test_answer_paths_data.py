"""Every answer-path intent is in the domain, has a rule and >= 40 examples in each language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from common.languages import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
INTENTS = {
    "ask_reservation": "action_answer_knowledge",
    "ask_accessibility": "action_answer_knowledge",
    "ask_best_season": "action_answer_knowledge",
    "ask_altitude": "action_answer_knowledge",
    "ask_food": "action_answer_knowledge",
    "ask_visit_duration": "action_answer_knowledge",
    "plan_itinerary": "action_plan_itinerary",
    "ask_practical_info": "action_answer_knowledge",
}
MIN_EXAMPLES = 40


def examples(lang: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "nlu_data" / lang).glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in block:
                lines = [x.strip()[2:] for x in block["examples"].splitlines() if x.strip()]
                found.setdefault(block["intent"], []).extend(lines)
    return found


def test_every_intent_is_in_the_domain_with_its_action_and_rule() -> None:
    domain = yaml.safe_load((ROOT / "bot/domain/core.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((ROOT / "bot/data/rules.yml").read_text(encoding="utf-8"))["rules"]
    by_intent = {
        rule["steps"][0]["intent"]: rule["steps"][1]["action"]
        for rule in rules
        if len(rule["steps"]) == 2 and "intent" in rule["steps"][0]
    }
    for intent, action in INTENTS.items():
        assert intent in domain["intents"]
        assert action in domain["actions"]
        assert by_intent.get(intent) == action, intent


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_intent_has_enough_distinct_examples(lang: str) -> None:
    found = examples(lang)
    for intent in INTENTS:
        distinct = set(found.get(intent, []))
        assert len(distinct) >= MIN_EXAMPLES, (lang, intent, len(distinct))


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_no_example_carries_two_intents(lang: str) -> None:
    owner: dict[str, str] = {}
    for intent, lines in examples(lang).items():
        for line in lines:
            assert owner.setdefault(line, intent) == intent, (lang, line)
