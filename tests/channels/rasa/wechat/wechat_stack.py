"""The WeChat channel on a real Sanic server on loopback, driven by the WeChat simulator.

Rasa's own tracker and lock stores hold the conversations; the assistant is a stand-in message
handler (the boundary a channel talks to); the platform API is a small loopback server with
fixture entries (it is another process in production).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from sanic import Sanic

from channels.wechat.channel import WeChatInput
from channels.wechat.settings import WeChatSettings
from channels.wechat.store import Store
from channels.wechat_simulator import ApiServer, Sender

TOKEN = "sim-token-3f9a"
APP_ID = "wx5c1e7a00d2b4f001"
APP_SECRET = "sim-secret-77b2"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
OPENID = "oUser0000000000000000000001"


def _custom_slot() -> dict[str, Any]:
    return {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]}


DOMAIN = Domain.from_dict(
    {
        "slots": {name: _custom_slot() for name in ("language", "attraction", "language_locked")},
        "responses": {
            "utter_relay_complaint_reply": [{"text": "Staff reply on {reference}: {text}"}],
            "utter_relay_staff_message": [{"text": "Staff: {text}"}],
        },
    }
)
# fixture entries of the stand-in platform (not facts about the venues)
ENTRIES = {
    "leshan-giant-buddha": {"zh": "乐山大佛", "en": "Leshan Giant Buddha"},
    "emeishan": {"zh": "峨眉山", "en": "Mount Emei"},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Assistant:
    """Stands in for Rasa's message handler. ``slow`` waits ``delay`` seconds (a slow action),
    ``three`` answers three messages, ``menu`` answers with buttons, ``ticket`` names the
    conversation's ``attraction`` slot, anything else is echoed (with Markdown)."""

    tracker_store: InMemoryTrackerStore
    delay: float = 6.0
    received: list[UserMessage] = field(default_factory=list)
    side_effects: dict[str, int] = field(default_factory=dict)

    async def handle(self, message: UserMessage) -> None:
        self.received.append(message)
        key = str(message.message_id)
        self.side_effects[key] = self.side_effects.get(key, 0) + 1  # e.g. a booking filed
        out, sender, text = message.output_channel, str(message.sender_id), message.text or ""
        if text == "slow":
            await asyncio.sleep(self.delay)
            await out.send_text_message(sender, "slow answer")
        elif text == "three":
            for n in (1, 2, 3):
                await out.send_text_message(sender, f"part {n}")
        elif text.startswith("many"):
            for n in range(1, int(text.split()[1]) + 1):
                await out.send_text_message(sender, f"m{n}")
        elif text == "menu":
            buttons = [
                {"title": "**Tickets**", "payload": "/ask_ticket_price"},
                {"title": "Hours", "payload": "/ask_opening_hours"},
            ]
            await out.send_text_with_buttons(sender, "What would you like?", buttons)
        elif text == "ticket":
            tracker = await self.tracker_store.retrieve(sender)
            venue = tracker.get_slot("attraction") if tracker else None
            await out.send_text_message(sender, f"ticket of {venue}")
        else:
            await out.send_text_message(sender, f"**echo**: {text}")


