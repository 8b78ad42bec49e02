"""WeChat's 5-second rule, retries, the shared access token and the reply window, measured
through the simulator (real HTTP on loopback, WeChat's 5 s timeout and 3 attempts)."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from wechat_stack import OPENID, Stack, StackFactory

from channels.wechat.store import RedisStore
from channels.wechat_simulator import Sender

REDIS_URL = "redis://127.0.0.1:6379/0"


async def test_slow_turn_answers_success_within_5s_then_customer_service(stack: Stack) -> None:
    stack.assistant.delay = 6.0  # an action that takes longer than WeChat waits
    started = time.monotonic()
    delivery = await stack.sender().deliver(stack.sender().text(OPENID, "slow"))
    assert len(delivery.attempts) == 1 and delivery.final.status == 200
    assert delivery.final.body == "success" and delivery.reply is None
    assert delivery.final.seconds < 4.6  # measured ~4.0 s: the passive budget, then "success"
    messages = await stack.api.wait_for(OPENID, 1, timeout=10)
    assert [m.content for m in messages] == ["slow answer"]
    assert messages[0].msgtype == "text"
    assert messages[0].received_at - started == pytest.approx(6.0, abs=1.0)
    assert len(stack.assistant.received) == 1
    assert stack.api.typing == [OPENID]  # "typing..." shown while the tourist waits


async def test_fast_turn_first_message_passive_rest_by_customer_service(stack: Stack) -> None:
    delivery = await stack.sender().deliver(stack.sender().text(OPENID, "three"))
    assert delivery.reply is not None and delivery.reply["Content"] == "part 1"
    assert delivery.final.seconds < 1.0
    answered_at = time.monotonic()
    messages = await stack.api.wait_for(OPENID, 2)
    assert [m.content for m in messages] == ["part 2", "part 3"]
    assert messages[0].received_at - answered_at >= 0.4  # after the passive reply, in order


async def test_retry_of_an_answered_message_is_not_handled_again(stack: Stack) -> None:
    sender = stack.sender()
    xml = sender.text(OPENID, "book 2 tickets", msg_id=880001)
    first = await sender.deliver(xml)
    second = await sender.deliver(xml)  # WeChat retries the same MsgId
    assert first.reply == second.reply and first.reply is not None
    assert stack.assistant.side_effects == {"880001": 1}


async def test_retry_while_the_first_is_still_running_waits_for_it(stack: Stack) -> None:
    stack.assistant.delay = 2.5
    impatient = Sender(stack.url, stack.sender().token, timeout_s=1.0)  # drops after 1 s
    delivery = await impatient.deliver(impatient.text(OPENID, "slow", msg_id=880002))
    # attempts 1 and 2 dropped; the third waits for the first's result instead of a second run
    assert [a.status for a in delivery.attempts] == [None, None, 200]
    assert delivery.final.body == "success"
    assert stack.assistant.side_effects == {"880002": 1}
    # the first delivery's connection was gone, so its answer comes once, by customer service
    messages = await stack.api.wait_for(OPENID, 1)
    await asyncio.sleep(0.3)
    assert [m.content for m in stack.api.to(OPENID)] == ["slow answer"]
    assert len(messages) == 1


async def test_retry_while_the_first_is_running_reuses_its_passive_reply(stack: Stack) -> None:
    stack.assistant.delay = 1.5
    sender = stack.sender()
    xml = sender.text(OPENID, "slow", msg_id=880003)
    first, retry = await asyncio.gather(sender.deliver(xml), sender.deliver(xml))
    assert first.reply == retry.reply and first.reply is not None
    assert first.reply["Content"] == "slow answer"
    assert stack.assistant.side_effects == {"880003": 1}


async def test_event_retries_are_deduplicated_by_sender_and_create_time(stack: Stack) -> None:
    sender = stack.sender()
    click = sender.event(OPENID, "CLICK", "MENU_HOTLINE", create_time=1_790_000_000)
    await sender.deliver(click)
    await sender.deliver(click)
    assert len(stack.assistant.received) == 1


async def test_access_token_fetched_once_and_refreshed_when_revoked(stack: Stack) -> None:
    sender = stack.sender()
    for n in range(3):
        await sender.deliver(sender.text(OPENID, "three"))
        await stack.api.wait_for(OPENID, 2 * (n + 1))
    assert stack.api.token_requests == 1
    stack.api.revoke_tokens()  # WeChat invalidated it (40001): refresh once and resend
    await sender.deliver(sender.text(OPENID, "three"))
    messages = await stack.api.wait_for(OPENID, 8)
    assert [m.content for m in messages[-2:]] == ["part 2", "part 3"]
    assert stack.api.token_requests == 2 and stack.api.rejected == [40001]


async def test_reply_window_of_five_is_respected(make_stack: StackFactory) -> None:
    stack = await make_stack()
    stack.api.window_limit = 5  # the simulator refuses a 6th message with 45047
    delivery = await stack.sender().deliver(stack.sender().text(OPENID, "many 8"))
    assert delivery.reply is not None and delivery.reply["Content"] == "m1"
    messages = await stack.api.wait_for(OPENID, 5)
    await asyncio.sleep(0.3)
    assert [m.content for m in stack.api.to(OPENID)] == ["m2", "m3", "m4", "m5", "m6\n\nm7\n\nm8"]
    assert stack.api.rejected == [] and len(messages) == 5
    assert await stack.channel.window.remaining(OPENID) == 0
    stack.api.open_window(OPENID)
    await stack.sender().deliver(stack.sender().text(OPENID, "three"))  # a new message: new window
    await stack.api.wait_for(OPENID, 7)
    assert [m.content for m in stack.api.to(OPENID)][-2:] == ["part 2", "part 3"]


@pytest.fixture
async def redis_prefix() -> str:
    probe = RedisStore(REDIS_URL)
    try:
        await probe.ping()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"Redis not reachable on loopback: {type(error).__name__}")
    finally:
        await probe.close()
    return f"test-wechat-{uuid.uuid4().hex[:8]}:"


@pytest.mark.scaleout
async def test_two_processes_share_dedup_and_token_through_redis(
    make_stack: StackFactory, redis_prefix: str
) -> None:
    first = await make_stack(store=RedisStore(REDIS_URL, prefix=redis_prefix))
    second = await make_stack(
        store=RedisStore(REDIS_URL, prefix=redis_prefix), tracker_store=first.tracker_store
    )
    second.api = first.api
    xml = first.sender().text(OPENID, "three", msg_id=990001)
    answered = await first.sender().deliver(xml)
    retried = await second.sender().deliver(xml)  # the retry lands on the other process
    assert answered.reply == retried.reply and answered.reply is not None
    assert second.assistant.received == []
    await second.sender().deliver(second.sender().text(OPENID, "three"))
    await first.api.wait_for(OPENID, 4)
    assert first.api.token_requests == 1  # one token for both processes
    # while the first process is still running a turn, the other waits for its result
    first.assistant.delay = 1.5
    slow = first.sender().text(OPENID, "slow", msg_id=990002)
    both = await asyncio.gather(first.sender().deliver(slow), second.sender().deliver(slow))
    assert both[0].reply == both[1].reply and both[0].reply is not None
    assert first.assistant.side_effects.get("990002") == 1
    assert "990002" not in second.assistant.side_effects
