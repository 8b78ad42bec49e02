"""action_set_language: switches the session language to the one the tourist names."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionSetLanguage, requested_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please speak English", "en"),
        ("日本語でお願いします", "ja"),
        ("说中文吧", "zh"),
        ("한국어로 해주세요", "ko"),
        ("parlez français s'il vous plaît", "fr"),
        ("auf Deutsch bitte", "de"),
        ("en español por favor", "es"),
        ("говорите по-русски", "ru"),
        ("can you talk", None),
        ("English or French?", None),
    ],
)
def test_requested_language(text: str, expected: str | None) -> None:
    assert requested_language(text) == expected


async def test_action_sets_the_slot_and_keeps_it_when_nothing_is_named() -> None:
    action = ActionSetLanguage()
    named = Tracker("t", {"language": "zh"}, {"text": "我想换成英文"}, [], False, None, {}, "action_listen")
    assert await action.run(CollectingDispatcher(), named, {}) == [SlotSet("language", "en")]
    unnamed = Tracker("t", {"language": "ko"}, {"text": "다른 언어로"}, [], False, None, {}, "action_listen")
    assert await action.run(CollectingDispatcher(), unnamed, {}) == [SlotSet("language", "ko")]
