"""Explicit language choice ("please speak English", "日本語でお願いします")."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

SUPPORTED = ("zh", "en", "ja", "ko", "fr", "de", "es", "ru")

# Names of each supported language, in the eight languages and common romanisations.
_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "zh": ("中文", "汉语", "漢語", "普通话", "普通話", "华语", "chinese", "zhongwen", "中国語",
           "중국어", "chinois", "chinesisch", "chino", "китайск"),
    "en": ("英语", "英文", "英語", "english", "yingyu", "영어", "anglais", "englisch", "inglés",
           "ingles", "английск", "по-английски"),
    "ja": ("日语", "日文", "日本語", "日本语", "japanese", "riyu", "일본어", "japonais",
           "japanisch", "japonés", "japones", "японск", "にほんご"),
    "ko": ("韩语", "韩文", "韓語", "朝鲜语", "한국어", "韓国語", "korean", "hanyu", "coréen",
           "coreen", "koreanisch", "coreano", "корейск"),
    "fr": ("法语", "法文", "フランス語", "프랑스어", "french", "français", "francais",
           "französisch", "franzosisch", "francés", "frances", "французск", "по-французски"),
    "de": ("德语", "德文", "ドイツ語", "독일어", "german", "allemand", "deutsch", "alemán",
           "aleman", "немецк", "по-немецки"),
    "es": ("西班牙语", "西语", "スペイン語", "스페인어", "spanish", "espagnol", "spanisch",
           "español", "espanol", "castellano", "испанск", "по-испански"),
    "ru": ("俄语", "俄文", "ロシア語", "러시아어", "russian", "russe", "russisch", "ruso",
           "русск", "по-русски"),
}
_PATTERNS = {
    lang: re.compile("|".join(re.escape(name) for name in names), re.IGNORECASE)
    for lang, names in _LANGUAGE_NAMES.items()
}


def requested_language(text: str) -> str | None:
    """The supported language named in ``text``, or None when none (or several) is named."""
    found = {lang for lang, pattern in _PATTERNS.items() if pattern.search(text)}
    return found.pop() if len(found) == 1 else None


class ActionSetLanguage(Action):
    """Switches the session language to the one the tourist asked for."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Sets the ``language`` slot; the rule then confirms with ``utter_language_set``."""
        text = tracker.latest_message.get("text") or ""
        language = requested_language(text) or tracker.get_slot("language") or "en"
        return [SlotSet("language", language)]
