"""``channels.handoff_relay``: the relay's decisions against the real platform app (in-process).

The relay's HTTP client in production is aiohttp (the Rasa environment's); here the same platform
routes are called through httpx's ASGI transport, so the relay meets the platform's real answers
(hand-off state, 409 after a hand-back, outbox claimed once).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from channels.handoff_relay import (
    DomainTexts,
    HandoffRelay,
    OutboxMessage,
    RelayError,
    fill,
    is_hand_back_phrase,
)
from tests.actions.complaints.conftest import BOT_TOKEN, Staff, make_platform

TEXTS = {
    "responses": {
        "utter_relay_staff_message": [
            {
                "text": "工作人员：{text}",
                "condition": [{"type": "slot", "name": "language", "value": "zh"}],
            },
            {"text": "Staff: {text}"},
        ],
        "utter_relay_handoff_ended": [{"text": "Staff have handed you back to the assistant."}],
        "utter_relay_complaint_reply": [
            {
                "text": "苦情 {reference} に回答：{text}",
                "condition": [{"type": "slot", "name": "language", "value": "ja"}],
            },
            {"text": "Staff replied to {reference}: {text}"},
        ],
        "utter_relay_complaint_resolved": [{"text": "{reference} resolved. {text}"}],
        "utter_relay_complaint_updated": [{"text": "{reference} updated. {text}"}],
    }
}


class HttpxPlatform:
    """The relay's platform calls over httpx (same routes and statuses as the aiohttp client)."""

    def __init__(self, app: FastAPI, token: str = BOT_TOKEN) -> None:
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://platform.test",
            headers={"Authorization": f"Bearer {token}"},
        )

    def _path(self, sender_id: str, tail: str) -> str:
        return f"/api/conversations/{quote(sender_id, safe='')}/{tail}"

    async def handoff_active(self, sender_id: str) -> bool:
        answer = await self.http.get(self._path(sender_id, "handoff"))
        if answer.status_code >= 400:
            raise RelayError("state", status_code=answer.status_code)
        return bool(answer.json()["active"])

    async def forward(self, sender_id: str, text: str) -> bool:
        answer = await self.http.post(
            self._path(sender_id, "handoff/messages"), json={"text": text}
        )
        if answer.status_code == 409:
            return False
        if answer.status_code >= 400:
            raise RelayError("forward", status_code=answer.status_code)
        return True

    async def claim_outbox(self, sender_id: str) -> list[OutboxMessage]:
        answer = await self.http.post(self._path(sender_id, "outbox/claim"))
        if answer.status_code >= 400:
            raise RelayError("outbox", status_code=answer.status_code)
        return [OutboxMessage.from_json(item) for item in answer.json()["messages"]]


class Unreachable:
    async def handoff_active(self, sender_id: str) -> bool:
        raise RelayError("unreachable")

    async def forward(self, sender_id: str, text: str) -> bool:
        raise RelayError("unreachable")

    async def claim_outbox(self, sender_id: str) -> list[OutboxMessage]:
        raise RelayError("unreachable")


@pytest.fixture
def platform_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = make_platform(tmp_path)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def relay(platform_app: FastAPI) -> HandoffRelay:
    return HandoffRelay(HttpxPlatform(platform_app), DomainTexts(lambda: TEXTS))


async def open_handoff(app: FastAPI, sender: str, language: str = "zh") -> str:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://platform.test"
    ) as http:
        answer = await http.post(
            "/api/escalations",
            json={
                "sender_id": sender,
                "channel": "rest",
                "language": language,
                "reason": "human_handoff",
            },
            headers={"Authorization": f"Bearer {BOT_TOKEN}"},
        )
    answer.raise_for_status()
    assert answer.json()["active"] is True
    return str(answer.json()["reference"])


async def test_not_handed_off_the_assistant_answers(relay: HandoffRelay) -> None:
    relayed = await relay.intercept("tourist-9", "hello", language="en")
    assert relayed.handled is False and relayed.replies == []


async def test_handed_off_messages_go_to_staff_and_staff_messages_come_back(
    platform_app: FastAPI, relay: HandoffRelay
) -> None:
    reference = await open_handoff(platform_app, "tourist-1")
    relayed = await relay.intercept("tourist-1", "出租车司机绕路了", language="zh")
    assert relayed.handled is True and relayed.replies == []

    staff = await Staff(platform_app).login()
    detail = (await staff.get(f"/api/staff/escalations/{reference}")).json()
    assert "出租车司机绕路了" in str(detail)
    sent = await staff.post(
        f"/api/staff/escalations/{reference}/messages", {"text": "请提供车牌号"}
    )
    assert sent.status_code == 201

    relayed = await relay.intercept("tourist-1", "川A12345", language="zh")
    assert relayed.handled is True
    assert relayed.replies == ["工作人员：请提供车牌号"]
    # claimed once: not again
    relayed = await relay.intercept("tourist-1", "好的", language="zh")
    assert relayed.replies == []


