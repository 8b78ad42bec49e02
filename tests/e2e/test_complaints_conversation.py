"""Complaints and the hand-off over the REST channel, against the running stack (issue 10).

The stack is started once for this module, as `make run` starts it, with a first supervisor from
``PLATFORM_STAFF_ADMIN_USER`` / ``PLATFORM_STAFF_ADMIN_PASSWORD`` and staff on duty around the
clock (``PLATFORM_OFFICE_HOURS`` / ``PLATFORM_OFFICE_WEEKDAYS``) so the hand-off is live whenever
the test runs. A complaint is filed in Japanese and one in Chinese; both appear in the staff API
with their language, staff reply, and each tourist reads the reply in conversation (at the next
turn, and through the status check). Then a hand-off round trip: the tourist asks for a person,
their message reaches the console, the staff message reaches them, "hand back" resumes the bot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Stack, running_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PORTS = {"RASA_PORT": "15105", "ACTIONS_PORT": "15155", "PLATFORM_PORT": "18100"}
ADMIN_USER = "e2e.supervisor"
ADMIN_PASSWORD = "Sichuan-Peppercorn-Teahouse-7781"
PHONE = "138 0013 8000"
CASE_REFERENCE = re.compile(r"TS-\d{8}-\d{4,}")
ESCALATION_REFERENCE = re.compile(r"ESC-\d{8}-\d{4,}")


@pytest.fixture(scope="module")
def case_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("e2e-complaints"),
        **PORTS,
        PLATFORM_STAFF_ADMIN_USER=ADMIN_USER,
        PLATFORM_STAFF_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PLATFORM_OFFICE_HOURS="00:00-23:59",
        PLATFORM_OFFICE_WEEKDAYS="mon,tue,wed,thu,fri,sat,sun",
    ) as started:
        yield started


class Tourist:
    """One conversation over the REST channel."""

    def __init__(self, stack: Stack, sender: str) -> None:
        self.url = f"{stack.rasa}/webhooks/rest/webhook"
        self.sender = sender

    def say(self, text: str) -> list[dict[str, Any]]:
        answer = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        answer.raise_for_status()
        messages: list[dict[str, Any]] = answer.json()
        return messages

    def text(self, text: str) -> str:
        return "\n".join(str(m.get("text") or "") for m in self.say(text))


class Staff:
    """The staff API with a supervisor's bearer token."""

    def __init__(self, stack: Stack) -> None:
        self.base = stack.platform
        login = httpx.post(
            f"{self.base}/api/staff/login",
            json={"username": ADMIN_USER, "password": ADMIN_PASSWORD},
            timeout=30,
        )
        assert login.status_code == 200, login.text
        self.headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    def get(self, path: str) -> Any:
        answer = httpx.get(f"{self.base}{path}", headers=self.headers, timeout=30)
        assert answer.status_code == 200, (path, answer.status_code)
        return answer.json()

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        answer = httpx.post(f"{self.base}{path}", json=body or {}, headers=self.headers, timeout=30)
        assert answer.status_code in (200, 201), (path, answer.status_code, answer.text)
        return answer.json()


def file_complaint(tourist: Tourist, steps: list[tuple[str, str]]) -> tuple[str, str]:
    """Says each message and checks the reply contains the marker; the case reference and the
    last reply."""
    reply = ""
    for message, marker in steps:
        reply = tourist.text(message)
        assert marker in reply, (message, reply)
    found = CASE_REFERENCE.search(reply)
    assert found, reply
    return found.group(0), reply


JAPANESE = [
    ("苦情を登録したいです", "1. 不当な料金請求"),
    ("1", "どこで"),
    ("錦里の土産物屋", "いつ"),
    ("昨日", "何元"),
    ("300元", "何があった"),
    ("お茶を買ったら、値札の3倍の値段を請求されました", "電話番号"),
    (PHONE, "+86 138****8000"),
    ("はい", "苦情を登録しました"),
]
CHINESE = [
    ("我想登记一个投诉", "1. 乱收费"),
    ("2", "发生在哪里"),
    ("某旅行社的一日游", "什么时候"),
    ("2026-12-01", "金额"),
    ("没有", "发生了什么"),
    ("导游带我们去玉器店待了三个小时，不买不让走", "电话"),
    (PHONE, "请核对"),
    ("是", "投诉已登记"),
]


