"""A bounded load run of mixed conversations over Rasa's REST channel, then a reconciliation.

Replays, with ``clients`` concurrent tourists, a mix of whole conversations:

* knowledge questions and follow-ups in the eight languages;
* ticket bookings (offer → slot → tickets → visitors → phone → confirm), paid through the sandbox
  provider's signed notification, then checked in conversation;
* complaints (category → place → date → amount → what happened → phone → confirm), then the status
  checked through the platform's tourist route.

Every loop is bounded in conversations and in time; only 127.0.0.1 is contacted. Afterwards the
platform's database is reconciled with what the clients saw: every booking and complaint reference a
client received exists exactly once, no booking or complaint exists that no client saw, every paid
booking is confirmed, and each slot's reserved count equals the places its live bookings hold.
Used by ``tests/e2e/test_load.py`` (``-m load``) and runnable against any running stack.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
from sqlalchemy import create_engine, text
from stdnum.cn import ric

BOOKING_REFERENCE = re.compile(r"\bBK-\d{8}-\d+")
COMPLAINT_REFERENCE = re.compile(r"\bTS-\d{8}-\d+")
UNAVAILABLE_MARKERS = ("系统暂时出了点问题", "temporary technical problem", "一時的な技術的問題")
KNOWLEDGE = {
    "zh": ("九寨沟门票多少钱", "几点开门？"),
    "en": ("How much is the Leshan Giant Buddha ticket?", "and the opening hours?"),
    "ja": ("九寨溝の入場料はいくらですか？", "開園時間は？"),
    "ko": ("주자이거우 입장료가 얼마예요?", "운영 시간은요?"),
    "fr": ("Combien coûte le billet pour Jiuzhaigou ?", "Et les horaires ?"),
    "de": ("Wie viel kostet der Eintritt für Jiuzhaigou?", "Und die Öffnungszeiten?"),
    "es": ("¿Cuánto cuesta la entrada a Jiuzhaigou?", "¿Y el horario?"),
    "ru": ("Сколько стоит билет в Цзючжайгоу?", "А часы работы?"),
}


@dataclass(frozen=True)
class Target:
    """The running stack under load."""

    rasa: str
    platform: str
    bot_token: str
    payment_secret: str
    database_url: str
    venue_id: str


@dataclass
class Outcome:
    """What the clients saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    conversations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    bookings: dict[str, str] = field(default_factory=dict)
    """reference → status the tourist was last told (held, confirmed)."""
    complaints: set[str] = field(default_factory=set)

    def error(self, step: str) -> None:
        self.errors[step] += 1


class TurnFailed(Exception):
    """A step's reply was missing, an error, or not what the conversation needs."""


async def say(
    client: httpx.AsyncClient, target: Target, out: Outcome, step: str, sender: str, message: str
) -> str:
    """One turn; its latency is recorded under ``step``; the reply's texts joined."""
    started = time.perf_counter()
    try:
        reply = await client.post(
            f"{target.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}
        )
    except httpx.HTTPError as error:
        raise TurnFailed(f"{step}: {type(error).__name__}") from None
    out.latencies[step].append((time.perf_counter() - started) * 1000)
    if reply.status_code != 200:
        raise TurnFailed(f"{step}: HTTP {reply.status_code}")
    texts = "\n".join(m.get("text", "") or "" for m in reply.json())
    if not texts.strip() or any(marker in texts for marker in UNAVAILABLE_MARKERS):
        raise TurnFailed(f"{step}: empty or unavailable")
    return texts


async def knowledge(client: httpx.AsyncClient, target: Target, out: Outcome, n: int) -> None:
    """A question and a follow-up in one of the eight languages."""
    lang = list(KNOWLEDGE)[n % len(KNOWLEDGE)]
    sender = f"load-kb-{uuid.uuid4().hex[:10]}"
    question, follow_up = KNOWLEDGE[lang]
    await say(client, target, out, "knowledge.question", sender, question)
    await say(client, target, out, "knowledge.follow_up", sender, follow_up)


def mainland_id(n: int) -> str:
    """A checksum-valid test resident ID number (born 1990-01-01, Chengdu Jinjiang)."""
    body = f"51010419900101{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18 digits


