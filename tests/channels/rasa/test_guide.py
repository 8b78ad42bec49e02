"""The guide-device channel on a real Sanic server: device keys checked against the registry over
HTTP (a loopback stand-in of the platform's ``/api/devices/verify``), the device's language and
venue applied through Rasa's own tracker store, replies as plain text for text-to-speech."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from sanic import Sanic

from channels.guide import GuideInput

KEY = "gd_test-device-key-0123456789abcdefghijklmnop"
BOT_TOKEN = "platform-bot-token-for-tests"
PROFILE = {"device_id": 7, "language": "en", "venue_id": "leshan-giant-buddha"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _slot() -> dict[str, Any]:
    return {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]}


class Registry:
    """The platform's device check: 200 with the profile, 404 for other keys, 401 without token."""

    def __init__(self) -> None:
        self.calls = 0
        self.up = True

    async def verify(self, request: web.Request) -> web.Response:
        self.calls += 1
        if not self.up:
            return web.json_response({"detail": "down"}, status=500)
        if request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.json_response({"detail": "bad token"}, status=401)
        if (await request.json()).get("api_key") != KEY:
            return web.json_response({"detail": "unknown or revoked device key"}, status=404)
        return web.json_response(PROFILE)


class Assistant:
    """Answers like the knowledge action would, with Markdown, a symbol price, a URL and emoji."""

    def __init__(self, trackers: InMemoryTrackerStore) -> None:
        self.trackers = trackers
        self.received: list[UserMessage] = []

    async def handle(self, message: UserMessage) -> None:
        self.received.append(message)
        tracker = await self.trackers.retrieve(str(message.sender_id))
        venue = tracker.get_slot("attraction") if tracker else None
        await message.output_channel.send_text_message(
            message.sender_id,
            f"**Tickets for {venue}** 🎫\n- Adult: ¥80\n- Hours: 08:30–17:30\n"
            "Source: https://example.org/leshan (last verified 2026-12-01)",
        )


@pytest.fixture
async def guide() -> AsyncIterator[tuple[str, Registry, Assistant, InMemoryTrackerStore]]:
    registry = Registry()
    registry_app = web.Application()
    registry_app.router.add_post("/api/devices/verify", registry.verify)
    runner = web.AppRunner(registry_app, access_log=None)
    await runner.setup()
    registry_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", registry_port).start()

    domain = Domain.from_dict(
        {"slots": {name: _slot() for name in ("language", "language_locked", "attraction")}}
    )
    trackers = InMemoryTrackerStore(domain)
    assistant = Assistant(trackers)
    channel = GuideInput.from_credentials(
        {"platform_url": f"http://127.0.0.1:{registry_port}", "platform_token": BOT_TOKEN}
    )
    Sanic.test_mode = True
    app = Sanic(f"guide_{time.monotonic_ns()}")
    app.blueprint(channel.blueprint(assistant.handle), url_prefix="/webhooks/guide")
    app.ctx.agent = SimpleNamespace(tracker_store=trackers, lock_store=InMemoryLockStore())
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    assert server is not None
    await server.startup()
    serving = asyncio.ensure_future(server.serve_forever())
    try:
        yield f"http://127.0.0.1:{port}/webhooks/guide/webhook", registry, assistant, trackers
    finally:
        serving.cancel()
        server.close()
        await server.wait_closed()
        await channel.platform.close()
        await runner.cleanup()


async def post(url: str, body: Any, key: str | None = KEY) -> tuple[int, Any]:
    headers = {"X-Device-Key": key} if key is not None else {}
    async with aiohttp.ClientSession() as http, http.post(url, json=body, headers=headers) as r:
        return r.status, await r.json()


@pytest.mark.security
async def test_device_key_is_required_and_checked(guide) -> None:
    url, registry, assistant, _ = guide
    assert (await post(url, {"message": "hi"}, key=None))[0] == 401
    assert (await post(url, {"message": "hi"}, key="gd_wrong"))[0] == 401
    assert assistant.received == []
    registry.up = False
    status, body = await post(url, {"message": "hi"}, key="gd_other")
    assert status == 503 and "registry" in body["error"]


async def test_device_language_and_venue_apply_and_reply_is_speakable(guide) -> None:
    url, registry, assistant, trackers = guide
    status, body = await post(url, {"message": "How much is the ticket?", "session": "tour-1"})
    assert status == 200
    assert body == [
        {
            "recipient_id": "guide-7-tour-1",
            "text": "Tickets for leshan-giant-buddha. Adult: 80 yuan. Hours: 8:30 to 17:30. "
            "Source: (last verified 2026-12-01).",
            "language": "en",
        }
    ]
    tracker = await trackers.retrieve("guide-7-tour-1")
    assert tracker.get_slot("language_locked") == "en" and tracker.get_slot("language") == "en"
    assert tracker.get_slot("attraction") == "leshan-giant-buddha"
    message = assistant.received[0]
    assert message.input_channel == "guide"
    assert message.metadata == {"device_id": 7, "venue_id": "leshan-giant-buddha", "language": "en"}
    # the venue is only a default: a place the conversation moved to is kept
    tracker.update(SlotSet("attraction", "emeishan"))  # as the knowledge action would
    await trackers.save(tracker)
    await post(url, {"message": "and the hours?", "session": "tour-1"})
    assert (await trackers.retrieve("guide-7-tour-1")).get_slot("attraction") == "emeishan"
    assert registry.calls == 1  # the key check is cached


async def test_bad_bodies_get_400_and_long_messages_a_spoken_notice(guide) -> None:
    url, _, assistant, _ = guide
    assert (await post(url, {"text": "hi"}))[0] == 400
    assert (await post(url, {"message": "hi", "session": "a b"}))[0] == 400
    status, body = await post(url, {"message": "x " * 400})
    assert status == 200 and "300" in body[0]["text"] and body[0]["language"] == "en"
    assert assistant.received == []
