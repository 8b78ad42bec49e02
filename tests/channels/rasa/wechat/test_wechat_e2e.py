"""The WeChat channel inside the real Rasa server (trained model at models/current, the real
credentials.yml and endpoints.yml with WECHAT_* values), driven by the simulator. The action
server is a loopback stand-in that can be slowed down: a knowledge answer that takes 6 s."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from wechat_stack import APP_ID, APP_SECRET, TOKEN, FakePlatform, free_port

from channels.wechat_simulator import ApiServer, Sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]
ROOT = Path(__file__).resolve().parents[4]
AUTH = "e2e-wechat-rasa-token"


@dataclass
class SlowActions:
    """Action server stand-in: ``action_answer_knowledge`` answers after ``delay`` seconds."""

    delay: float = 0.0
    calls: list[dict[str, Any]] = field(default_factory=list)

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls.append(body)
        if body.get("next_action") == "action_answer_knowledge":
            await asyncio.sleep(self.delay)
            venue = body["tracker"]["slots"].get("attraction")
            return web.json_response(
                {"events": [], "responses": [{"text": f"knowledge answer about {venue}"}]}
            )
        return web.json_response({"events": [], "responses": []})


@dataclass
class RasaStack:
    url: str
    rasa: str
    api: ApiServer
    actions: SlowActions


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def rasa(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RasaStack]:
    current = ROOT / "models" / "current"
    if not current.exists():
        pytest.skip("no trained model at models/current (make train)")
    api = ApiServer(APP_ID, APP_SECRET)
    await api.start()
    platform = FakePlatform()
    await platform.start()
    actions = SlowActions()
    action_app = web.Application()
    action_app.router.add_post("/webhook", actions.webhook)
    runner = web.AppRunner(action_app, access_log=None)
    await runner.setup()
    action_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", action_port).start()
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_AES_KEY": "",
        "WECHAT_API_BASE": api.base_url,
        "WECHAT_DEDUP_REDIS_URL": "",
        "PLATFORM_API_URL": platform.base_url,
        "PLATFORM_BOT_API_TOKEN": "e2e-platform-bot-token",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "ACTION_SERVER_TOKEN": "e2e-action-token",
    }
    log = (tmp_path_factory.mktemp("wechat_e2e") / "rasa.log").open("w")
    model = ROOT / "models" / current.read_text().strip()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.rasa_server", "run", "--enable-api", "--auth-token", AUTH,
         "--interface", "127.0.0.1", "--port", str(port), "--model", str(model),
         "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    async with aiohttp.ClientSession() as http:
        while True:
            if process.poll() is not None:
                pytest.fail(f"Rasa exited; see {log.name}")
            try:
                async with http.get(f"{base}/webhooks/wechat/") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                process.terminate()
                pytest.fail(f"Rasa did not start within 300 s; see {log.name}")
            await asyncio.sleep(1)
    try:
        yield RasaStack(f"{base}/webhooks/wechat/webhook", base, api, actions)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        await runner.cleanup()
        await api.stop()
        await platform.stop()


async def answer(rasa: RasaStack, delivery: Any, openid: str) -> str:
    """The passive reply, or (when the turn took longer than the passive budget, e.g. on a busy
    machine) the first customer-service message; WeChat got its answer within 5 s either way."""
    assert delivery.answered and delivery.final.seconds < 5.0
    if delivery.reply is not None:
        return str(delivery.reply["Content"])
    assert delivery.final.body == "success"
    before = len(rasa.api.to(openid))
    messages = await rasa.api.wait_for(openid, before + 1, timeout=20)
    return messages[before].content


async def tracker_slots(rasa: RasaStack, openid: str) -> dict[str, Any]:
    url = f"{rasa.rasa}/conversations/{openid}/tracker"
    async with aiohttp.ClientSession() as http, http.get(url, params={"token": AUTH}) as response:
        return dict((await response.json())["slots"])


async def test_greeting_is_answered_by_the_model(rasa: RasaStack) -> None:
    sender = Sender(rasa.url, TOKEN)
    openid = "oE2eGreeter0000000000000001"
    delivery = await sender.deliver(sender.text(openid, "你好"))
    text = await answer(rasa, delivery, openid)
    assert text.strip() and "**" not in text


async def test_slow_action_gives_success_then_customer_service(rasa: RasaStack) -> None:
    openid = "oE2eSlowTourist000000000001"
    rasa.actions.delay = 6.0
    sender = Sender(rasa.url, TOKEN)
    xml = sender.text(openid, "乐山大佛门票多少钱？", msg_id=770001)
    try:
        delivery = await sender.deliver(xml)
        assert len(delivery.attempts) == 1 and delivery.final.body == "success"
        assert delivery.final.seconds < 5.0
        messages = await rasa.api.wait_for(openid, 1, timeout=15)
        assert messages and messages[0].content.startswith("knowledge answer about")
        retry = await sender.deliver(xml)  # the same MsgId again
        assert retry.final.body == "success"
    finally:
        rasa.actions.delay = 0.0
    knowledge_calls = [
        call
        for call in rasa.actions.calls
        if call["sender_id"] == openid and call["next_action"] == "action_answer_knowledge"
    ]
    assert len(knowledge_calls) == 1  # the retry ran nothing
    assert knowledge_calls[0]["tracker"]["latest_input_channel"] == "wechat"


async def test_qr_scene_venue_reaches_the_knowledge_action(rasa: RasaStack) -> None:
    openid = "oE2eScanner000000000000001"
    sender = Sender(rasa.url, TOKEN)
    scan = await sender.deliver(sender.event(openid, "SCAN", "leshan-giant-buddha"))
    assert scan.reply is not None and "乐山大佛" in scan.reply["Content"]
    assert (await tracker_slots(rasa, openid))["attraction"] == "leshan-giant-buddha"
    reply = await sender.deliver(sender.text(openid, "门票多少钱？"))
    assert await answer(rasa, reply, openid) == "knowledge answer about leshan-giant-buddha"
    # unsubscribing erases the conversation from Rasa's tracker store
    await sender.deliver(sender.event(openid, "unsubscribe"))
    assert (await tracker_slots(rasa, openid)).get("attraction") is None
