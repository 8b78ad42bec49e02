"""``channels.rest_guarded``: the REST channel Rasa serves, driven over ASGI with a fake agent."""

from __future__ import annotations

import asyncio
import json
import time
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from channels.guard import GuardSettings
from channels.rest_guarded import GuardedRestInput

pytestmark = pytest.mark.security
URL = "/webhooks/rest/webhook"


class FakeTrackerStore:
    """``retrieve`` gives a tracker whose ``language`` slot is ``language``."""

    def __init__(self, language: str | None) -> None:
        self.language = language

    async def retrieve(self, sender_id: str) -> Any:
        return SimpleNamespace(get_slot=lambda name: self.language)


class Assistant:
    """Stands in for Rasa's agent: records messages and answers ``echo``."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def handle(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "echo")


def make_app(assistant: Assistant, language: str | None = None) -> Sanic:
    Sanic.test_mode = True
    app = Sanic(f"guarded_{time.monotonic_ns()}")
    channel = GuardedRestInput.from_credentials({"max_message_chars": 100})
    # what rasa.core.channels.channel.register does for every configured channel
    app.blueprint(
        channel.blueprint(assistant.handle), url_prefix=f"/webhooks/{channel.url_prefix()}"
    )
    app.ctx.agent = SimpleNamespace(tracker_store=FakeTrackerStore(language))
    return app


async def asgi_post(app: Sanic, body: bytes) -> tuple[int, Any]:
    """POST ``body`` to the webhook through the app's ASGI interface (after its start-up)."""
    life_in: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    life_out: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    lifespan = asyncio.ensure_future(app({"type": "lifespan"}, life_in.get, life_out.put))
    await life_in.put({"type": "lifespan.startup"})
    assert (await life_out.get())["type"] == "lifespan.startup.complete"
    sent: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return requests.pop(0) if requests else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    lifespan.cancel()  # Sanic 21's ASGI lifespan cannot be shut down cleanly outside a server
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(payload)


def post(body: bytes | dict[str, Any], language: str | None = None) -> tuple[int, Any, Assistant]:
    assistant = Assistant()
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, payload = asyncio.run(asgi_post(make_app(assistant, language), raw))
    return status, payload, assistant


def test_rest_guarded_keeps_the_rest_url_and_passes_normal_messages() -> None:
    status, payload, assistant = post({"sender": "t1", "message": "九寨沟门票多少钱"})

    assert status == 200
    assert payload == [{"recipient_id": "t1", "text": "echo"}]
    assert [m.text for m in assistant.received] == ["九寨沟门票多少钱"]
    assert assistant.received[0].input_channel == "rest"


def test_rest_guarded_long_message_gets_a_polite_answer_and_never_reaches_the_assistant() -> None:
    status, payload, assistant = post({"sender": "t2", "message": "九寨沟怎么去" * 20_000})

    assert status == 200
    assert "100" in payload[0]["text"] and "太长" in payload[0]["text"]
    assert assistant.received == []


def test_rest_guarded_long_latin_message_answered_in_the_session_language() -> None:
    status, payload, _ = post({"sender": "t3", "message": "x" * 5000}, language="de")

    assert status == 200 and "zu lang" in payload[0]["text"]


def test_rest_guarded_whitespace_message_gets_a_polite_reply() -> None:
    status, payload, assistant = post({"sender": "t4", "message": "  \n "}, language="fr")

    assert status == 200 and "vide" in payload[0]["text"]
    assert assistant.received == []


@pytest.mark.parametrize(
    "body",
    [b"[1, 2]", b"not json", b'{"message": "hi"}', b'{"sender": "t5", "message": 7}', b""],
)
def test_rest_guarded_malformed_body_is_a_400_json_error(body: bytes) -> None:
    status, payload, assistant = post(body)

    assert status == 400 and "error" in payload
    assert assistant.received == []


def test_rest_guarded_limits_default_when_not_configured() -> None:
    assert GuardedRestInput.from_credentials(None).settings == GuardSettings()
    assert GuardedRestInput.name() == "rest"


class BrokenAssistant(Assistant):
    """Fails like Rasa does when its lock store (Redis) or tracker store is unreachable."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    async def handle(self, message: UserMessage) -> None:
        self.received.append(message)
        raise self.error


@pytest.mark.faults
@pytest.mark.parametrize("error", [ConnectionError("redis down"), asyncio.CancelledError()])
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("九寨沟门票多少钱", None, "系统暂时出了点问题"),
        ("How much is the Jiuzhaigou ticket?", None, "temporary technical problem"),
        ("ok", "ja", "一時的な技術的問題"),
    ],
)
def test_rest_guarded_failure_gets_a_notice_in_the_tourists_language(
    error: BaseException, text: str, language: str | None, expected: str
) -> None:
    assistant = BrokenAssistant(error)
    raw = json.dumps({"sender": "t1", "message": text}).encode()
    status, payload = asyncio.run(asgi_post(make_app(assistant, language), raw))
    assert status == 200
    assert len(payload) == 1 and expected in payload[0]["text"]
    assert "Traceback" not in payload[0]["text"] and "redis" not in payload[0]["text"].lower()