async def booking(client: httpx.AsyncClient, target: Target, out: Outcome, n: int) -> None:
    """Book one adult ticket tomorrow, pay through the sandbox, check it in conversation."""
    sender = f"load-bk-{uuid.uuid4().hex[:10]}"
    english = n % 2 == 0
    script = (
        ["I'd like to book tickets for Dujiangyan tomorrow", "1", "1 adult",
         f"Load Tester {n}, passport E{10000000 + n}", "13835180661", "yes"]
        if english
        else ["我想订明天都江堰的门票", "1", "一个大人", f"测试{n} 身份证 {mainland_id(n)}", "13835180662", "是"]
    )  # fmt: skip
    reply = ""
    for i, message in enumerate(script):
        reply = await say(client, target, out, f"booking.{i + 1}", sender, message)
    found = BOOKING_REFERENCE.search(reply)
    if not found:
        raise TurnFailed("booking: no reference after confirming")
    reference = found.group()
    out.bookings[reference] = "held"
    await pay(client, target, reference)
    status = await say(
        client,
        target,
        out,
        "booking.check",
        sender,
        "check my booking" if english else "帮我查一下订单",
    )
    if reference not in status:
        raise TurnFailed("booking.check: reference missing")
    out.bookings[reference] = "confirmed"


async def pay(client: httpx.AsyncClient, target: Target, reference: str) -> None:
    """The sandbox provider's signed notification for ``reference`` (its real amount)."""
    headers = {"Authorization": f"Bearer {target.bot_token}"}
    booking_json = (
        await client.get(f"{target.platform}/api/bookings/{reference}", headers=headers)
    ).json()
    raw = json.dumps(
        {
            "reference": reference,
            "amount_fen": booking_json["amount_fen"],
            "transaction_id": f"TX-LOAD-{reference}",
            "paid_at": dt.datetime.now(dt.UTC).isoformat(),
        }
    ).encode()
    signature = hmac.new(target.payment_secret.encode(), raw, hashlib.sha256).hexdigest()
    response = await client.post(
        f"{target.platform}/api/payments/sandbox/notify",
        content=raw,
        headers={"Content-Type": "application/json", "X-Sandbox-Signature": signature},
    )
    if response.status_code >= 300:
        raise TurnFailed(f"payment: HTTP {response.status_code}")


async def complaint(client: httpx.AsyncClient, target: Target, out: Outcome, n: int) -> None:
    """File a complaint in conversation, then read its status as the tourist would."""
    sender = f"load-ts-{uuid.uuid4().hex[:10]}"
    phone = f"1383518{n % 10000:04d}"
    english = n % 2 == 1
    script = (
        ["I want to file a complaint", "1", "a tea house in Jinli", "yesterday", "200 yuan",
         "They charged 200 yuan for a pot of tea priced at 50 on the menu.", phone, "yes"]
        if english
        else ["我要投诉", "1", "锦里的一家茶馆", "昨天", "200元", "菜单上50元的茶收了我200元。", phone, "是"]
    )  # fmt: skip
    reply = ""
    for i, message in enumerate(script):
        reply = await say(client, target, out, f"complaint.{i + 1}", sender, message)
    found = COMPLAINT_REFERENCE.search(reply)
    if not found:
        raise TurnFailed("complaint: no reference after confirming")
    reference = found.group()
    out.complaints.add(reference)
    started = time.perf_counter()
    status = await client.get(
        f"{target.platform}/api/complaints/{reference}",
        params={"phone": phone},
        headers={"Authorization": f"Bearer {target.bot_token}"},
    )
    out.latencies["complaint.status"].append((time.perf_counter() - started) * 1000)
    if status.status_code != 200 or status.json().get("reference") != reference:
        raise TurnFailed("complaint.status: not readable by its phone")


Conversation = Callable[[httpx.AsyncClient, Target, Outcome, int], Awaitable[None]]
MIX: tuple[tuple[str, Conversation], ...] = (
    ("knowledge", knowledge),
    ("knowledge", knowledge),
    ("booking", booking),
    ("knowledge", knowledge),
    ("complaint", complaint),
)


