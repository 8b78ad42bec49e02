"""Message types and events through the simulator: text, voice, image, location, subscribe,
QR scenes, LOCATION, CLICK, unsubscribe; Markdown stripped; buttons as numbered choices."""

from __future__ import annotations

import time

from rasa.shared.core.events import SlotSet
from wechat_stack import OPENID, Stack

from channels.wechat.text import notice


async def say(stack: Stack, xml: str) -> str | None:
    delivery = await stack.sender().deliver(xml)
    assert delivery.answered, delivery.attempts
    return delivery.reply["Content"] if delivery.reply else None


async def test_text_reply_has_no_markdown(stack: Stack) -> None:
    assert await say(stack, stack.sender().text(OPENID, "九寨沟门票")) == "echo: 九寨沟门票"


async def test_voice_uses_recognition_or_asks_to_type(stack: Stack) -> None:
    sender = stack.sender()
    assert await say(stack, sender.voice(OPENID, "乐山大佛怎么去")) == "echo: 乐山大佛怎么去"
    assert stack.assistant.received[-1].metadata["wechat"]["msg_type"] == "voice"
    assert await say(stack, sender.voice(OPENID, None)) == notice("voice_unrecognized", "zh")
    assert len(stack.assistant.received) == 1


async def test_image_goes_to_the_conversation_as_evidence(stack: Stack) -> None:
    url = "http://mmbiz.qpic.cn/mmbiz_jpg/evidence-1/0"
    await say(stack, stack.sender().image(OPENID, url))
    message = stack.assistant.received[-1]
    assert message.text == url
    assert message.metadata["image_url"] == url and message.metadata["images"] is True
    assert message.metadata["attachments"] == [
        {"url": url, "media_id": "media-image-1", "type": "image"}
    ]


async def test_location_lists_nearby_attractions_and_a_digit_asks_about_one(stack: Stack) -> None:
    sender = stack.sender()
    reply = await say(stack, sender.location(OPENID, 29.55, 103.77, "乐山"))
    assert reply == f"{notice('nearby', 'zh')}\n1. 乐山大佛 (1.2 km)\n2. 峨眉山 (31.0 km)"
    assert stack.assistant.received == []
    await say(stack, sender.text(OPENID, "2"))
    message = stack.assistant.received[-1]
    assert message.text == "峨眉山" and message.metadata["choice"] == "2"
    assert message.metadata["location"] == {"lat": 29.55, "lon": 103.77}
    far = await say(stack, sender.location(OPENID, 39.9, 116.4))
    assert far == notice("nearby_none", "zh", km=50)


async def test_subscribe_welcome_in_chinese_or_the_known_language(stack: Stack) -> None:
    sender = stack.sender()
    assert await say(stack, sender.event(OPENID, "subscribe")) == notice("welcome", "zh")
    tracker = await stack.tracker_store.get_or_create_tracker("oReturningVisitor")
    tracker.update(SlotSet("language", "ja"))
    await stack.tracker_store.save(tracker)
    welcome = await say(stack, sender.event("oReturningVisitor", "subscribe"))
    assert welcome == notice("welcome", "ja")


async def test_qr_scene_sets_the_venue_context(stack: Stack) -> None:
    sender = stack.sender()
    reply = await say(stack, sender.event(OPENID, "subscribe", "qrscene_leshan-giant-buddha"))
    assert reply == notice("venue_set", "zh", venue="乐山大佛")
    tracker = await stack.tracker_store.retrieve(OPENID)
    assert tracker.get_slot("attraction") == "leshan-giant-buddha"
    assert await say(stack, sender.text(OPENID, "ticket")) == "ticket of leshan-giant-buddha"
    assert stack.assistant.received[-1].metadata["venue_id"] == "leshan-giant-buddha"
    # an already-subscribed tourist scans the numeric scene of another gate (credentials map)
    other = "oScanner00000000000000000002"
    assert await say(stack, sender.event(other, "SCAN", "101")) == notice(
        "venue_set", "zh", venue="乐山大佛"
    )
    assert (await stack.tracker_store.retrieve(other)).get_slot("attraction") == (
        "leshan-giant-buddha"
    )
    # unknown scenes change nothing
    assert await say(stack, sender.event("oScanner3", "SCAN", "999")) is None
    assert await say(stack, sender.event("oScanner3", "SCAN", "the-great-wall")) is None
    assert await stack.tracker_store.retrieve("oScanner3") is None


