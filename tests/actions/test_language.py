"""action_set_language: switches the session language only when the tourist asks for a language."""

from __future__ import annotations

import time
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import session_language
from actions.language import ActionSetLanguage, requested_language

REQUESTS = [
    # English
    ("please answer in German", "de"),
    ("can you speak English?", "en"),
    ("do you speak French?", "fr"),
    ("English please", "en"),
    ("English, please", "en"),
    ("in English", "en"),
    ("I prefer English", "en"),
    ("language: Korean", "ko"),
    ("change the language to Korean", "ko"),
    ("could you switch back to English? I can't read the Chinese replies", "en"),
    ("I'm French, is it possible to continue this chat in French", "fr"),
    ("I am German, please answer in German", "de"),
    ("switch to 中文", "zh"),
    # Chinese
    ("用日语回答", "ja"),
    ("中文", "zh"),
    ("说中文吧", "zh"),
    ("我想换成英文", "en"),
    ("你能不能说中文", "zh"),
    ("我朋友是韩国人，请用韩语", "ko"),
    ("我看不懂英文，说中文", "zh"),
    ("English please，不对，还是说中文吧", "zh"),
    ("请用繁體中文", "zh"),
    # Japanese
    ("日本語で話してください", "ja"),
    ("日本語でお願いします", "ja"),
    ("英語じゃなくて日本語で", "ja"),
    ("ドイツ語に切り替えてください", "de"),
    ("日本語しかできません", "ja"),
    ("中国語で答えて", "zh"),
    # Korean
    ("한국어로 대답해 주세요", "ko"),
    ("한국어로 해주세요", "ko"),
    ("영어 할 줄 알아?", "en"),
    ("영어 말고 한국어로요", "ko"),
    ("프랑스어로 바꿔줘", "fr"),
    # French
    ("répondez en français", "fr"),
    ("parlez français s'il vous plaît", "fr"),
    ("parlez-vous anglais ?", "en"),
    ("je parle français, pas chinois", "fr"),
    ("passez à l'anglais", "en"),
    # German
    ("antworte bitte auf Deutsch", "de"),
    ("auf Deutsch bitte", "de"),
    ("Sprechen Sie Englisch?", "en"),
    ("Sie sprechen Deutsch?", "de"),
    ("nicht auf Chinesisch, auf Deutsch bitte", "de"),
    ("ich möchte Deutsch sprechen", "de"),
    # Spanish
    ("¿puedes hablar en español?", "es"),
    ("en español por favor", "es"),
    ("¿hablas inglés?", "en"),
    ("¿Habla usted inglés?", "en"),
    ("respóndeme en español", "es"),
    ("cambie a ruso, por favor", "ru"),
    # Russian
    ("отвечай по-русски", "ru"),
    ("говорите по-русски", "ru"),
    ("по-русски, пожалуйста", "ru"),
    ("вы говорите по-английски?", "en"),
    ("переключитесь на немецкий, пожалуйста", "de"),
]

NOT_REQUESTS = [
    # who you are, where you come from
    "I am German, how much is the ticket?",
    "我是日本人",
    "日本人です",
    "한국 사람이에요",
    "Je suis français",
    "Ich komme aus Deutschland",
    "Ich bin Deutscher",
    "Soy español",
    "Я русский",
    # a language mentioned for something else
    "is there a Russian menu?",
    "do guides speak Japanese?",
    "do you have a guide in Japanese?",
    "can we go to the Chinese garden?",
    "有日语导游吗",
    "这里的导游会说英语吗",
    "英語で書かれたメニューはありますか",
    "ガイドは日本語を話せますか",
    "영어로 된 메뉴 있어요?",
    "가이드가 일본어 할 줄 알아요?",
    "Y a-t-il un menu en russe ?",
    "les guides parlent japonais ?",
    "Gibt es eine Speisekarte auf Russisch?",
    "¿Hay un menú en ruso?",
    "El guía habla inglés?",
    "¿Hablan inglés los guías?",
    "日本語話せるスタッフいますか",
    "영어 가능한 직원 있어요?",
    "есть меню на русском?",
    "гид говорит по-японски?",
    "traduis ce texte en allemand",
    # negated, ambiguous, unnamed or unsupported
    "please don't answer in Chinese",
    "别说英文了",
    "不要用英文回答",
    "日本語は話せません",
    "English or French?",
    "can you speak English or French?",
    "can you talk",
    "다른 언어로",
    "can you speak Cantonese",
    # "hanyu" spells both 汉语 (Chinese) and 韩语 (Korean)
    "hanyu",
]


