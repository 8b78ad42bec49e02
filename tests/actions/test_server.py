"""``actions.server``: the action server answers only callers presenting the token."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from actions.server import ActionServerSettings, build_app

pytestmark = pytest.mark.security
TOKEN = "action-server-test-token-5a1f"
CALL = {"next_action": "action_does_not_exist", "tracker": {"sender_id": "t1"}, "version": "3.6.21"}


def serve(
    requests: Callable[[httpx.AsyncClient], Awaitable[Any]], executor: ActionExecutor | None = None
) -> Any:
    """Run ``requests`` against a fresh app (ASGI lifespan started and stopped around it)."""
    Sanic.test_mode = True  # every test builds an app named like rasa_sdk's

    async def run() -> Any:
        app = build_app(executor or ActionExecutor(), ActionServerSettings(token=TOKEN))
        inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        outbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        lifespan = asyncio.create_task(app({"type": "lifespan"}, inbox.get, outbox.put))
        await inbox.put({"type": "lifespan.startup"})
        assert (await outbox.get())["type"] == "lifespan.startup.complete"
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://actions") as client:
                return await requests(client)
        finally:
            await inbox.put({"type": "lifespan.shutdown"})
            await outbox.get()
            await lifespan

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({}, {}),
        ({"token": "wrong-token-wrong-token"}, {}),
        ({"token": TOKEN[:-1]}, {}),
        ({}, {"Authorization": "Bearer wrong-token-wrong-token"}),
        ({}, {"Authorization": TOKEN}),
    ],
)
def test_server_forged_webhook_call_is_refused(
    params: dict[str, str], headers: dict[str, str]
) -> None:
    async def call(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/webhook", params=params, headers=headers, json=CALL)

    response = serve(call)

    assert response.status_code == 401
    assert response.json() == {"error": "missing or invalid token"}


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"token": TOKEN}, {}), ({}, {"Authorization": f"Bearer {TOKEN}"})],
)
def test_server_call_with_the_token_reaches_the_executor(
    params: dict[str, str], headers: dict[str, str]
) -> None:
    async def call(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/webhook", params=params, headers=headers, json=CALL)

    response = serve(call)

    assert response.status_code == 404  # the executor looked the (unknown) action up
    assert response.json()["action_name"] == "action_does_not_exist"


def test_server_action_list_needs_the_token_too() -> None:
    async def calls(client: httpx.AsyncClient) -> tuple[int, int]:
        anonymous = await client.get("/actions")
        known = await client.get("/actions", params={"token": TOKEN})
        return anonymous.status_code, known.status_code

    assert serve(calls) == (401, 200)


def test_server_health_is_open_and_says_nothing_internal() -> None:
    async def call(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/health")

    response = serve(call)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_server_settings_refuse_a_missing_or_weak_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    with pytest.raises(ValueError, match="ACTION_SERVER_TOKEN is not set"):
        ActionServerSettings.from_env()
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "changeme")
    with pytest.raises(ValueError, match="ACTION_SERVER_TOKEN is a placeholder"):
        ActionServerSettings.from_env()


def test_server_settings_default_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    monkeypatch.delenv("ACTION_SERVER_HOST", raising=False)
    monkeypatch.setenv("ACTION_SERVER_PORT", "15055")

    settings = ActionServerSettings.from_env()

    assert (settings.host, settings.port, settings.token) == ("127.0.0.1", 15055, TOKEN)
    assert TOKEN not in repr(settings)


def test_server_runs_an_action_rasa_sent_no_domain_to() -> None:
    """Rasa's selective domain omits `domain` for actions that do not declare send_domain."""
    from rasa_sdk import Action
    from rasa_sdk.events import SlotSet

    class RemembersPlace(Action):
        def name(self) -> str:
            return "action_remembers_place"

        async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list[Any]:
            return [SlotSet("attraction", "jiuzhaigou")]

    executor = ActionExecutor()
    executor.register_action(RemembersPlace())

    async def call(client: httpx.AsyncClient) -> httpx.Response:
        body = {**CALL, "next_action": "action_remembers_place"}
        return await client.post("/webhook", params={"token": TOKEN}, json=body)

    response = serve(call, executor)

    assert response.status_code == 200
    assert response.json()["events"][0]["value"] == "jiuzhaigou"
