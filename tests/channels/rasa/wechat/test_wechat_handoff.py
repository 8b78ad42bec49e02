"""Staff hand-off on WeChat through the platform's relay routes: while staff hold the
conversation the tourist's messages go to them, staff replies and case updates reach the tourist
(with the next turn, or pushed by customer service while the reply window is open)."""

from __future__ import annotations

from wechat_stack import OPENID, Stack


async def test_messages_go_to_staff_while_they_hold_the_conversation(stack: Stack) -> None:
    stack.platform.handed_off.add(OPENID)
    stack.platform.outbox[OPENID] = [{"kind": "handoff_message", "text": "您好，我是客服小李"}]
    sender = stack.sender()
    delivery = await sender.deliver(sender.text(OPENID, "我被多收了钱"))
    assert delivery.reply is not None and delivery.reply["Content"] == "Staff: 您好，我是客服小李"
    assert stack.platform.forwarded == [(OPENID, "我被多收了钱")]
    assert stack.assistant.received == []  # the bot stays silent
    stack.platform.handed_off.clear()
    await sender.deliver(sender.text(OPENID, "谢谢"))
    assert [m.text for m in stack.assistant.received] == ["谢谢"]


async def test_staff_reply_follows_the_next_answer(stack: Stack) -> None:
    stack.platform.outbox[OPENID] = [
        {"kind": "complaint_reply", "text": "已退款", "reference": "TS-20261207-0001"}
    ]
    sender = stack.sender()
    delivery = await sender.deliver(sender.text(OPENID, "你好"))
    assert delivery.reply is not None and delivery.reply["Content"] == "echo: 你好"
    messages = await stack.api.wait_for(OPENID, 1)
    assert [m.content for m in messages] == ["Staff reply on TS-20261207-0001: 已退款"]


async def test_staff_reply_is_pushed_within_the_reply_window(stack: Stack) -> None:
    sender = stack.sender()
    await sender.deliver(sender.text(OPENID, "我要投诉"))  # opens the 48-hour window
    stack.platform.outbox[OPENID] = [
        {"kind": "complaint_reply", "text": "已处理", "reference": "TS-20261207-0002"}
    ]
    stack.platform.outbox["oNeverWrote000000000000000001"] = [{"kind": "x", "text": "hidden"}]
    assert await stack.channel.push_outbox(stack.app) == 1
    assert [m.content for m in stack.api.to(OPENID)] == ["Staff reply on TS-20261207-0002: 已处理"]
    assert stack.platform.outbox == {
        "oNeverWrote000000000000000001": [{"kind": "x", "text": "hidden"}]
    }
    assert await stack.channel.push_outbox(stack.app) == 0  # each message is delivered once
