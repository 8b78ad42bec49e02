"""Text for WeChat and for guide devices: Markdown stripped, numbered choices, speech text."""

from __future__ import annotations

from channels.guide_speech import to_speech
from channels.wechat.messages import parse_inbound
from channels.wechat.text import choice_number, notice, render_choices, strip_markdown


def test_markdown_is_stripped_for_wechat() -> None:
    text = "## Tickets\n**Full price**: 80 yuan, *half*: 40 yuan\n- [official site](https://x.cn/a)\n`code`"
    plain = strip_markdown(text)
    assert (
        plain == "Tickets\nFull price: 80 yuan, half: 40 yuan\n• official site https://x.cn/a\ncode"
    )
    assert strip_markdown("snake_case_name stays") == "snake_case_name stays"


def test_buttons_become_numbered_choices_and_digits_map_back() -> None:
    text, choices = render_choices(
        "Which one?", [{"title": "**Leshan**", "payload": "/a"}, {"title": "Emei"}], "en"
    )
    assert text == "Which one?\nReply with a number:\n1. Leshan\n2. Emei"
    assert choices == {"1": "/a", "2": "Emei"}
    assert [choice_number(x) for x in ("2", " 1. ", "２", "12", "2 tickets", "")] == [
        "2",
        "1",
        "2",
        "12",
        None,
        None,
    ]


def test_channel_notices_default_to_chinese() -> None:
    assert notice("welcome", None).startswith("欢迎关注")
    assert notice("welcome", "und").startswith("欢迎关注")
    assert notice("welcome", "ja").startswith("智游天府へようこそ")


def test_inbound_fields_and_dedup_keys() -> None:
    voice = parse_inbound(
        "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>5</CreateTime>"
        "<MsgType>voice</MsgType><Recognition>乐山大佛门票</Recognition><MsgID>77</MsgID></xml>"
    )
    assert voice.recognition == "乐山大佛门票" and voice.dedup_key == "msg:77"
    scan = parse_inbound(
        "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>9</CreateTime>"
        "<MsgType>event</MsgType><Event>SCAN</Event><EventKey>101</EventKey></xml>"
    )
    assert scan.event == "scan" and scan.dedup_key == "evt:o1:9:scan:101"


def test_speech_text_for_guide_devices() -> None:
    speech = to_speech(
        "**Tickets**:\n- Adult: ¥80 🎫\n- Hours: 08:30–17:30\nSource: https://x.cn/p.html (checked)",
        "en",
    )
    assert speech == "Tickets: Adult: 80 yuan. Hours: 8:30 to 17:30. Source: (checked)."
    assert (
        to_speech("门票：￥80，开放时间 08:30-17:30", "zh") == "门票：80元，开放时间 8:30至17:30。"
    )
    assert "с 8:30 до 17:30" in to_speech("Часы: 08:30–17:30", "ru")


def test_source_lines_do_not_end_on_a_dangling_colon() -> None:
    assert to_speech("Per x.com (checked on 1 May 2026): https://x.com/p", "en") == (
        "Per x.com (checked on 1 May 2026)."
    )
    assert to_speech("电话：0833-2302048", "zh") == "电话：0833-2302048。"  # phone digits kept
