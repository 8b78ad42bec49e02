"""The complaint form end to end against the real platform: each answer read by
``validate_complaint_form``, the summary, filing, cancelling, refusals and an unreachable platform."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from fastapi import FastAPI
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.client import CaseApiClient
from actions.complaints.form import (
    FORM_SLOTS,
    ActionAskComplaintCategory,
    ActionAskComplaintConfirm,
    ActionSubmitComplaint,
    ValidateComplaintForm,
)
from tests.actions.complaints.conftest import BOT_TOKEN, Staff, make_tracker

TODAY = dt.date(2026, 12, 7)
LANGUAGES = ("zh", "en", "ja", "ko", "fr", "de", "es", "ru")
DOMAIN: dict[str, Any] = {
    "responses": {
        "utter_complaint_category_overcharging": [
            {"text": "乱收费", "condition": [{"type": "slot", "name": "language", "value": "zh"}]},
            {"text": "Overcharging"},
        ],
        "utter_complaint_none": [{"text": "none"}],
        "utter_complaint_button_yes": [{"text": "Yes"}],
        "utter_complaint_button_no": [{"text": "No"}],
    }
}


class Conversation:
    """Answers the form's questions one by one, as Rasa's form loop would."""

    def __init__(self, channel: str = "rest", language: str = "en") -> None:
        self.slots: dict[str, Any] = {"language": language, "requested_slot": None}
        self.channel = channel
        self.validator = ValidateComplaintForm(today=lambda: TODAY)
        self.messages: list[dict[str, Any]] = []

    async def start(self) -> str | None:
        await self._validate(
            make_tracker("I want to complain", slots=self.slots, channel=self.channel)
        )
        return self.slots["requested_slot"]

    async def answer(
        self,
        text: str,
        *,
        intent: str = "nlu_fallback",
        entities: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str | None:
        """Give ``text`` as the answer to the requested slot; the next requested slot."""
        slot = self.slots["requested_slot"]
        tracker = make_tracker(
            text,
            intent=intent,
            slots={**self.slots, slot: text},
            entities=entities,
            channel=self.channel,
            metadata=metadata,
            active_loop="complaint_form",
        )
        tracker.events.append({"event": "slot", "name": slot, "value": text})
        await self._validate(tracker)
        return self.slots["requested_slot"]

    async def _validate(self, tracker: Any) -> None:
        dispatcher = CollectingDispatcher()
        events = await self.validator.run(dispatcher, tracker, {})
        self.messages = dispatcher.messages
        for item in events:
            self.slots[item["name"]] = item["value"]

    def tracker(self, text: str = "yes") -> Any:
        return make_tracker(text, slots=self.slots, channel=self.channel)


async def fill_until_confirm(talk: Conversation) -> None:
    assert await talk.start() == "complaint_category"
    assert await talk.answer("1") == "complaint_place"
    assert (
        await talk.answer("Jiuzhaigou", entities=[{"entity": "attraction", "value": "jiuzhaigou"}])
        == "complaint_date"
    )
    assert (
        await talk.answer("yesterday", entities=[{"entity": "date", "value": "2026-12-06"}])
        == "complaint_amount"
    )
    assert await talk.answer("300 yuan") == "complaint_description"
    assert await talk.answer("The driver charged 300 yuan for a 30 yuan ride.") in (
        "complaint_phone",
        "complaint_evidence",
    )


async def test_a_full_complaint_is_filed_with_the_platform_and_the_phone_is_forgotten(
    client: CaseApiClient, staff: Staff
) -> None:
    talk = Conversation()
    await fill_until_confirm(talk)
    assert talk.slots["requested_slot"] == "complaint_phone"  # REST carries no pictures
    assert await talk.answer("138 0013 8000") == "complaint_confirm"
    assert talk.slots["complaint_phone"] == "+8613800138000"
    assert await talk.answer("yes", intent="affirm") is None  # form done

    dispatcher = CollectingDispatcher()
    events = await ActionSubmitComplaint(client).run(dispatcher, talk.tracker(), {})
    filed = dispatcher.messages[0]
    assert filed["response"] == "utter_complaint_filed"
    assert filed["reference"].startswith("TS-")
    assert "(" not in filed["due"] and str(TODAY.year) in filed["due"]
    cleared = {e["name"]: e["value"] for e in events}
    assert (
        cleared["complaint_phone"] is None and cleared["complaint_reference"] == filed["reference"]
    )

    listed = (await staff.get("/api/staff/complaints")).json()
    rows = listed["data"] if isinstance(listed, dict) and "data" in listed else listed
    case = next(r for r in rows if r["reference"] == filed["reference"])
    assert case["language"] == "en"
    detail = (await staff.get(f"/api/staff/complaints/{filed['reference']}")).json()
    text = str(detail)
    assert "jiuzhaigou" in text and "30000" in text.replace(",", "") and "overcharging" in text


async def test_evidence_is_asked_where_the_channel_carries_pictures() -> None:
    talk = Conversation(channel="wechat")
    await fill_until_confirm(talk)
    assert talk.slots["requested_slot"] == "complaint_evidence"
    assert await talk.answer("") == "complaint_evidence"  # neither a picture nor "skip"
    assert talk.messages[0]["response"] == "utter_complaint_evidence_invalid"
    assert (
        await talk.answer("", metadata={"image_url": "https://mmbiz.example/receipt.jpg"})
        == "complaint_phone"
    )
    assert talk.slots["complaint_evidence"] == "https://mmbiz.example/receipt.jpg"


async def test_rest_carries_pictures_when_the_message_says_so() -> None:
    talk = Conversation()
    await talk.start()
    tracker = make_tracker("1", slots=talk.slots, metadata={"images": True})
    required = await talk.validator.required_slots([], CollectingDispatcher(), tracker, {})
    assert "complaint_evidence" in required


async def test_an_invalid_answer_is_asked_again_and_earlier_answers_are_kept() -> None:
    talk = Conversation()
    await fill_until_confirm(talk)
    assert await talk.answer("call me maybe") == "complaint_phone"
    assert talk.messages[0]["response"] == "utter_complaint_phone_invalid"
    assert talk.slots["complaint_category"] == "overcharging"
    assert talk.slots["complaint_amount"] == "30000"
    assert talk.slots["complaint_description"].startswith("The driver")


async def test_invalid_category_date_and_amount_say_what_is_expected() -> None:
    talk = Conversation()
    await talk.start()
    assert await talk.answer("9") == "complaint_category"
    assert talk.messages[0]["response"] == "utter_complaint_category_invalid"
    await talk.answer("2")
    await talk.answer("a jade shop on the tour")
    assert await talk.answer("next week") == "complaint_date"
    assert talk.messages[0]["response"] == "utter_complaint_date_invalid"
    await talk.answer("2026-12-01")
    assert await talk.answer("lots") == "complaint_amount"
    assert talk.messages[0]["response"] == "utter_complaint_amount_invalid"
    assert await talk.answer("none") == "complaint_description"
    assert talk.slots["complaint_place"] == "a jade shop on the tour"
    assert talk.slots["complaint_venue_id"] is None


async def test_cancel_at_any_question_ends_the_form_and_files_nothing(
    client: CaseApiClient, staff: Staff
) -> None:
    for stop_word, language in [("cancel", "en"), ("算了", "zh"), ("やめる", "ja"), ("стоп", "ru")]:
        talk = Conversation(language=language)
        await talk.start()
        await talk.answer("1")
        assert await talk.answer(stop_word) is None  # requested_slot None: the form ends
        assert talk.slots["complaint_cancelled"] is True
        dispatcher = CollectingDispatcher()
        events = await ActionSubmitComplaint(client).run(dispatcher, talk.tracker(), {})
        assert dispatcher.messages[0]["response"] == "utter_complaint_cancelled"
        assert all(e["value"] is None for e in events if e["name"] in FORM_SLOTS)
    listed = (await staff.get("/api/staff/complaints")).json()
    rows = listed["data"] if isinstance(listed, dict) and "data" in listed else listed
    assert rows == []


async def test_the_stop_intent_on_a_short_message_ends_the_form() -> None:
    talk = Conversation()
    await talk.start()
    assert await talk.answer("let's leave it", intent="stop") is None
    assert talk.slots["complaint_cancelled"] is True


async def test_a_long_description_classified_as_stop_is_still_a_description() -> None:
    talk = Conversation()
    await fill_until_confirm(talk)
    # fill_until_confirm gave the description; a long text with intent stop elsewhere is kept
    talk2 = Conversation()
    await talk2.start()
    await talk2.answer("1")
    await talk2.answer("the old town")
    await talk2.answer("2026-12-05")
    await talk2.answer("50")
    long_text = "The boat driver would not stop asking for more money until we paid him twice"
    assert await talk2.answer(long_text, intent="stop") == "complaint_phone"
    assert talk2.slots["complaint_description"] == long_text


async def test_no_at_the_summary_files_nothing() -> None:
    talk = Conversation()
    await fill_until_confirm(talk)
    await talk.answer("+33 6 12 34 56 78")
    assert await talk.answer("no", intent="deny") is None
    assert talk.slots["complaint_cancelled"] is True


async def test_category_question_has_numbered_choices_and_buttons() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("我要投诉", slots={"language": "zh"})
    await ActionAskComplaintCategory().run(dispatcher, tracker, DOMAIN)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_complaint_category"
    assert message["choices"].startswith("1. 乱收费\n2. ")
    assert len(message["buttons"]) == 7
    assert message["buttons"][0] == {"title": "1. 乱收费", "payload": "1"}


async def test_the_summary_masks_the_phone() -> None:
    talk = Conversation()
    await fill_until_confirm(talk)
    await talk.answer("13800138000")
    dispatcher = CollectingDispatcher()
    await ActionAskComplaintConfirm().run(dispatcher, talk.tracker(), DOMAIN)
    summary = dispatcher.messages[0]
    assert summary["response"] == "utter_ask_complaint_confirm"
    assert summary["phone"] == "+86 138****8000"
    assert summary["amount"] == "¥300.00"
    assert summary["category"] == "Overcharging"
    assert summary["place"] == "Jiuzhaigou"


async def test_platform_down_means_not_filed_and_said_so() -> None:
    talk = Conversation()
    await fill_until_confirm(talk)
    await talk.answer("13800138000")
    await talk.answer("yes")
    unreachable = CaseApiClient("http://127.0.0.1:9", bot_token=BOT_TOKEN, timeout_s=0.5)
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitComplaint(unreachable).run(dispatcher, talk.tracker(), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_complaint_not_filed"]
    assert {e["name"]: e["value"] for e in events}["complaint_phone"] is None


async def test_details_the_platform_refuses_are_not_filed(platform_app: FastAPI) -> None:
    talk = Conversation()
    await fill_until_confirm(talk)
    await talk.answer("13800138000")
    await talk.answer("yes")
    talk.slots["complaint_category"] = "not-a-category"
    client = CaseApiClient(
        "http://platform.test", transport=httpx.ASGITransport(app=platform_app), bot_token=BOT_TOKEN
    )
    dispatcher = CollectingDispatcher()
    await ActionSubmitComplaint(client).run(dispatcher, talk.tracker(), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_complaint_refused"]


async def test_questions_stay_in_the_language_the_form_started_in() -> None:
    from actions.complaints.form import ActionStartComplaint

    start = make_tracker("苦情を登録したいです", slots={"language": "ja"})
    events = await ActionStartComplaint().run(CollectingDispatcher(), start, {})
    assert {e["name"]: e["value"] for e in events}["complaint_language"] == "ja"

    talk = Conversation(language="ja")
    talk.slots["complaint_language"] = "ja"
    await talk.start()
    await talk.answer("1")
    await talk.answer("錦里の土産物屋")
    talk.slots["language"] = "zh"  # "昨日" alone reads as Chinese to the language identifier
    assert await talk.answer("昨日") == "complaint_amount"
    assert talk.slots["language"] == "ja"