@pytest.mark.parametrize(("text", "expected"), REQUESTS)
def test_a_request_names_the_language(text: str, expected: str) -> None:
    assert requested_language(text) == expected


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_saying_who_you_are_or_mentioning_a_language_is_no_request(text: str) -> None:
    assert requested_language(text) is None


def test_requests_cover_all_eight_languages_as_request_and_as_target() -> None:
    assert {code for _, code in REQUESTS} == {"zh", "en", "ja", "ko", "fr", "de", "es", "ru"}


def tracker(text: str, slot: str | None, detected: str | None = None) -> Tracker:
    message = {"text": text, "language": detected}
    return Tracker("t", {"language": slot}, message, [], False, None, {}, "action_listen")


DOMAIN: dict[str, Any] = {
    "responses": {
        "utter_language_kept": [
            {
                "text": "继续用中文",
                "condition": [{"type": "slot", "name": "language_locked", "value": "zh"}],
            },
            {
                "text": "keeping English",
                "condition": [{"type": "slot", "name": "language_locked", "value": "en"}],
            },
            {"text": "keeping English"},
        ]
    }
}


async def test_a_request_sets_the_slot_and_the_rule_confirms() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSetLanguage().run(dispatcher, tracker("我想换成英文", "zh"), DOMAIN)
    assert events == [SlotSet("language", "en"), SlotSet("language_locked", "en")]
    assert dispatcher.messages == []  # utter_language_set follows from the rule


async def test_no_request_keeps_the_slot_says_so_and_skips_the_confirmation() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSetLanguage().run(dispatcher, tracker("我是日本人", "zh", "zh"), DOMAIN)
    assert events == [FollowupAction("action_listen")]
    assert [m["text"] for m in dispatcher.messages] == ["继续用中文"]


async def test_no_request_on_a_new_session_takes_the_language_of_the_message() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSetLanguage().run(dispatcher, tracker("我是日本人", None, "zh"), DOMAIN)
    assert events == [SlotSet("language", "zh"), FollowupAction("action_listen")]
    assert [m["text"] for m in dispatcher.messages] == ["继续用中文"]


async def test_without_the_domain_the_response_is_named() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSetLanguage().run(dispatcher, tracker("다른 언어로", "ko", "ko"), {})
    assert events == [FollowupAction("action_listen")]
    assert dispatcher.messages[0]["response"] == "utter_language_kept"


def test_a_long_message_is_read_quickly() -> None:
    started = time.perf_counter()
    assert requested_language("please answer in German " * 4000) == "de"
    assert requested_language("I am German, " * 8000) is None
    assert time.perf_counter() - started < 0.5


# --------------------------------------------------------------------------- the lock


def turn(detected: str | None, locked: str | None) -> Tracker:
    """A tracker after a message whose language (``detected``) is already in the slot."""
    slots = {"language": detected, "language_locked": locked}
    return Tracker("t", slots, {"text": "…"}, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("detected", "locked", "expected"),
    [
        ("de", "en", "en"),  # asked for English, then wrote German: English holds
        ("zh", "en", "en"),
        ("und", "en", "en"),  # an unsupported language does not break the request either
        ("ja", "ja", "ja"),
        ("de", None, "de"),  # no request: the reply follows the message
        ("ko", None, "ko"),
    ],
)
def test_actions_answer_in_the_requested_language_until_the_tourist_asks_otherwise(
    detected: str, locked: str | None, expected: str
) -> None:
    assert session_language(turn(detected, locked)) == expected


async def test_a_new_request_moves_the_lock() -> None:
    t = Tracker(
        "t",
        {"language": "en", "language_locked": "en"},
        {"text": "请用中文回答", "language": "zh"},
        [],
        False,
        None,
        {},
        "action_listen",
    )

    events = await ActionSetLanguage().run(CollectingDispatcher(), t, DOMAIN)

    assert events == [SlotSet("language", "zh"), SlotSet("language_locked", "zh")]
