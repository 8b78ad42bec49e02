"""The domain keeps its promises: the intent inventory, a response per language, a rule per intent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain

from common.languages import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "human_handoff",
    "out_of_scope",
    "ask_attraction_info",
    "ask_ticket_price",
    "ask_opening_hours",
    "ask_location",
    "ask_contact",
    "recommend_attractions",
    "ask_weather",
    "ask_crowd",
    "book_ticket",
    "book_hotel",
    "check_booking",
    "cancel_booking",
    "file_complaint",
    "check_complaint_status",
    "set_language",
    # answer paths (issue 14)
    "ask_reservation",
    "ask_accessibility",
    "ask_best_season",
    "ask_altitude",
    "ask_food",
    "ask_visit_duration",
    "plan_itinerary",
    "ask_practical_info",
    # complaints and hand-off (issue 10): leave a form, give the conversation back to the bot
    "stop",
    "hand_back",
    # cross-channel identity (issue 11): bookings and complaints of a verified phone number
    "show_my_records",
}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


def test_domain_declares_exactly_the_intent_inventory(domain: Domain) -> None:
    rasa_defaults = {"nlu_fallback", "restart", "back", "session_start"}
    assert set(domain.intents) - rasa_defaults == INVENTORY


def test_every_response_has_a_variation_for_each_language_and_for_unsupported(
    domain: Domain,
) -> None:
    for name, variations in domain.responses.items():
        conditions = [
            {c["name"]: c["value"] for c in v["condition"]}
            for v in variations
            if v.get("condition")
        ]
        unlocked = {c["language"] for c in conditions if c.get("language_locked") is None}
        locked = {c["language_locked"] for c in conditions if c.get("language_locked")}
        assert unlocked == set(SUPPORTED_LANGUAGES) | {"und"}, name
        assert locked == set(SUPPORTED_LANGUAGES), name
        assert any(not v.get("condition") for v in variations), (
            f"{name} has no default (English) text"
        )


def test_i18n_files_have_the_same_keys_in_every_language() -> None:
    catalogues = {
        lang: yaml.safe_load((ROOT / "bot" / "i18n" / f"{lang}.yml").read_text("utf-8"))
        for lang in SUPPORTED_LANGUAGES
    }
    reference = set(catalogues["en"])
    for lang, catalogue in catalogues.items():
        assert set(catalogue) == reference, lang
        assert all(
            isinstance(t, str) and t.strip() for texts in catalogue.values() for t in texts
        ), lang


def test_generated_responses_are_up_to_date() -> None:
    result = subprocess.run([sys.executable, "-m", "scripts.build_responses", "--check"], cwd=ROOT)
    assert result.returncode == 0, "run `make responses` and commit bot/domain/responses.yml"


def test_every_intent_is_handled_by_a_rule() -> None:
    rules = [  # rules.yml and each area's file (bookings.yml, ...)
        rule
        for path in sorted((ROOT / "bot" / "data").glob("*.yml"))
        for rule in (yaml.safe_load(path.read_text("utf-8")) or {}).get("rules") or []
    ]
    handled = {step["intent"] for rule in rules for step in rule["steps"] if "intent" in step}
    assert INVENTORY | {"nlu_fallback"} <= handled


def test_the_language_slot_takes_exactly_the_supported_languages_and_und(domain: Domain) -> None:
    slot = next(s for s in domain.slots if s.name == "language")
    assert [v for v in slot.values if v != "__other__"] == [*SUPPORTED_LANGUAGES, "und"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("slots", "lang"),
    [
        ({"language": "en", "language_locked": "de"}, "de"),  # asked for German: German holds
        ({"language": "zh", "language_locked": "ja"}, "ja"),
        (
            {"language": "ko", "language_locked": None},
            "ko",
        ),  # no request: the conversation's language
        ({"language": "fr", "language_locked": None}, "fr"),
    ],
)
def test_rasa_picks_the_requested_language_over_the_detected_one(
    slots: dict[str, str | None], lang: str
) -> None:
    from rasa.core.nlg.generator import ResponseVariationFilter

    from scripts.build_responses import load_texts

    responses = yaml.safe_load((ROOT / "bot" / "domain" / "responses.yml").read_text("utf-8"))
    generator = ResponseVariationFilter(responses["responses"])
    chosen = generator.responses_for_utter_action("utter_greet", "rest", slots)
    assert chosen, "no variation matched"
    assert {c["text"] for c in chosen} <= set(load_texts()[lang]["utter_greet"])