def test_complaints_in_japanese_and_chinese_reach_staff_and_their_replies_reach_the_tourists(
    case_stack: Stack,
) -> None:
    ja_tourist = Tourist(case_stack, "e2e-ja-tourist")
    zh_tourist = Tourist(case_stack, "e2e-zh-tourist")
    ja_reference, ja_filed = file_complaint(ja_tourist, JAPANESE)
    zh_reference, zh_filed = file_complaint(zh_tourist, CHINESE)
    assert "中国時間" in ja_filed and "北京时间" in zh_filed  # the promised response time

    staff = Staff(case_stack)
    body = staff.get("/api/staff/complaints")
    rows = body["data"] if isinstance(body, dict) else body  # a list (or a page of one)
    listed = {row["reference"]: row for row in rows}
    assert listed[ja_reference]["language"] == "ja"
    assert listed[zh_reference]["language"] == "zh"
    staff.post(f"/api/staff/complaints/{ja_reference}/replies", {"text": "お店に確認しています。"})
    staff.post(f"/api/staff/complaints/{zh_reference}/replies", {"text": "已联系旅行社核实。"})

    # the next turn carries the reply (REST: no push), then the status check shows it too
    reply = ja_tourist.text(f"受付番号{ja_reference}の状況")
    assert "お店に確認しています。" in reply
    assert ja_reference in reply
    reply = ja_tourist.text(PHONE)
    assert "対応中" in reply and "お店に確認しています。" in reply, reply

    reply = zh_tourist.text(f"查一下投诉 {zh_reference}")
    assert "已联系旅行社核实。" in reply
    reply = zh_tourist.text(PHONE)
    assert "正在处理中" in reply and "已联系旅行社核实。" in reply, reply


def test_nobody_reads_another_tourists_case_in_conversation(case_stack: Stack) -> None:
    owner = Tourist(case_stack, "e2e-owner")
    reference, _ = file_complaint(owner, JAPANESE)
    other = Tourist(case_stack, "e2e-other")
    other.text(f"受付番号{reference}の状況")
    reply = other.text("139 0013 9000")
    assert "見つかりませんでした" in reply and "お茶" not in reply


def test_cancel_leaves_the_form_and_files_nothing(case_stack: Stack) -> None:
    tourist = Tourist(case_stack, "e2e-cancel")
    assert "1." in tourist.text("I want to lodge a complaint")
    tourist.text("1")
    reply = tourist.text("cancel")
    assert "Nothing was filed" in reply
    assert "weather" not in reply.lower()


def test_handoff_round_trip(case_stack: Stack) -> None:
    tourist = Tourist(case_stack, "e2e-handoff")
    tourist.text("九寨沟门票多少钱")
    reply = tourist.text("我要人工")
    found = ESCALATION_REFERENCE.search(reply)
    assert found and "转回机器人" in reply, reply
    reference = found.group(0)

    assert tourist.say("出租车司机绕路了，多收了我100块") == []  # to staff, not to the bot
    staff = Staff(case_stack)
    detail = staff.get(f"/api/staff/escalations/{reference}")
    assert "出租车司机绕路了" in str(detail) and "九寨沟门票多少钱" in str(detail)
    assert "zh" in str(detail)
    staff.post(f"/api/staff/escalations/{reference}/messages", {"text": "请告诉我车牌号。"})

    assert tourist.text("川A12345") == "工作人员：请告诉我车牌号。"
    reply = tourist.text("转回机器人")
    assert "已回到智能助手" in reply, reply
    reply = tourist.text("九寨沟门票多少钱")
    assert "九寨沟" in reply and "工作人员" not in reply
