"""WeChat API faults: the customer-service send and the token endpoints of the simulator
answering errors (45015 out of the reply window, 40001 invalid token, 5xx) or not answering
within the channel's timeout.

Each test states what the tourist sees: the passive reply still arrives within WeChat's
5 seconds, what WeChat did not take is sent after the tourist's next message under a notice in
their language, and every message ran the assistant once (no booking or complaint twice).
"""

from __future__ import annotations

import asyncio
import time

import pytest
from wechat_stack import OPENID, Stack, StackFactory

from channels.wechat.conversation import set_slots
from channels.wechat.text import notice

pytestmark = [pytest.mark.faults]

API_TIMEOUT_S = 0.5


async def _stack(make_stack: StackFactory) -> Stack:
    stack = await make_stack(api_timeout_s=API_TIMEOUT_S)
    stack.api.hang_s = 2.0
    return stack


async def _settle(stack: Stack, seconds: float = 0.8) -> None:
    """Let the channel's background sends finish."""
    await asyncio.sleep(seconds)
    await asyncio.gather(*stack.channel._background, return_exceptions=True)


def _ran_once(stack: Stack) -> None:
    assert stack.assistant.side_effects
    assert set(stack.assistant.side_effects.values()) == {1}


async def _next_message_delivers(stack: Stack, expected: list[str], language: str) -> None:
    """The tourist writes again: the answer comes passively, then what was kept, once."""
    before = len(stack.api.to(OPENID))
    sender = stack.sender()
    delivery = await sender.deliver(sender.text(OPENID, "hello again"))
    assert delivery.reply is not None and delivery.reply["Content"] == "echo: hello again"
    await stack.api.wait_for(OPENID, before + len(expected), timeout=5)
    await _settle(stack, 0.3)
    texts = [m.content for m in stack.api.to(OPENID)[before:]]
    header = notice("undelivered", language)
    assert texts == [f"{header}\n\n{expected[0]}", *expected[1:]]
    assert await stack.channel.undelivered.count(OPENID) == 0
    _ran_once(stack)


@pytest.mark.parametrize("language", ["zh", "en", "ja"])
async def test_out_of_window_send_is_kept_for_the_next_message(
    make_stack: StackFactory, language: str
) -> None:
    """45015 (reply window closed at WeChat's end): the first answer still arrives passively; the
    two that follow are kept (not retried, the window is closed) and arrive, after a notice in
    the tourist's language, once the tourist writes again."""
    stack = await _stack(make_stack)
    await set_slots(stack.app, OPENID, {"language": language})
    stack.api.fail("send", 45015)
    sender = stack.sender()
    delivery = await sender.deliver(sender.text(OPENID, "three"))
    assert delivery.reply is not None and delivery.reply["Content"] == "part 1"
    assert delivery.final.seconds < 4.6 and len(delivery.attempts) == 1
    await _settle(stack)
    assert stack.api.to(OPENID) == [] and stack.api.calls["send"] == 1
    assert await stack.channel.undelivered.count(OPENID) == 2
    assert await stack.channel.window.remaining(OPENID) == 0  # WeChat said so
    await _next_message_delivers(stack, ["part 2", "part 3"], language)


async def test_invalid_token_is_refreshed_once(make_stack: StackFactory) -> None:
    """40001 on a send: the token is fetched again and the send repeated, once. A second 40001
    in a row is not chased further: the texts are kept for the next message."""
    stack = await _stack(make_stack)
    sender = stack.sender()
    await sender.deliver(sender.text(OPENID, "three"))
    await stack.api.wait_for(OPENID, 2)
    assert stack.api.token_requests == 1

    stack.api.fail("send", 40001)
    await sender.deliver(sender.text(OPENID, "three"))
    await stack.api.wait_for(OPENID, 4)
    assert [m.content for m in stack.api.to(OPENID)][-2:] == ["part 2", "part 3"]
    assert stack.api.token_requests == 2

    stack.api.fail("send", 40001, 40001)
    await sender.deliver(sender.text(OPENID, "three"))
    await _settle(stack)
    assert stack.api.token_requests == 3  # one refresh for this send, not a loop
    assert len(stack.api.to(OPENID)) == 4
    assert await stack.channel.undelivered.count(OPENID) == 2
    await _next_message_delivers(stack, ["part 2", "part 3"], "zh")


