"""``channels.socketio_guarded``: Rasa's socket.io channel served by Sanic on loopback, driven by a
real socket.io client (WebSocket and polling), with a stand-in assistant that echoes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import websockets
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from channels.handoff_relay import HandoffRelay, OutboxMessage
from channels.socketio_guarded import ORIGINS_ENV, GuardedSocketIOInput, parse_origins
from common.widget_session import sender_id_for

pytestmark = pytest.mark.security
ALLOWED = "http://127.0.0.1:18123"
CREDENTIALS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "max_message_chars": 50,
}


class Assistant:
    """Stands in for Rasa's agent: records messages and answers ``echo: <text>``."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def handle(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class FakePlatform:
    """The platform's conversation routes as the relay sees them (the HTTP boundary)."""

    def __init__(self) -> None:
        self.handed_off: set[str] = set()
        self.outbox: dict[str, list[OutboxMessage]] = {}
        self.forwarded: list[tuple[str, str]] = []

    async def handoff_active(self, sender_id: str) -> bool:
        return sender_id in self.handed_off

    async def forward(self, sender_id: str, text: str) -> bool:
        self.forwarded.append((sender_id, text))
        return True

    async def claim_outbox(self, sender_id: str) -> list[OutboxMessage]:
        return self.outbox.pop(sender_id, [])


@contextlib.asynccontextmanager
async def serve(channel: GuardedSocketIOInput, assistant: Assistant) -> AsyncIterator[str]:
    """``channel`` on a Sanic server on a free loopback port; yields its base URL."""
    # test mode: no touch-up of Sanic's own code on every start (it fails the second time)
    Sanic.test_mode = True
    app = Sanic(f"socketio_{time.monotonic_ns()}")
    app.blueprint(
        channel.blueprint(assistant.handle), url_prefix=f"/webhooks/{channel.url_prefix()}"
    )
    port = free_port()
    started = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    assert started is not None
    await started.startup()
    serving = asyncio.ensure_future(started.serve_forever())
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        if channel._pusher is not None:
            channel._pusher.cancel()
        serving.cancel()
        started.close()
        await started.wait_closed()


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[str, Assistant]]:
    """The channel (no relay) served on loopback; yields (base URL, assistant)."""
    monkeypatch.setenv(ORIGINS_ENV, f"{ALLOWED}, https://widget.example")
    monkeypatch.delenv("PLATFORM_BOT_API_TOKEN", raising=False)
    assistant = Assistant()
    async with serve(GuardedSocketIOInput.from_credentials(CREDENTIALS), assistant) as base:
        yield base, assistant


@pytest.fixture
async def relayed_server(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[str, Assistant, FakePlatform]]:
    """The channel with the hand-off relay and a fast staff push; yields (URL, assistant, platform)."""
    monkeypatch.setenv(ORIGINS_ENV, ALLOWED)
    assistant, platform = Assistant(), FakePlatform()
    channel = GuardedSocketIOInput.from_credentials({**CREDENTIALS, "push_interval_s": 0.1})
    channel.relay = HandoffRelay(platform, lambda key, language: "")
    async with serve(channel, assistant) as base:
        yield base, assistant, platform


class PollingClient:
    """A minimal Engine.IO 4 / Socket.IO 5 client over HTTP long-polling (the widget's transport)."""

    def __init__(self, http: aiohttp.ClientSession, url: str, origin: str | None) -> None:
        self.http = http
        self.url = url
        self.headers = {"Origin": origin} if origin else {}
        self.pending: list[str] = []

    @classmethod
    async def open(
        cls, http: aiohttp.ClientSession, base: str, origin: str | None
    ) -> PollingClient:
        client = cls(http, f"{base}/socket.io/?EIO=4&transport=polling", origin)
        async with http.get(client.url, headers=client.headers) as response:
            if response.status != 200:
                raise ConnectionRefusedError(response.status)
            opening = await response.text()
        assert opening.startswith("0{")
        client.url += "&sid=" + json.loads(opening[1:])["sid"]
        await client.post("40")  # Socket.IO connect, default namespace
        assert (await client.packet()).startswith("40")
        return client

    async def post(self, packet: str) -> None:
        async with self.http.post(self.url, data=packet, headers=self.headers) as response:
            assert response.status == 200, await response.text()

    async def packet(self) -> str:
        while not self.pending:
            async with self.http.get(self.url, headers=self.headers) as response:
                assert response.status == 200
                self.pending = [p for p in (await response.text()).split("\x1e") if p != "2"]
        return self.pending.pop(0)

    async def emit(self, name: str, data: Any) -> None:
        await self.post("42" + json.dumps([name, data]))

    async def event(self) -> tuple[str, Any]:
        packet = await asyncio.wait_for(self.packet(), 10)
        assert packet.startswith("42"), packet
        name, data = json.loads(packet[2:])
        return name, data


SECRET_A = "a1" * 32
SECRET_B = "b2" * 32


async def converse(
    base: str, secret: Any, text: str, named_session: str | None = None
) -> tuple[str, list[Any]]:
    """Connect, session_request with ``secret``, one message: (confirmed session id, first reply)."""
    async with aiohttp.ClientSession() as http:
        client = await PollingClient.open(http, base, ALLOWED)
        await client.emit("session_request", {"secret": secret})
        name, session_id = await client.event()
        assert name == "session_confirm"
        await client.emit(
            "user_uttered", {"message": text, "session_id": named_session or session_id}
        )
        name, data = await client.event()
        assert name == "bot_uttered"
        return session_id, [data]


async def test_allowed_origin_converses(server: tuple[str, Assistant]) -> None:
    base, assistant = server
    session_id, replies = await converse(base, SECRET_A, "hello")

    assert replies == [{"text": "echo: hello"}]
    assert session_id == sender_id_for(SECRET_A)
    assert assistant.received[0].sender_id == sender_id_for(SECRET_A)
    assert assistant.received[0].input_channel == "socketio"


