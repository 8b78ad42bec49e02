"""The hand-off relay inside the REST channel, in the Rasa environment (aiohttp client).

The platform is another process in production; here an aiohttp server on a free loopback port
answers its conversation routes (state, forward, outbox claim) as the platform does, including
409 after a hand-back and the bearer-token check, and the channel runs with a stand-in agent.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from sanic import Sanic

from channels.handoff_relay import AiohttpHandoffPlatform, RelayError, RelaySettings
from channels.rest_guarded import GuardedRestInput
from tests.channels.rasa.test_rest_guarded import Assistant, asgi_post

TOKEN = "relay-rasa-test-bot-token"
DOMAIN = SimpleNamespace(
    responses={
        "utter_relay_staff_message": [
            {
                "text": "工作人员：{text}",
                "condition": [{"type": "slot", "name": "language", "value": "zh"}],
            },
            {"text": "Staff: {text}"},
        ],
        "utter_relay_complaint_reply": [{"text": "Reply on {reference}: {text}"}],
    }
)


@dataclass
class Conversations:
    """What the platform knows: who is handed off, what staff wrote, what the tourist sent."""

    active: set[str] = field(default_factory=set)
    outbox: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    received: list[tuple[str, str]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)


def platform_app(state: Conversations) -> web.Application:
    def authorised(request: web.Request) -> bool:
        state.tokens.append(request.headers.get("Authorization", ""))
        return request.headers.get("Authorization") == f"Bearer {TOKEN}"

    async def handoff(request: web.Request) -> web.Response:
        if not authorised(request):
            return web.json_response({"error": {"code": "unauthorized"}}, status=401)
        sender = request.match_info["sender"]
        return web.json_response({"active": sender in state.active})

    async def messages(request: web.Request) -> web.Response:
        if not authorised(request):
            return web.json_response({}, status=401)
        sender = request.match_info["sender"]
        if sender not in state.active:
            return web.json_response({"error": {"code": "not_handed_off"}}, status=409)
        state.received.append((sender, (await request.json())["text"]))
        return web.json_response({"active": True}, status=201)

    async def claim(request: web.Request) -> web.Response:
        if not authorised(request):
            return web.json_response({}, status=401)
        return web.json_response({"messages": state.outbox.pop(request.match_info["sender"], [])})

    app = web.Application()
    app.router.add_get("/api/conversations/{sender}/handoff", handoff)
    app.router.add_post("/api/conversations/{sender}/handoff/messages", messages)
    app.router.add_post("/api/conversations/{sender}/outbox/claim", claim)
    return app


@pytest.fixture
async def platform() -> AsyncIterator[tuple[Conversations, str]]:
    state = Conversations()
    runner = web.AppRunner(platform_app(state))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield state, f"http://127.0.0.1:{port}"
    await runner.cleanup()


def channel_app(base_url: str, assistant: Assistant) -> Sanic:
    """The REST channel with the relay, registered as Rasa registers channels."""
    Sanic.test_mode = True
    app = Sanic(f"relay_{time.monotonic_ns()}")
    channel = GuardedRestInput(relay_settings=RelaySettings(base_url=base_url, token=TOKEN))
    app.blueprint(channel.blueprint(assistant.handle), url_prefix="/webhooks/rest")
    app.ctx.agent = SimpleNamespace(tracker_store=None, domain=DOMAIN, parse_message=parse_message)
    return app


async def parse_message(text: str) -> dict[str, Any]:
    return {"intent": {"name": "hand_back" if "robot" in text else "greet", "confidence": 0.9}}


async def send(base_url: str, sender: str, text: str) -> tuple[Any, Assistant]:
    assistant = Assistant()
    status, payload = await asgi_post(
        channel_app(base_url, assistant), json.dumps({"sender": sender, "message": text}).encode()
    )
    assert status == 200
    return payload, assistant


async def test_handed_off_message_goes_to_staff_and_staff_text_comes_back(
    platform: tuple[Conversations, str],
) -> None:
    state, url = platform
    state.active.add("t1")
    state.outbox["t1"] = [
        {"kind": "handoff_message", "text": "请稍等", "language": "zh", "reference": "ESC-1"}
    ]
    payload, assistant = await send(url, "t1", "司机绕路了")
    assert assistant.received == []
    assert state.received == [("t1", "司机绕路了")]
    assert payload == [{"recipient_id": "t1", "text": "工作人员：请稍等"}]
    assert set(state.tokens) == {f"Bearer {TOKEN}"}


async def test_not_handed_off_the_assistant_answers_and_notices_follow(
    platform: tuple[Conversations, str],
) -> None:
    state, url = platform
    state.outbox["t2"] = [
        {
            "kind": "complaint_reply",
            "text": "refund arranged",
            "language": "en",
            "reference": "TS-20261207-0001",
        }
    ]
    payload, assistant = await send(url, "t2", "hello")
    assert [m.text for m in assistant.received] == ["hello"]
    assert payload == [
        {"recipient_id": "t2", "text": "echo"},
        {"recipient_id": "t2", "text": "Reply on TS-20261207-0001: refund arranged"},
    ]


async def test_asking_for_the_bot_back_reaches_the_assistant(
    platform: tuple[Conversations, str],
) -> None:
    state, url = platform
    state.active.add("t3")
    _, assistant = await send(url, "t3", "let the robot answer")
    assert [m.text for m in assistant.received] == ["let the robot answer"]
    assert state.received == []


async def test_platform_down_the_assistant_answers() -> None:
    payload, assistant = await send("http://127.0.0.1:9", "t4", "hello")
    assert payload == [{"recipient_id": "t4", "text": "echo"}]
    assert [m.text for m in assistant.received] == ["hello"]


async def test_aiohttp_platform_statuses(platform: tuple[Conversations, str]) -> None:
    state, url = platform
    client = AiohttpHandoffPlatform(RelaySettings(base_url=url, token=TOKEN, timeout_s=2))
    try:
        assert await client.handoff_active("a/b") is False  # sender ids are quoted
        assert await client.forward("t5", "hi") is False  # 409: not handed off
        state.active.add("t5")
        assert await client.forward("t5", "hi") is True
        assert await client.claim_outbox("t5") == []
        wrong = AiohttpHandoffPlatform(RelaySettings(base_url=url, token="wrong-token-value-123"))
        with pytest.raises(RelayError) as caught:
            await wrong.handoff_active("t5")
        assert caught.value.status_code == 401 and TOKEN not in str(caught.value)
        await wrong.aclose()
    finally:
        await client.aclose()


def test_relay_is_off_without_the_service_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLATFORM_BOT_API_TOKEN", raising=False)
    assert GuardedRestInput.from_credentials({}).relay_settings is None
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", TOKEN)
    monkeypatch.setenv("PLATFORM_API_URL", "http://127.0.0.1:18000")
    settings = GuardedRestInput.from_credentials({}).relay_settings
    assert settings is not None and settings.base_url == "http://127.0.0.1:18000"
    assert TOKEN not in repr(settings)
