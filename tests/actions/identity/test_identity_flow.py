"""The identity form and the records listing against the real platform app: a booking made on
WeChat and a complaint filed in the web widget are listed in a third conversation once it has
confirmed the code the platform texted (read from the sandbox SMS sender, never guessed)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from actions.bookings.common import venue_name
from actions.clients.platform_api import PlatformApiClient
from actions.identity.form import ActionStartIdentity, ValidateIdentityForm
from actions.identity.records import ActionShowMyRecords
from platform_api.identity.settings import IdentitySettings, get_identity_settings
from platform_api.identity.sms import SandboxSmsSender
from tests.actions.bookings.kit import (
    BOT_TOKEN,
    VENUE,
    Conversation,
    cn_id,
    push_slots,
    responses,
    visit_day,
)

PHONE = "13800138000"
E164 = "+8613800138000"
OTHER = "13900139000"
BOT = {"Authorization": f"Bearer {BOT_TOKEN}"}
DOMAIN: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[3] / "bot" / "domain" / "responses.yml").read_text("utf-8")
)
FORM = ("identity_phone", "identity_code")


@dataclass
class Talk(Conversation):
    """A conversation running ``identity_form`` (its two slots) and sending the real domain."""

    sender: str = "rest-third-conversation"
    domain: dict[str, Any] = field(default_factory=lambda: DOMAIN)

    def next_slot(self) -> str | None:
        return next((s for s in FORM if self.slots.get(s) is None), None)

    async def run(self, action: Action) -> list[dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self.tracker(), self.domain)
        for item in events:
            if item.get("event") == "slot":
                self.slots[item["name"]] = item["value"]
        self.said.extend(dispatcher.messages)
        return dispatcher.messages


async def book(http: httpx.AsyncClient, phone: str, channel: str, sequence: int) -> str:
    """A ticket booking made through another channel (the platform API, as that channel does)."""
    day = visit_day()
    slots = await http.get(
        f"/api/venues/{VENUE}/slots", params={"date": day.isoformat()}, headers=BOT
    )
    if not slots.json().get("slots"):
        await push_slots(http, day)
        slots = await http.get(
            f"/api/venues/{VENUE}/slots", params={"date": day.isoformat()}, headers=BOT
        )
    body = {
        "venue_id": VENUE,
        "slot_id": slots.json()["slots"][0]["slot_id"],
        "tickets": [
            {
                "category": "adult",
                "visitor": {"name": "测试游客", "id_type": "cn_id", "id_number": cn_id(sequence)},
            }
        ],
        "phone": phone,
        "language": "zh",
        "channel": channel,
        "user_id": f"{channel}-user-{sequence}",
    }
    response = await http.post(
        "/api/bookings", json=body, headers={**BOT, "Idempotency-Key": f"identity-{sequence}"}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


async def complain(http: httpx.AsyncClient, phone: str, channel: str) -> str:
    response = await http.post(
        "/api/complaints",
        headers=BOT,
        json={
            "category": "overcharging",
            "merchant": "Tea house by the east gate",
            "description": "They charged twice the price on the menu.",
            "phone": phone,
            "language": "en",
            "channel": channel,
            "user_id": f"{channel}-user",
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


def texted_code(sms: SandboxSmsSender) -> str:
    match = re.search(r"\b(\d{6})\b", sms.sent[E164][-1])
    assert match, sms.sent[E164][-1]
    return match.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def start(talk: Talk, api: PlatformApiClient, text: str) -> str | None:
    """The tourist asks; the start action runs; the form asks its first empty slot."""
    talk.user(text, "show_my_records")
    await talk.run(ActionStartIdentity(api))
    talk.form = "identity_form"
    return await talk.ask({})


def leaked(talk: Talk, *secrets: str) -> list[str]:
    """Slot values that hold a secret (the number in any form, or the code)."""
    return [
        name
        for name, value in talk.slots.items()
        for secret in secrets
        if value is not None and secret in str(value)
    ]


async def test_verified_number_lists_bookings_and_complaints_from_every_channel(
    api: PlatformApiClient,
    http: httpx.AsyncClient,
    sms: SandboxSmsSender,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    on_wechat = await book(http, PHONE, "wechat", 1)
    not_mine = await book(http, OTHER, "wechat", 2)
    in_widget = await complain(http, "+86 138 0013 8000", "socketio")
    talk = Talk(language="en")
    validate = ValidateIdentityForm(api)

    assert await start(talk, api, "show my bookings and complaints") == "identity_phone"
    said = await talk.answer("12345", validate)
    assert responses(said) == ["utter_identity_bad_phone"]
    assert sms.sent == {}
    await talk.answer(f"my number is {PHONE}", validate)
    assert talk.slots["identity_phone"] == "+86138****8000"
    assert len(sms.sent[E164]) == 1 and "verification code" in sms.sent[E164][0]
    assert await talk.ask({}) == "identity_code"

    code = texted_code(sms)
    said = await talk.answer(wrong(code), validate)
    assert responses(said) == ["utter_identity_wrong_code"]
    assert talk.slots["identity_code"] is None
    said = await talk.answer("I don't have it yet", validate)
    assert responses(said) == ["utter_identity_code_unclear"]
    await talk.answer(f"{code[:3]} {code[3:]}", validate)
    assert talk.slots["identity_code"] == "verified"
    assert talk.slots["identity_verified"] == "+86138****8000"
    assert await talk.ask({}) is None

    said = await talk.run(ActionShowMyRecords(api))
    assert responses(said) == ["utter_identity_records"]
    listing = said[0]
    assert listing["phone"] == "+86138****8000"
    name = await venue_name(api, VENUE, "en")
    assert re.search(
        rf"• {on_wechat} · {re.escape(name)} · .+ · waiting for payment", listing["bookings"]
    )
    assert not_mine not in listing["bookings"]
    assert (
        listing["complaints"]
        == f"• {in_widget} · Overcharging · {listing['complaints'].split(' · ')[2]} · waiting for staff"
    )
    for slot in ("identity_phone", "identity_code", "identity_challenge", "identity_outcome"):
        assert talk.slots[slot] is None
    assert leaked(talk, PHONE, "8000138000", code) == []
    logs = "\n".join(record.getMessage() for record in caplog.records)
    assert PHONE not in logs and "0013 8000" not in logs and code not in logs

    # later in the same session: no new code, the records straight away
    texts_before = len(sms.sent[E164])
    talk.form = None
    assert await start(talk, api, "show me my records again") is None
    said = await talk.run(ActionShowMyRecords(api))
    assert responses(said) == ["utter_identity_records"]
    assert on_wechat in said[0]["bookings"]
    assert len(sms.sent[E164]) == texts_before


async def test_chinese_listing_and_an_empty_list(
    api: PlatformApiClient, http: httpx.AsyncClient, sms: SandboxSmsSender
) -> None:
    reference = await complain(http, PHONE, "wechat")
    talk = Talk(language="zh", sender="wechat-openid-zh")
    validate = ValidateIdentityForm(api)

    await start(talk, api, "我的订单和投诉")
    await talk.answer(PHONE, validate)
    assert "验证码" in sms.sent[E164][-1]
    assert await talk.ask({}) == "identity_code"
    await talk.answer(texted_code(sms), validate)
    said = await talk.run(ActionShowMyRecords(api))

    assert said[0]["bookings"] == "无"
    assert said[0]["complaints"].startswith(f"• {reference} · 乱收费 · 20")
    assert said[0]["complaints"].endswith(" · 待处理")


async def test_wrong_codes_up_to_the_platform_limit_spend_the_code(
    api: PlatformApiClient, http: httpx.AsyncClient, sms: SandboxSmsSender
) -> None:
    await complain(http, PHONE, "wechat")
    talk = Talk(language="en")
    validate = ValidateIdentityForm(api)
    await start(talk, api, "verify my phone")
    await talk.answer(PHONE, validate)
    assert await talk.ask({}) == "identity_code"
    code = texted_code(sms)

    limit = IdentitySettings().max_attempts
    for _ in range(limit):
        said = await talk.answer(wrong(code), validate)
        assert responses(said) == ["utter_identity_wrong_code"]
    said = await talk.answer(code, validate)  # right, but too late

    assert responses(said) == ["utter_identity_code_spent"]
    assert talk.slots["requested_slot"] is None and talk.slots["identity_outcome"] == "refused"
    assert await talk.run(ActionShowMyRecords(api)) == []  # the form already said why
    assert talk.slots.get("identity_verified") is None
    assert await api.identity_records(talk.sender) is None


@pytest.mark.parametrize(
    ("language", "stop"), [("en", "cancel"), ("zh", "算了"), ("de", "abbrechen")]
)
async def test_stop_leaves_the_form_and_keeps_nothing(
    api: PlatformApiClient, sms: SandboxSmsSender, language: str, stop: str
) -> None:
    talk = Talk(language=language)
    validate = ValidateIdentityForm(api)
    await start(talk, api, "verify my phone")
    await talk.answer(PHONE, validate)
    assert await talk.ask({}) == "identity_code"

    await talk.answer(stop, validate)
    said = await talk.run(ActionShowMyRecords(api))

    assert responses(said) == ["utter_identity_stopped"]
    assert all(
        talk.slots.get(s) is None for s in (*FORM, "identity_challenge", "identity_verified")
    )
    assert await api.identity_records(talk.sender) is None


async def test_a_second_code_too_soon_is_refused_politely(
    api: PlatformApiClient, sms: SandboxSmsSender
) -> None:
    first = Talk(language="en")
    await start(first, api, "verify my phone")
    await first.answer(PHONE, ValidateIdentityForm(api))
    again = Talk(language="en")  # same conversation asks again within the resend interval
    await start(again, api, "send me a verification code")

    said = await again.answer(PHONE, ValidateIdentityForm(api))

    assert responses(said) == ["utter_identity_too_many_codes"]
    assert again.slots["identity_outcome"] == "refused" and again.slots["requested_slot"] is None
    assert len(sms.sent[E164]) == 1


async def test_a_carried_over_verification_the_platform_no_longer_holds_asks_again(
    api: PlatformApiClient, sms: SandboxSmsSender, platform_app: Any
) -> None:
    talk = Talk(language="en", slots={"identity_verified": "+86138****8000"})

    assert await start(talk, api, "my bookings and my complaints please") == "identity_phone"
    assert talk.slots["identity_verified"] is None


async def test_the_link_expiring_between_start_and_listing_says_so(
    api: PlatformApiClient, sms: SandboxSmsSender
) -> None:
    talk = Talk(language="en", slots={"identity_phone": "verified", "identity_code": "verified"})

    said = await talk.run(ActionShowMyRecords(api))

    assert responses(said) == ["utter_identity_not_verified"]


async def test_platform_down_ends_the_form_with_a_clear_message(
    platform_app: Any, sms: SandboxSmsSender
) -> None:
    down = PlatformApiClient("http://127.0.0.1:9", bot_token=BOT_TOKEN, timeout_s=2)
    talk = Talk(language="en")
    await start(talk, down, "verify my phone")

    await talk.answer(PHONE, ValidateIdentityForm(down))
    said = await talk.run(ActionShowMyRecords(down))

    assert responses(said) == ["utter_identity_unavailable"]
    assert leaked(talk, PHONE) == []


async def test_faster_limits_of_the_platform_are_the_ones_applied(
    api: PlatformApiClient, http: httpx.AsyncClient, sms: SandboxSmsSender, platform_app: Any
) -> None:
    platform_app.dependency_overrides[get_identity_settings] = lambda: IdentitySettings(
        max_attempts=2, resend_interval_s=0
    )
    talk = Talk(language="ja")
    validate = ValidateIdentityForm(api)
    await start(talk, api, "電話番号を確認したい")
    await talk.answer(PHONE, validate)
    assert await talk.ask({}) == "identity_code"
    code = texted_code(sms)
    assert "認証コード" in sms.sent[E164][-1]

    outcomes = [responses(await talk.answer(wrong(code), validate)) for _ in range(3)]

    assert outcomes == [
        ["utter_identity_wrong_code"],
        ["utter_identity_wrong_code"],
        ["utter_identity_code_spent"],
    ]