async def run_load(
    target: Target, *, clients: int, conversations: int, deadline_s: float
) -> tuple[Outcome, float]:
    """``conversations`` from :data:`MIX` shared by ``clients``; stops at ``deadline_s``."""
    out = Outcome()
    queue: asyncio.Queue[tuple[int, str, Conversation]] = asyncio.Queue()
    for n in range(conversations):
        kind, conversation = MIX[n % len(MIX)]
        queue.put_nowait((n, kind, conversation))
    deadline = time.monotonic() + deadline_s

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty() and time.monotonic() < deadline:
            n, kind, conversation = queue.get_nowait()
            try:
                await conversation(client, target, out, n)
                out.conversations[kind] += 1
            except TurnFailed as failure:
                out.error(str(failure).split(":")[0])

    limits = httpx.Limits(max_connections=clients * 2, max_keepalive_connections=clients * 2)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        seconds = time.perf_counter() - started
    if not queue.empty():
        out.errors["not_started_before_deadline"] += queue.qsize()
    return out, seconds


def reconcile(target: Target, out: Outcome) -> list[str]:
    """Differences between the database and what the clients saw (empty: all accounted for)."""
    problems: list[str] = []
    engine = create_engine(target.database_url)
    with engine.connect() as db:
        rows = db.execute(text("SELECT reference, status, slot_id, quantity FROM booking")).all()
        seen: dict[str, int] = defaultdict(int)
        for reference, *_ in rows:
            seen[reference] += 1
        for reference, told in out.bookings.items():
            if seen.get(reference, 0) != 1:
                problems.append(f"booking {reference} stored {seen.get(reference, 0)} times")
            status = next((r[1] for r in rows if r[0] == reference), None)
            if told == "confirmed" and status != "confirmed":
                problems.append(f"booking {reference} paid but {status}")
        unseen = {r[0] for r in rows} - set(out.bookings)
        if unseen:
            problems.append(f"{len(unseen)} bookings no client saw: {sorted(unseen)[:3]}")
        reserved = db.execute(text("SELECT id, reserved FROM time_slot")).all()
        held: dict[int, int] = defaultdict(int)
        for _, status, slot_id, quantity in rows:
            if slot_id is not None and status in ("held", "confirmed"):
                held[slot_id] += quantity
        for slot_id, count in reserved:
            if count != held.get(slot_id, 0):
                problems.append(
                    f"slot {slot_id}: reserved {count}, live bookings hold {held.get(slot_id, 0)}"
                )
        complaints = [r[0] for r in db.execute(text("SELECT reference FROM complaint")).all()]
        for reference in out.complaints:
            if complaints.count(reference) != 1:
                problems.append(f"complaint {reference} stored {complaints.count(reference)} times")
        extra = set(complaints) - out.complaints
        if extra:
            problems.append(f"{len(extra)} complaints no client saw: {sorted(extra)[:3]}")
    engine.dispose()
    return problems


def report(out: Outcome, seconds: float) -> dict[str, Any]:
    """Throughput, p50/p95/p99 per step and errors."""
    steps = {}
    for step, values in sorted(out.latencies.items()):
        array = np.asarray(values)
        steps[step] = {
            "n": len(values),
            "p50_ms": round(float(np.percentile(array, 50)), 1),
            "p95_ms": round(float(np.percentile(array, 95)), 1),
            "p99_ms": round(float(np.percentile(array, 99)), 1),
        }
    turns = sum(len(v) for v in out.latencies.values())
    return {
        "seconds": round(seconds, 1),
        "conversations": dict(out.conversations),
        "turns_per_s": round(turns / seconds, 2) if seconds else None,
        "conversations_per_s": round(sum(out.conversations.values()) / seconds, 2)
        if seconds
        else None,
        "errors": dict(out.errors),
        "bookings_seen": len(out.bookings),
        "complaints_seen": len(out.complaints),
        "steps": steps,
    }


def table(figures: dict[str, Any]) -> str:
    """Human-readable per-step table."""
    lines = [f"{'step':<22}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
    for step, row in figures["steps"].items():
        lines.append(
            f"{step:<22}{row['n']:>6}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
        )
    lines.append(
        f"{figures['conversations']} in {figures['seconds']} s: {figures['turns_per_s']} turns/s, "
        f"errors {figures['errors'] or 0}"
    )
    return "\n".join(lines)
