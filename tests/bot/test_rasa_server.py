"""bot.rasa_server: Rasa's remote actions still validate action-server responses, with the same
schema and the same error, through a validator whose schema is checked once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_server


@pytest.fixture
def action() -> RemoteAction:
    rasa_server.install()
    return RemoteAction("action_answer_knowledge", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_a_valid_response_passes(action: RemoteAction) -> None:
    response = {
        "events": [{"event": "slot", "name": "attraction", "value": "jiuzhaigou"}],
        "responses": [{"text": "Jiuzhaigou: 169 CNY"}],
    }
    assert action._validate_action_result(response) is True


def test_an_invalid_response_raises_rasas_error(action: RemoteAction) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})


def test_the_schema_is_checked_once() -> None:
    assert rasa_server.action_response_validator() is rasa_server.action_response_validator()


def test_sql_tracker_store_engines_pre_ping_after_install() -> None:
    from rasa.core import tracker_store

    from bot import rasa_server

    original = tracker_store.create_engine_kwargs
    try:
        rasa_server.install()
        kwargs = tracker_store.create_engine_kwargs("postgresql://u@127.0.0.1/tianfu_rasa")
        assert kwargs["pool_pre_ping"] is True
        assert "pool_size" in kwargs  # Rasa's own options are kept
    finally:
        tracker_store.create_engine_kwargs = original


def test_serving_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_PARSE_WORKERS", raising=False)
    monkeypatch.delenv("SENTENCE_ENCODER_THREADS", raising=False)
    assert rasa_server.ServingSettings.from_env() == rasa_server.ServingSettings(2, 1)
    monkeypatch.setenv("RASA_PARSE_WORKERS", "0")
    monkeypatch.setenv("SENTENCE_ENCODER_THREADS", "2")
    assert rasa_server.ServingSettings.from_env() == rasa_server.ServingSettings(0, 2)
    monkeypatch.setenv("RASA_PARSE_WORKERS", "two")
    with pytest.raises(ValueError):
        rasa_server.ServingSettings.from_env()


@pytest.mark.slow
def test_parses_in_the_pool_equal_rasas_own_even_when_concurrent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio
    import threading
    from pathlib import Path

    from rasa.core.agent import Agent
    from rasa.core.processor import MessageProcessor

    root = Path(__file__).resolve().parents[2]
    pointer = root / "models" / "current"
    if not pointer.exists():
        pytest.fail("no trained model: `make test` trains it first")
    agent = Agent.load(str(root / "models" / pointer.read_text().strip()))
    texts = ["你好", "How much is the Leshan Giant Buddha ticket?", "九寨沟门票多少钱", "merci"] * 3

    async def parse_all() -> list[dict]:
        return list(await asyncio.gather(*(agent.parse_message(t) for t in texts)))

    rasas = asyncio.run(parse_all())  # Rasa's own path: in the event loop
    threads: set[str] = set()
    graph = MessageProcessor._parse_message_with_graph

    def recording(self: MessageProcessor, *args: object) -> dict:
        threads.add(threading.current_thread().name)
        return graph(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(MessageProcessor, "parse_message", MessageProcessor.parse_message)
    monkeypatch.setattr(MessageProcessor, "_parse_message_with_graph", recording)
    monkeypatch.setenv("SENTENCE_ENCODER_THREADS", "1")
    rasa_server.install(rasa_server.ServingSettings(parse_workers=2, encoder_threads=1))
    pooled = asyncio.run(parse_all())

    assert threads and all(name.startswith("nlu-parse") for name in threads)
    for rasa, ours in zip(rasas, pooled, strict=True):
        assert ours["text"] == rasa["text"]
        assert ours["intent"] == rasa["intent"]
        assert ours["entities"] == rasa["entities"]


def test_endpoint_calls_share_one_keep_alive_connection() -> None:
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import ClientResponseError, EndpointConfig

    rasa_server.install()
    peers: list[tuple[str, int]] = []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))  # type: ignore[union-attr]
        if request.query.get("token") != "s3cret-token-for-tests":
            return web.json_response({"error": "token"}, status=401)
        return web.json_response({"echo": await request.json()})

    async def scenario() -> None:
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            endpoint = EndpointConfig(
                f"http://127.0.0.1:{port}/webhook", token="s3cret-token-for-tests"
            )
            assert await endpoint.request(json={"n": 1}) == {"echo": {"n": 1}}
            assert await endpoint.request(json={"n": 2}) == {"echo": {"n": 2}}
            with pytest.raises(ClientResponseError) as refused:
                await EndpointConfig(f"http://127.0.0.1:{port}/webhook").request(json={})
            assert refused.value.status == 401
        finally:
            await rasa_server.close_keep_alive_sessions()
            await runner.cleanup()

    asyncio.run(scenario())
    assert len(peers) == 3 and peers[0] == peers[1]  # the second call reused the connection
