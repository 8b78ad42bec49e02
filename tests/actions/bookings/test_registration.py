"""Every action the bookings domain names is registered by the action server's package scan."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[3]


def test_every_bookings_action_is_registered() -> None:
    domain = yaml.safe_load((ROOT / "bot" / "domain" / "bookings.yml").read_text("utf-8"))
    executor = ActionExecutor()
    executor.register_package("actions")
    missing = [name for name in domain["actions"] if name not in executor.actions]
    assert missing == []


def test_every_form_slot_has_a_question() -> None:
    """Each required slot is asked by an action_ask_<slot> action or an utter_ask_<slot> text."""
    domain = yaml.safe_load((ROOT / "bot" / "domain" / "bookings.yml").read_text("utf-8"))
    texts = yaml.safe_load((ROOT / "bot" / "i18n" / "bookings" / "en.yml").read_text("utf-8"))
    for form in domain["forms"].values():
        for slot in form["required_slots"]:
            if slot == "attraction":
                assert "utter_ask_attraction" in texts
                continue
            assert f"action_ask_{slot}" in domain["actions"] or f"utter_ask_{slot}" in texts, slot