class FakePlatform:
    """``/api/kb/entries/{id}``, ``/api/places/nearby`` and ``/api/privacy/erase`` on loopback."""

    def __init__(self) -> None:
        self.handed_off: set[str] = set()
        self.outbox: dict[str, list[dict[str, str]]] = {}
        self.forwarded: list[tuple[str, str]] = []
        self.erased: list[str] = []
        self.tokens: list[str] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def entry(self, request: web.Request) -> web.Response:
        names = ENTRIES.get(request.match_info["entry_id"])
        if names is None:
            return web.json_response({"detail": "no entry"}, status=404)
        return web.json_response({"id": request.match_info["entry_id"], "names": names})

    async def nearby(self, request: web.Request) -> web.Response:
        lang = request.query.get("lang", "zh")
        lat = float(request.query["lat"])
        if lat > 35:  # far from the fixture venues
            return web.json_response({"results": []})
        return web.json_response(
            {
                "results": [
                    {
                        "id": "leshan-giant-buddha",
                        "name": ENTRIES["leshan-giant-buddha"][lang],
                        "distance_km": 1.2,
                    },
                    {"id": "emeishan", "name": ENTRIES["emeishan"][lang], "distance_km": 31.0},
                ]
            }
        )

    async def erase(self, request: web.Request) -> web.Response:
        self.tokens.append(request.headers.get("Authorization", ""))
        self.erased.append((await request.json())["user_id"])
        return web.json_response(
            {"complaints": 0, "escalations": 0, "outbox_messages": 0, "evidence_files": 0}
        )

    async def handoff(self, request: web.Request) -> web.Response:
        return web.json_response({"active": request.match_info["sender"] in self.handed_off})

    async def forward(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        if sender not in self.handed_off:
            return web.json_response({"detail": "not handed off"}, status=409)
        self.forwarded.append((sender, (await request.json())["text"]))
        return web.json_response({"ok": True}, status=201)

    async def claim(self, request: web.Request) -> web.Response:
        return web.json_response({"messages": self.outbox.pop(request.match_info["sender"], [])})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/api/conversations/{sender}/handoff", self.handoff)
        app.router.add_post("/api/conversations/{sender}/handoff/messages", self.forward)
        app.router.add_post("/api/conversations/{sender}/outbox/claim", self.claim)
        app.router.add_get("/api/kb/entries/{entry_id}", self.entry)
        app.router.add_get("/api/places/nearby", self.nearby)
        app.router.add_post("/api/privacy/erase", self.erase)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@dataclass
class Stack:
    """One running channel and everything around it."""

    url: str
    channel: WeChatInput
    assistant: Assistant
    api: ApiServer
    platform: FakePlatform
    tracker_store: InMemoryTrackerStore
    app: Sanic

    def sender(self, mode: str = "plaintext", **kwargs: Any) -> Sender:
        return Sender(self.url, TOKEN, app_id=APP_ID, aes_key=AES_KEY, mode=mode, **kwargs)  # type: ignore[arg-type]


StackFactory = Callable[..., Awaitable[Stack]]


@pytest.fixture
async def make_stack() -> AsyncIterator[StackFactory]:
    """Start channel servers (each its own Sanic app, as separate processes would be)."""
    cleanups: list[Callable[[], Awaitable[None]]] = []
    api = ApiServer(APP_ID, APP_SECRET)
    await api.start()
    platform = FakePlatform()
    await platform.start()
    cleanups += [api.stop, platform.stop]

    async def start(
        *,
        store: Store | None = None,
        tracker_store: InMemoryTrackerStore | None = None,
        **overrides: Any,
    ) -> Stack:
        values: dict[str, Any] = {
            "token": TOKEN,
            "app_id": APP_ID,
            "app_secret": APP_SECRET,
            "aes_key": "",
            "api_base": api.base_url,
            "platform_url": platform.base_url,
            "platform_token": "platform-bot-token-for-tests",
            "scenes": {"101": "leshan-giant-buddha"},
            "menu": {"MENU_HOTLINE": "tourism hotline"},
        }
        values.update(overrides)
        channel = WeChatInput(WeChatSettings.from_credentials(values), store=store)
        trackers = tracker_store or InMemoryTrackerStore(DOMAIN)
        assistant = Assistant(trackers)
        Sanic.test_mode = True
        app = Sanic(f"wechat_{time.monotonic_ns()}")
        app.blueprint(
            channel.blueprint(assistant.handle), url_prefix=f"/webhooks/{channel.url_prefix()}"
        )
        app.ctx.agent = SimpleNamespace(
            tracker_store=trackers, lock_store=InMemoryLockStore(), domain=DOMAIN
        )
        port = free_port()
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        assert server is not None
        await server.startup()
        serving = asyncio.ensure_future(server.serve_forever())

        async def stop() -> None:
            await asyncio.gather(*channel._background, return_exceptions=True)
            serving.cancel()
            server.close()
            await server.wait_closed()
            await channel.tokens.close()
            await channel.platform.close()

        cleanups.insert(0, stop)
        return Stack(
            f"http://127.0.0.1:{port}/webhooks/wechat/webhook",
            channel,
            assistant,
            api,
            platform,
            trackers,
            app,
        )

    yield start
    for cleanup in cleanups:
        await cleanup()


@pytest.fixture
async def stack(make_stack: StackFactory) -> Stack:
    """A plaintext-mode channel with the in-memory store."""
    return await make_stack()
