"""check_complaint_status against the real platform: reference + phone, the staff reply, and
nobody reads another tourist's case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.client import CaseApiClient, ComplaintDraft
from actions.complaints.status import (
    ActionComplaintStatus,
    ActionStartComplaintStatus,
    ValidateComplaintStatusForm,
)
from tests.actions.complaints.conftest import BOT_TOKEN, Staff, make_tracker

PHONE = "+8613800138000"


async def filed(client: CaseApiClient, *, language: str = "ja", user: str = "tourist-1") -> str:
    case = await client.file_complaint(
        ComplaintDraft(
            category="forced_shopping",
            description="ツアーで宝石店に3時間も連れて行かれた",
            phone=PHONE,
            language=language,
            channel="rest",
            user_id=user,
            merchant="翡翠の店",
            occurred_on=dt.date(2026, 12, 5),
        )
    )
    return case.reference


async def look_up(
    client: CaseApiClient, reference: str, phone: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tracker = make_tracker(
        "x", slots={"language": "ja", "status_reference": reference, "status_phone": phone}
    )
    dispatcher = CollectingDispatcher()
    events = await ActionComplaintStatus(client).run(dispatcher, tracker, {})
    return dispatcher.messages, events


async def test_status_shows_the_latest_staff_reply_and_forgets_the_phone(
    client: CaseApiClient, staff: Staff
) -> None:
    reference = await filed(client)
    messages, _ = await look_up(client, reference, PHONE)
    assert [m["response"] for m in messages] == [
        "utter_complaint_status_open",
        "utter_complaint_no_reply_yet",
    ]
    assert messages[0]["reference"] == reference and messages[0]["due"]

    reply = await staff.post(
        f"/api/staff/complaints/{reference}/replies",
        {"text": "店舗に確認しました。返金を手配します。"},
    )
    assert reply.status_code == 201
    messages, events = await look_up(client, reference, "138 0013 8000")
    assert messages[0]["response"] == "utter_complaint_status_in_progress"
    assert messages[1] == {
        **messages[1],
        "response": "utter_complaint_latest_reply",
        "reply": "店舗に確認しました。返金を手配します。",
    }
    assert {e["name"]: e["value"] for e in events}["status_phone"] is None


async def test_a_wrong_phone_reads_nothing_of_the_case(client: CaseApiClient) -> None:
    reference = await filed(client)
    messages, _ = await look_up(client, reference, "+8613900139000")
    assert [m["response"] for m in messages] == ["utter_complaint_status_not_found"]
    assert "reply" not in messages[0] and "due" not in messages[0]


async def test_an_unknown_reference_gets_the_same_answer_as_a_wrong_phone(
    client: CaseApiClient,
) -> None:
    messages, _ = await look_up(client, "TS-20260101-9999", PHONE)
    assert [m["response"] for m in messages] == ["utter_complaint_status_not_found"]


async def test_platform_down_is_said_clearly() -> None:
    unreachable = CaseApiClient("http://127.0.0.1:9", bot_token=BOT_TOKEN, timeout_s=0.5)
    messages, _ = await look_up(unreachable, "TS-20261207-0001", PHONE)
    assert [m["response"] for m in messages] == ["utter_complaint_status_unavailable"]


async def test_reference_and_phone_named_in_the_request_are_taken() -> None:
    tracker = make_tracker(
        "status of ts-20261207-0003, my phone is 138 0013 8000",
        intent="check_complaint_status",
        entities=[{"entity": "phone", "value": "13800138000"}],
    )
    events = await ActionStartComplaintStatus().run(CollectingDispatcher(), tracker, {})
    slots = {e["name"]: e["value"] for e in events}
    assert slots["status_reference"] == "TS-20261207-0003"
    assert slots["status_phone"] == PHONE


async def test_the_form_asks_again_for_a_malformed_reference_and_stops_on_cancel() -> None:
    validator = ValidateComplaintStatusForm()
    tracker = make_tracker(
        "12345", slots={"requested_slot": "status_reference", "status_reference": "12345"}
    )
    tracker.events.append({"event": "slot", "name": "status_reference", "value": "12345"})
    dispatcher = CollectingDispatcher()
    events = await validator.run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_status_reference_invalid"
    assert {e["name"]: e["value"] for e in events}["requested_slot"] == "status_reference"

    tracker = make_tracker("取消", slots={"requested_slot": "status_phone", "status_phone": "取消"})
    tracker.events.append({"event": "slot", "name": "status_phone", "value": "取消"})
    events = await validator.run(CollectingDispatcher(), tracker, {})
    assert {e["name"]: e["value"] for e in events}["requested_slot"] is None


async def test_after_too_many_wrong_phones_the_tourist_is_told_to_wait(
    client: CaseApiClient,
) -> None:
    reference = await filed(client)
    responses = []
    for attempt in range(12):
        messages, _ = await look_up(client, reference, f"+86139001390{attempt:02d}")
        responses.append(messages[0]["response"])
    assert responses[0] == "utter_complaint_status_not_found"
    assert responses[-1] == "utter_complaint_status_too_many_attempts"
    # the right phone does not unlock it either: no oracle
    messages, _ = await look_up(client, reference, PHONE)
    assert messages[0]["response"] == "utter_complaint_status_too_many_attempts"