async def test_location_event_is_kept_for_later_messages(stack: Stack) -> None:
    sender = stack.sender()
    event = sender.event(OPENID, "LOCATION", Latitude=30.66, Longitude=104.06, Precision=50.0)
    assert await say(stack, event) is None  # WeChat gets "success"
    await say(stack, sender.text(OPENID, "附近有什么"))
    assert stack.assistant.received[-1].metadata["location"] == {"lat": 30.66, "lon": 104.06}


async def test_menu_click_sends_its_text_and_unknown_keys_nothing(stack: Stack) -> None:
    sender = stack.sender()
    assert (
        await say(stack, sender.event(OPENID, "CLICK", "MENU_HOTLINE")) == "echo: tourism hotline"
    )
    assert stack.assistant.received[-1].metadata["menu_key"] == "MENU_HOTLINE"
    assert await say(stack, sender.event(OPENID, "CLICK", "NO_SUCH_KEY")) is None
    assert len(stack.assistant.received) == 1


async def test_buttons_become_numbered_text_and_a_digit_picks_the_payload(stack: Stack) -> None:
    sender = stack.sender()
    reply = await say(stack, sender.text(OPENID, "menu"))
    assert reply == "What would you like?\n请回复数字选择：\n1. Tickets\n2. Hours"
    await say(stack, sender.text(OPENID, "1"))
    assert stack.assistant.received[-1].text == "/ask_ticket_price"
    # choices belong to the latest turn only: after a turn without buttons a digit is a digit
    await say(stack, sender.text(OPENID, "3"))
    assert stack.assistant.received[-1].text == "3"


async def test_unsubscribe_purges_the_tourists_data(stack: Stack) -> None:
    sender = stack.sender()
    await say(stack, sender.event(OPENID, "subscribe", "qrscene_leshan-giant-buddha"))
    await say(stack, sender.text(OPENID, "menu"))
    assert await stack.tracker_store.retrieve(OPENID) is not None
    assert await say(stack, sender.event(OPENID, "unsubscribe")) is None
    assert await stack.tracker_store.retrieve(OPENID) is None
    assert stack.platform.erased == [OPENID]
    assert stack.platform.tokens == ["Bearer platform-bot-token-for-tests"]
    for key in (f"venue:{OPENID}", f"choices:{OPENID}", f"window:message:{OPENID}"):
        assert await stack.channel.store.get(key) is None


async def test_over_long_and_unsupported_messages_get_a_notice(stack: Stack) -> None:
    sender = stack.sender()
    reply = await say(stack, sender.text(OPENID, "门票" * 200))
    assert reply is not None and "300" in reply
    video = sender._xml(OPENID, "video", {"MediaId": "m", "MsgId": int(time.time())})
    assert await say(stack, video) == notice("unsupported", "zh")
    assert stack.assistant.received == []


async def test_messages_outside_a_turn_are_pushed_by_customer_service(stack: Stack) -> None:
    # e.g. a staff reply Rasa sends with output_channel=wechat after the tourist wrote
    await say(stack, stack.sender().text(OPENID, "转人工"))
    push = stack.channel.get_output_channel()
    await push.send_text_message(OPENID, "**Staff**: we have refunded 80 yuan")
    messages = await stack.api.wait_for(OPENID, 1)
    assert [m.content for m in messages] == ["Staff: we have refunded 80 yuan"]
    # a tourist who never wrote has no window: nothing is sent
    await push.send_text_message("oNeverWrote000000000000000001", "hello")
    assert stack.api.to("oNeverWrote000000000000000001") == []