async def test_unlisted_origin_cannot_connect(server: tuple[str, Assistant]) -> None:
    base, _ = server
    async with aiohttp.ClientSession() as http:
        with pytest.raises(ConnectionRefusedError, match="400"):
            await PollingClient.open(http, base, "https://evil.example")


async def test_unlisted_origin_cannot_open_a_websocket(server: tuple[str, Assistant]) -> None:
    base, _ = server
    url = base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
        await websockets.connect(url, extra_headers={"Origin": "https://evil.example"})
    assert refused.value.status_code == 400


async def test_client_without_origin_header_is_not_a_browser_and_may_connect(
    server: tuple[str, Assistant],
) -> None:
    base, _ = server
    async with aiohttp.ClientSession() as http:
        await PollingClient.open(http, base, None)


async def test_polling_answers_carry_cors_headers_for_the_allowed_origin_only(
    server: tuple[str, Assistant],
) -> None:
    base, _ = server
    url = f"{base}/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Origin": ALLOWED}) as allowed:
            assert allowed.status == 200
            assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED
        async with http.get(url, headers={"Origin": "https://evil.example"}) as refused:
            assert refused.status == 400
            assert "Access-Control-Allow-Origin" not in refused.headers


async def test_session_persists_across_reconnects(server: tuple[str, Assistant]) -> None:
    """A second connection with the same session id is the same conversation (same sender id)."""
    base, assistant = server
    first, _ = await converse(base, SECRET_A, "one")
    second, replies = await converse(base, SECRET_A, "two")

    assert first == second == sender_id_for(SECRET_A)
    assert replies == [{"text": "echo: two"}]
    assert [m.sender_id for m in assistant.received] == [first, first]


async def test_a_known_sender_id_opens_no_conversation(server: tuple[str, Assistant]) -> None:
    """Sender ids are seen by staff; presenting one (as secret or as session_id) gets nothing of it."""
    base, assistant = server
    victim = sender_id_for(SECRET_A)

    as_secret, _ = await converse(base, victim, "let me in")
    named, _ = await converse(base, SECRET_B, "write as the victim", named_session=victim)

    assert as_secret != victim and as_secret.startswith("web-")
    assert named == sender_id_for(SECRET_B)
    assert victim not in {m.sender_id for m in assistant.received}


async def test_messages_before_a_session_request_are_ignored(server: tuple[str, Assistant]) -> None:
    base, assistant = server
    async with aiohttp.ClientSession() as http:
        client = await PollingClient.open(http, base, ALLOWED)
        await client.emit("user_uttered", {"message": "hi", "session_id": "web-x"})
        await client.emit("session_request", {"secret": SECRET_B})
        assert await client.event() == ("session_confirm", sender_id_for(SECRET_B))
    assert assistant.received == []


@pytest.mark.parametrize("text", ["x" * 51, "   "])
async def test_long_or_empty_message_gets_a_notice_and_never_reaches_the_assistant(
    server: tuple[str, Assistant], text: str
) -> None:
    base, assistant = server
    _, replies = await converse(base, SECRET_A, text)

    assert assistant.received == []
    assert len(replies) == 1 and replies[0]["text"] and "echo" not in replies[0]["text"]


def test_origins_are_parsed_and_a_wildcard_is_refused() -> None:
    assert parse_origins("http://a:8000, https://b.example  http://c") == [
        "http://a:8000",
        "https://b.example",
        "http://c",
    ]
    assert parse_origins("") == []
    with pytest.raises(ValueError, match=r"not \*"):
        parse_origins("*")
    with pytest.raises(ValueError, match="not an origin"):
        parse_origins("http://a.example/path")


async def test_staff_messages_are_pushed_between_turns(
    relayed_server: tuple[str, Assistant, FakePlatform],
) -> None:
    base, assistant, platform = relayed_server
    sender_id = sender_id_for(SECRET_A)
    async with aiohttp.ClientSession() as http:
        client = await PollingClient.open(http, base, ALLOWED)
        await client.emit("session_request", {"secret": SECRET_A})
        assert await client.event() == ("session_confirm", sender_id)
        platform.outbox[sender_id] = [OutboxMessage(kind="handoff_message", text="Staff: hello")]

        assert await client.event() == ("bot_uttered", {"text": "Staff: hello", "from": "staff"})
    assert assistant.received == []


async def test_outbox_waits_while_no_widget_is_connected(
    relayed_server: tuple[str, Assistant, FakePlatform],
) -> None:
    base, _, platform = relayed_server
    waiting = [OutboxMessage(kind="handoff_message", text="for B")]
    platform.outbox[sender_id_for(SECRET_B)] = waiting
    await converse(base, SECRET_A, "hello")
    await asyncio.sleep(0.3)

    assert platform.outbox[sender_id_for(SECRET_B)] == waiting


async def test_while_staff_hold_the_conversation_messages_go_to_them(
    relayed_server: tuple[str, Assistant, FakePlatform],
) -> None:
    base, assistant, platform = relayed_server
    sender_id = sender_id_for(SECRET_A)
    platform.handed_off.add(sender_id)
    async with aiohttp.ClientSession() as http:
        client = await PollingClient.open(http, base, ALLOWED)
        await client.emit("session_request", {"secret": SECRET_A})
        await client.event()
        await client.emit("user_uttered", {"message": "is anyone there?", "session_id": sender_id})
        for _ in range(50):
            if platform.forwarded:
                break
            await asyncio.sleep(0.02)

    assert platform.forwarded == [(sender_id, "is anyone there?")]
    assert assistant.received == []