async def test_hand_back_phrase_goes_to_the_assistant(
    platform_app: FastAPI, relay: HandoffRelay
) -> None:
    await open_handoff(platform_app, "tourist-2")
    relayed = await relay.intercept("tourist-2", "转回机器人！", language="zh")
    assert relayed.handled is False


async def test_the_nlu_hand_back_check_is_asked_and_a_failing_one_is_ignored(
    platform_app: FastAPI,
) -> None:
    await open_handoff(platform_app, "tourist-3")
    asked: list[str] = []

    async def is_hand_back(text: str) -> bool:
        asked.append(text)
        return text == "let the robot answer"

    relay = HandoffRelay(
        HttpxPlatform(platform_app), DomainTexts(lambda: TEXTS), is_hand_back=is_hand_back
    )
    assert (
        await relay.intercept("tourist-3", "let the robot answer", language="en")
    ).handled is False
    assert asked == ["let the robot answer"]

    async def broken(text: str) -> bool:
        raise RuntimeError("model not loaded")

    relay = HandoffRelay(
        HttpxPlatform(platform_app), DomainTexts(lambda: TEXTS), is_hand_back=broken
    )
    assert (await relay.intercept("tourist-3", "still there?", language="en")).handled is True


async def test_staff_hand_back_returns_the_conversation_to_the_assistant_with_a_notice(
    platform_app: FastAPI, relay: HandoffRelay
) -> None:
    reference = await open_handoff(platform_app, "tourist-4", language="en")
    staff = await Staff(platform_app).login()
    assert (await staff.post(f"/api/staff/escalations/{reference}/hand-back")).status_code < 300
    relayed = await relay.intercept("tourist-4", "where is the panda base", language="en")
    assert relayed.handled is False
    assert relayed.replies == ["Staff have handed you back to the assistant."]


async def test_complaint_replies_are_rendered_in_the_cases_language(
    platform_app: FastAPI, relay: HandoffRelay
) -> None:
    from actions.complaints.client import CaseApiClient, ComplaintDraft

    client = CaseApiClient(
        "http://platform.test", transport=httpx.ASGITransport(app=platform_app), bot_token=BOT_TOKEN
    )
    case = await client.file_complaint(
        ComplaintDraft(
            category="overcharging",
            description="タクシーが遠回りした",
            phone="+8613800138000",
            language="ja",
            channel="rest",
            user_id="tourist-5",
            merchant="タクシー",
        )
    )
    staff = await Staff(platform_app).login()
    await staff.post(f"/api/staff/complaints/{case.reference}/replies", {"text": "確認中です"})
    relayed = await relay.intercept("tourist-5", "hello", language="en")
    assert relayed.handled is False
    assert relayed.replies == [f"苦情 {case.reference} に回答：確認中です"]


async def test_wrong_token_or_unreachable_platform_lets_the_assistant_answer(
    platform_app: FastAPI,
) -> None:
    for platform in (HttpxPlatform(platform_app, token="not-the-bot-token-at-all"), Unreachable()):
        relay = HandoffRelay(platform, DomainTexts(lambda: TEXTS))
        relayed = await relay.intercept("tourist-6", "hello", language="en")
        assert relayed.handled is False and relayed.replies == []


def test_placeholders_are_filled_once_and_unknown_ones_kept() -> None:
    assert fill("Staff: {text} ({missing})", text="{reference} is {text}") == (
        "Staff: {reference} is {text} ({missing})"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hand back", True),
        ("Hand back.", True),
        ("ボットに戻る", True),
        ("Zurück zum Bot!", True),
        ("please hand back my passport", False),
        ("hello", False),
    ],
)
def test_hand_back_phrases(text: str, expected: bool) -> None:
    assert is_hand_back_phrase(text) is expected


def test_unknown_outbox_kinds_show_their_text_and_missing_templates_fall_back() -> None:
    relay = HandoffRelay(Unreachable(), DomainTexts(lambda: {"responses": {}}))
    assert relay.render(OutboxMessage(kind="news", text=" hi "), "en") == "hi"
    assert relay.render(OutboxMessage(kind="handoff_message", text="hello"), "fr") == "hello"
