"""scripts/build_responses.py turns per-language texts into conditional response variations."""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts import build_responses

ROOT = Path(__file__).resolve().parents[2]


def write(directory: Path, lang: str, texts: dict[str, list[str]]) -> None:
    (directory / f"{lang}.yml").write_text(
        yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8"
    )


def test_each_language_gets_its_own_condition_and_english_is_the_default(tmp_path: Path) -> None:
    write(
        tmp_path, "en", {"utter_greet": ["Hello"], "utter_unsupported_language": ["Sorry / 抱歉"]}
    )
    write(tmp_path, "zh", {"utter_greet": ["你好"], "utter_unsupported_language": ["抱歉 / Sorry"]})
    responses = build_responses.build(build_responses.load_texts(tmp_path))["responses"]
    greet = responses["utter_greet"]
    unlocked = {"type": "slot", "name": "language_locked", "value": None}
    assert {
        "text": "你好",
        "condition": [unlocked, {"type": "slot", "name": "language", "value": "zh"}],
    } in greet
    assert {
        "text": "你好",
        "condition": [{"type": "slot", "name": "language_locked", "value": "zh"}],
    } in greet
    assert {
        "text": "Sorry / 抱歉",
        "condition": [unlocked, {"type": "slot", "name": "language", "value": "und"}],
    } in greet
    assert greet[-1] == {"text": "Hello"}


def test_a_missing_translation_falls_back_to_english(tmp_path: Path) -> None:
    write(
        tmp_path,
        "en",
        {"utter_greet": ["Hello"], "utter_bye": ["Bye"], "utter_unsupported_language": ["x"]},
    )
    write(tmp_path, "de", {"utter_greet": ["Hallo"]})
    bye = build_responses.build(build_responses.load_texts(tmp_path))["responses"]["utter_bye"]
    assert {
        "text": "Bye",
        "condition": [
            {"type": "slot", "name": "language_locked", "value": None},
            {"type": "slot", "name": "language", "value": "de"},
        ],
    } in bye