async def test_server_error_is_retried_once(make_stack: StackFactory) -> None:
    """A 5xx (or "system busy") is tried once more; twice in a row keeps the texts."""
    stack = await _stack(make_stack)
    sender = stack.sender()
    stack.api.fail("send", "5xx")
    await sender.deliver(sender.text(OPENID, "three"))
    await stack.api.wait_for(OPENID, 2)
    await _settle(stack, 0.3)
    assert [m.content for m in stack.api.to(OPENID)] == ["part 2", "part 3"]
    assert stack.api.calls["send"] == 3

    stack.api.fail("send", -1, "5xx")
    await sender.deliver(sender.text(OPENID, "three"))
    await _settle(stack)
    assert len(stack.api.to(OPENID)) == 2
    assert await stack.channel.undelivered.count(OPENID) == 2
    await _next_message_delivers(stack, ["part 2", "part 3"], "zh")


async def test_token_endpoint_hanging_never_delays_the_passive_reply(
    make_stack: StackFactory,
) -> None:
    """The token endpoint does not answer: the passive reply is not waiting for it; the
    customer-service sends give up after the channel's timeout (not retried: WeChat may have
    acted) and their texts wait for the next message. A token endpoint answering 5xx is retried."""
    stack = await _stack(make_stack)
    stack.api.fail("token", "hang")
    sender = stack.sender()
    started = time.monotonic()
    delivery = await sender.deliver(sender.text(OPENID, "three"))
    assert time.monotonic() - started < 1.0  # the turn is instant: nothing waits for WeChat
    assert delivery.reply is not None and delivery.reply["Content"] == "part 1"
    await _settle(stack, API_TIMEOUT_S + 1.0)
    assert stack.api.to(OPENID) == []
    assert await stack.channel.undelivered.count(OPENID) == 2
    assert stack.api.calls["token"] == 1

    stack.api.fail("token", "5xx")
    await _next_message_delivers(stack, ["part 2", "part 3"], "zh")
    assert stack.api.calls["token"] == 3  # the hung one, the 5xx, its retry


async def test_slow_turn_whose_delivery_hangs_is_delivered_at_the_next_message(
    make_stack: StackFactory,
) -> None:
    """A turn longer than the passive budget answers "success", then its reply goes by
    customer service; that send hangs past the timeout. WeChat does not retry (it got its
    answer in time), the assistant ran once, and the reply arrives after the next message."""
    stack = await make_stack(api_timeout_s=API_TIMEOUT_S, passive_reply_s=1.0)
    stack.api.hang_s = 2.0
    stack.assistant.delay = 1.5
    stack.api.fail("send", "hang")
    sender = stack.sender()
    delivery = await sender.deliver(sender.text(OPENID, "slow"))
    assert len(delivery.attempts) == 1 and delivery.final.body == "success"
    assert delivery.final.seconds < 1.6
    await _settle(stack, 1.5 + API_TIMEOUT_S + 0.5)
    assert await stack.channel.undelivered.count(OPENID) == 1
    await asyncio.sleep(stack.api.hang_s)  # the simulator drops a call whose caller gave up
    assert stack.api.to(OPENID) == []
    await _next_message_delivers(stack, ["slow answer"], "zh")
    assert stack.assistant.side_effects == {str(m.message_id): 1 for m in stack.assistant.received}


async def test_staff_reply_the_api_refused_waits_for_the_next_message(
    make_stack: StackFactory,
) -> None:
    """A staff reply claimed from the platform's outbox (the console shows it handed to the
    channel) that WeChat refuses is not lost: the channel keeps it and sends it after the
    tourist's next message."""
    stack = await _stack(make_stack)
    sender = stack.sender()
    await sender.deliver(sender.text(OPENID, "我要投诉"))
    await _settle(stack, 0.3)
    stack.platform.outbox[OPENID] = [
        {"kind": "complaint_reply", "text": "已处理", "reference": "TS-20261207-0003"}
    ]
    stack.api.fail("send", "5xx", "5xx")
    assert await stack.channel.push_outbox(stack.app) == 0
    assert stack.platform.outbox == {}  # claimed: the platform will not give it again
    assert await stack.channel.undelivered.count(OPENID) == 1
    await _next_message_delivers(stack, ["Staff reply on TS-20261207-0003: 已处理"], "zh")
