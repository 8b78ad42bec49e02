"""Payment-provider faults: the provider down or too slow when a tourist confirms, a "paid"
notification that never comes, a refund that times out on cancellation.

The real platform app and the real standalone sandbox provider
(:mod:`platform_api.payments.provider_server`) each run on a loopback port (uvicorn threads); the
booking actions talk to the platform through the action server's client, the platform to the
provider through :class:`~platform_api.payments.remote.RemoteProvider` over HTTP, the provider
back to the platform with signed notifications. Only the provider misbehaves, through its
fault switch. Each test states what the tourist is told (the domain response, rendered in their
language), that the conversation goes on, and counts bookings, payments and refunds.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from fastapi import FastAPI
from sqlalchemy import func, select

from actions.bookings.manage import (
    ActionCancelBooking,
    ActionStartBookingCancel,
    ValidateBookingCancelForm,
)
from actions.bookings.ticket_form import ActionSubmitTicketBooking, ValidateTicketBookingForm
from actions.clients.platform_api import PlatformApiClient
from platform_api.bookings.config import BookingSettings
from platform_api.bookings.models import Booking
from platform_api.core.config import Settings
from platform_api.core.db import create_all
from platform_api.main import create_app
from platform_api.payments.config import PaymentSettings
from platform_api.payments.models import Payment, PaymentRefund, SandboxOrder
from platform_api.payments.provider_server import Faults, create_provider_app
from platform_api.payments.sweep import payments_sweep
from tests.actions.bookings.kit import (
    BOT_TOKEN,
    PARTNER_KEY,
    SANDBOX_SECRET,
    STAFF_TOKEN,
    VENUE,
    Conversation,
    cn_id,
    push_slots,
    responses,
    visit_day,
)
from tests.actions.bookings.test_ticket_flow import ask_actions, book_until_summary

pytestmark = [pytest.mark.faults]

ROOT = Path(__file__).resolve().parents[3]
PROVIDER_TIMEOUT_S = 1.0
HANG_S = 2.5
FIRST = {
    "en": ("1 ticket Dujiangyan tomorrow", "Zhang Wei {id}", "yes"),
    "zh": ("明天都江堰一张票", "张伟 {id}", "是"),
    "ja": ("明日の都江堰のチケットを1枚予約したい", "張偉 {id}", "はい"),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    """An ASGI app served by uvicorn on a loopback port, in a thread."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Stack:
    platform: FastAPI
    provider: FastAPI
    platform_url: str
    provider_url: str

    @property
    def faults(self) -> Faults:
        faults: Faults = self.provider.state.faults
        return faults

    def count(self, model: Any, *where: Any, provider_side: bool = False) -> int:
        """Rows of ``model`` in the platform's (or the provider's) database."""
        from sqlalchemy.orm import Session

        engine = self.provider.state.engine if provider_side else self.platform.state.engine
        with Session(engine) as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    def sweep(self) -> tuple[int, int]:
        """One payments sweep round (reconciliation, owed refunds) as the platform runs it."""
        return payments_sweep(self.platform)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The platform and the sandbox provider, each on its own loopback port."""
    platform_port, provider_port = _free_port(), _free_port()
    platform_url = f"http://127.0.0.1:{platform_port}"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'platform.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
        partner_keys=f"{VENUE}:{PARTNER_KEY}",
        payment_sandbox_secret=SANDBOX_SECRET,
        public_base_url=platform_url,
        rate_limit_enabled=False,
    )
    platform = create_app(settings)
    create_all(platform.state.engine)
    platform.state.booking_settings = BookingSettings(_env_file=None, sweep_seconds=0)  # type: ignore[call-arg]
    platform.state.payment_settings = PaymentSettings(
        _env_file=None,  # type: ignore[call-arg]
        provider_url=f"http://127.0.0.1:{provider_port}",
        provider_timeout_seconds=PROVIDER_TIMEOUT_S,
        reconcile_after_seconds=0,
    )
    provider = create_provider_app(
        SANDBOX_SECRET.encode(),
        platform_url,
        f"sqlite:///{tmp_path / 'provider.db'}",
        faults=Faults(hang_seconds=HANG_S),
    )
    with Served(provider, provider_port) as served_provider, Served(platform, platform_port):
        yield Stack(platform, provider, platform_url, served_provider.url)
    platform.state.engine.dispose()


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[PlatformApiClient]:
    client = PlatformApiClient(stack.platform_url, bot_token=BOT_TOKEN, timeout_s=5.0)
    yield client
    await client.aclose()


@pytest.fixture
async def http(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.platform_url, timeout=10) as client:
        yield client


@lru_cache(maxsize=1)
def _responses() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "bot/domain/responses.yml").read_text(encoding="utf-8"))
    return dict(data["responses"])


def seen(message: dict[str, Any], language: str) -> str:
    """The text the tourist reads: the domain response's variant for ``language``, filled in."""
    for variant in _responses()[str(message["response"])]:
        conditions = variant.get("condition") or []
        if any(
            c.get("name") == "language_locked" and c.get("value") == language for c in conditions
        ):
            text = str(variant["text"])
            for key, value in message.items():
                text = text.replace("{" + key + "}", str(value))
            return text
    raise AssertionError(f"{message['response']} has no {language} text")


async def _remaining(http: httpx.AsyncClient) -> dict[str, int]:
    answer = await http.get(
        f"/api/venues/{VENUE}/slots",
        params={"date": visit_day().isoformat()},
        headers={"Authorization": f"Bearer {BOT_TOKEN}"},
    )
    return {s["start"]: s["remaining"] for s in answer.json()["slots"]}


async def _confirm(
    conv: Conversation, api: PlatformApiClient, n: int, timing: list[float] | None = None
) -> list[dict[str, Any]]:
    """The tourist books one ticket from the first message to "yes"; what the submit says
    (``timing`` gets the seconds the submit turn took)."""
    first, visitor, yes = FIRST[conv.language]
    conv.form = None
    await book_until_summary(conv, api, first, [visitor.format(id=cn_id(n))])
    await conv.answer(yes, ValidateTicketBookingForm(api), intent="affirm")
    assert await conv.ask(ask_actions(api)) is None
    started = time.monotonic()
    said = await conv.run(ActionSubmitTicketBooking(api))
    if timing is not None:
        timing.append(time.monotonic() - started)
    return said


async def _pay_at_provider(url: str) -> int:
    """The tourist presses "pay" on the provider's page (the link from the chat)."""
    async with httpx.AsyncClient(timeout=10) as browser:
        page = await browser.get(url)
        assert page.status_code == 200 and "id='pay'" in page.text
        paid = await browser.post(url)
        return paid.status_code


CONFIRM_CASES = [("en", "error"), ("zh", "hang"), ("ja", "error"), ("ja", "hang")]


@pytest.mark.parametrize(("language", "mode"), CONFIRM_CASES)
async def test_provider_down_when_the_tourist_confirms(
    stack: Stack, api: PlatformApiClient, http: httpx.AsyncClient, language: str, mode: str
) -> None:
    """Provider answering 503 (``error``) or not within the timeout (``hang``) at "yes": the
    tourist is told, in their language, that nothing was booked and to try again; no hold is
    kept (the places are free); the retry a moment later books once and the payment confirms it."""
    await push_slots(http, visit_day(), capacity=5)
    before = await _remaining(http)
    conv = Conversation(language=language, sender=f"pay-fault-{language}-{mode}")

    stack.faults.mode = mode
    timing: list[float] = []
    said = await _confirm(conv, api, 61, timing)
    assert responses(said) == ["utter_booking_platform_down"]
    text = seen(said[0], language)
    assert "Traceback" not in text and "payment_unavailable" not in text
    expected = {"en": "Nothing was booked", "zh": "没有预订", "ja": "予約"}[language]
    assert expected in text, text
    assert timing[0] < PROVIDER_TIMEOUT_S + 1.5  # bounded by the provider timeout, not the hang
    assert await _remaining(http) == before  # the hold was not kept
    assert stack.count(Booking) == 0
    if mode == "hang":  # the provider finished the order after the platform gave up
        await asyncio.sleep(HANG_S - PROVIDER_TIMEOUT_S + 0.5)
        assert stack.count(SandboxOrder, provider_side=True) == 1

    # the provider is back; the tourist tries again in the same conversation
    stack.faults.mode = "ok"
    said = await _confirm(conv, api, 61)
    assert responses(said) == ["utter_booking_held"]
    reference, pay_url = said[0]["reference"], said[0]["pay_url"]
    assert pay_url.startswith(stack.provider_url + "/pay/" + reference)
    assert reference in seen(said[0], language)
    assert await _remaining(http) == {**before, "09:00": before["09:00"] - 1}

    assert await _pay_at_provider(pay_url) == 200  # notified and acknowledged at once
    booking = (await api.get_booking(reference)) or {}
    assert booking["status"] == "confirmed"
    assert stack.count(Booking) == 1
    assert stack.count(Payment) == 1
    assert stack.count(SandboxOrder, SandboxOrder.status == "SUCCESS", provider_side=True) == 1


async def test_lost_notification_is_reconciled_once(
    stack: Stack, api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    """The provider takes the money but its notification never arrives: the tourist's booking
    still shows "held" (never a false "confirmed"); the sweep's order query confirms it, once,
    however often it runs, and a late duplicate notification changes nothing."""
    await push_slots(http, visit_day(), capacity=5)
    conv = Conversation(language="en", sender="lost-notification")
    said = await _confirm(conv, api, 62)
    reference, pay_url = said[0]["reference"], said[0]["pay_url"]

    stack.faults.drop_notifications = True
    assert await _pay_at_provider(pay_url) == 202
    assert ((await api.get_booking(reference)) or {})["status"] == "held"
    assert stack.count(Payment) == 0

    stack.faults.mode, stack.faults.endpoints = "error", frozenset({"query"})
    assert stack.sweep() == (0, 0)  # the provider cannot be asked: nothing guessed
    assert ((await api.get_booking(reference)) or {})["status"] == "held"

    stack.faults.mode = "ok"
    assert stack.sweep() == (1, 0)
    assert stack.sweep() == (0, 0)
    booking = (await api.get_booking(reference)) or {}
    assert booking["status"] == "confirmed"
    assert stack.count(Payment) == 1

    # the provider's redelivery finally gets through: absorbed, still one payment
    stack.faults.drop_notifications = False
    with stack.provider.state.engine.begin() as connection:
        connection.execute(
            SandboxOrder.__table__.update().values(next_notify_at=SandboxOrder.paid_at)  # type: ignore[attr-defined]
        )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if stack.count(
            SandboxOrder, SandboxOrder.notify_acknowledged.is_(True), provider_side=True
        ):
            break
        await asyncio.sleep(0.2)
    assert stack.count(SandboxOrder, SandboxOrder.notify_acknowledged.is_(True), provider_side=True)
    assert stack.count(Payment) == 1
    assert stack.count(PaymentRefund) == 0


@pytest.mark.parametrize("mode", ["hang", "error"])
async def test_refund_timing_out_on_cancellation(
    stack: Stack, api: PlatformApiClient, http: httpx.AsyncClient, mode: str
) -> None:
    """A paid booking is cancelled while the provider's refund call fails or times out: the
    cancellation is recorded and told to the tourist with the refund amount, the refund stays
    owed and is retried by the sweep until the provider accepts it, and is paid out once."""
    await push_slots(http, visit_day(), capacity=5)
    conv = Conversation(language="en", sender=f"refund-{mode}")
    said = await _confirm(conv, api, 63)
    reference, pay_url = said[0]["reference"], said[0]["pay_url"]
    assert await _pay_at_provider(pay_url) == 200

    stack.faults.mode, stack.faults.endpoints = mode, frozenset({"refund"})
    conv.form = None
    conv.user("please cancel my tickets", "cancel_booking")
    await conv.run(ActionStartBookingCancel(api))
    conv.form = "booking_cancel_form"
    assert await conv.ask(ask_actions(api)) == "cancel_confirmed"
    await conv.answer("yes", ValidateBookingCancelForm(api), intent="affirm")
    assert await conv.ask(ask_actions(api)) is None
    started = time.monotonic()
    said = await conv.run(ActionCancelBooking(api))
    assert time.monotonic() - started < PROVIDER_TIMEOUT_S + 3.0
    assert responses(said) == ["utter_booking_cancelled"]
    assert "CN¥80.00" in seen(said[0], "en")
    booking = (await api.get_booking(reference)) or {}
    assert booking["status"] == "cancelled" and booking["refund_fen"] == 8000
    assert stack.count(PaymentRefund, PaymentRefund.status == "pending") == 1
    if mode == "hang":  # the provider did refund after the platform gave up
        await asyncio.sleep(HANG_S - PROVIDER_TIMEOUT_S + 0.5)
        assert stack.count(SandboxOrder, SandboxOrder.refunded_fen == 8000, provider_side=True)

    assert stack.sweep() == (0, 0)  # not due yet (backoff): not sent again at once
    assert stack.faults.calls["refund"] == 1
    stack.faults.mode = "ok"
    with stack.platform.state.engine.begin() as connection:  # time passes: the retry is due
        connection.execute(
            PaymentRefund.__table__.update().values(next_attempt_at=PaymentRefund.created_at)  # type: ignore[attr-defined]
        )
    assert stack.sweep() == (0, 1)
    assert stack.sweep() == (0, 0)
    assert stack.count(PaymentRefund, PaymentRefund.status == "done") == 1
    # paid out exactly once at the provider, whatever the number of attempts
    assert stack.count(SandboxOrder, SandboxOrder.refunded_fen == 8000, provider_side=True) == 1
    assert stack.faults.calls["refund"] == 2
    # the conversation goes on: the tourist checks the booking
    assert ((await api.get_booking(reference)) or {})["status"] == "cancelled"


# -- through Rasa: the stack as `make run` starts it, its platform talking to the provider -------

E2E_SCRIPTS = {
    "en": {
        "start": "I'd like to book tickets for Dujiangyan tomorrow",
        "tickets": "1 adult",
        "visitor": "Mary Brown, ID {id}",
        "phone": "13835180671",
        "yes": "yes",
        "check": "check my booking",
        "down": "Nothing was booked",
        "held": "Pay here",
        "confirmed": "paid and confirmed",
    },
    "zh": {
        "start": "我想订明天都江堰的门票",
        "tickets": "一个大人",
        "visitor": "张伟 {id}",
        "phone": "13835180672",
        "yes": "是",
        "check": "帮我查一下订单",
        "down": "没有预订",
        "held": "支付链接",
        "confirmed": "已支付并确认",
    },
}
E2E_PARTNER_KEY = "e2e-faults-partner-key-dujiangyan-01"  # the test venue's partner (test slots)


def _say(rasa: str, sender: str, message: str) -> str:
    answer = httpx.post(
        f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    answer.raise_for_status()
    return "\n".join(m.get("text", "") for m in answer.json())


def _rows(database: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


@pytest.fixture(scope="module")
def rasa_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, FastAPI]]:
    """`scripts/run_all.sh` on free ports with ``PLATFORM_PAYMENT_PROVIDER_URL`` set, and the
    sandbox provider (same secret) on its own loopback port."""
    from tests.e2e.conftest import running_stack

    var = tmp_path_factory.mktemp("e2e-payment-faults")
    ports = {name: str(_free_port()) for name in ("RASA_PORT", "ACTIONS_PORT", "PLATFORM_PORT")}
    provider_port = _free_port()
    secret = "e2e-payment-faults-" + "k" * 32
    provider = create_provider_app(
        secret.encode(),
        f"http://127.0.0.1:{ports['PLATFORM_PORT']}",
        f"sqlite:///{var / 'provider.db'}",
        faults=Faults(hang_seconds=HANG_S),
    )
    with (
        Served(provider, provider_port),
        running_stack(
            var,
            **ports,
            PLATFORM_PARTNER_KEYS=f"{VENUE}:{E2E_PARTNER_KEY}",
            PLATFORM_PAYMENT_SANDBOX_SECRET=secret,
            PLATFORM_PAYMENT_PROVIDER_URL=f"http://127.0.0.1:{provider_port}",
            PLATFORM_PAYMENT_PROVIDER_TIMEOUT_SECONDS=str(PROVIDER_TIMEOUT_S),
        ) as started,
    ):
        day = visit_day().isoformat()
        pushed = httpx.put(
            f"{started.platform}/api/partners/venues/{VENUE}/slots/{day}",
            json={
                "slots": [
                    {
                        "start": "09:00",
                        "end": "10:00",
                        "capacity": 10,
                        "prices": [{"category": "adult", "amount_fen": 8000}],
                    }
                ]
            },
            headers={"X-Partner-Key": E2E_PARTNER_KEY},
            timeout=30,
        )
        assert pushed.status_code == 200, pushed.text
        yield started, provider


def _up_to_summary(rasa: str, sender: str, script: dict[str, str], n: int) -> None:
    offer = _say(rasa, sender, script["start"])
    assert "09:00" in offer, offer
    _say(rasa, sender, "1")
    _say(rasa, sender, script["tickets"])
    _say(rasa, sender, script["visitor"].format(id=cn_id(n)))
    summary = _say(rasa, sender, script["phone"])
    assert script["phone"][-4:] in summary, summary


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize(("language", "mode"), [("en", "error"), ("zh", "hang")])
def test_provider_down_in_a_rasa_conversation(
    rasa_stack: tuple[Any, FastAPI], language: str, mode: str
) -> None:
    """Over Rasa's REST channel: the provider fails at "yes"; the tourist reads that nothing was
    booked (their language, no error text); the same conversation books again once the provider
    is back, pays on the provider's page, and sees the booking confirmed. One booking, one payment."""
    started, provider = rasa_stack
    faults: Faults = provider.state.faults
    script = E2E_SCRIPTS[language]
    sender = f"e2e-payment-fault-{language}"
    database = started.log_dir / "platform.db"
    bookings_before, payments_before = _rows(database, "booking"), _rows(database, "payment")

    _up_to_summary(started.rasa, sender, script, 320 + len(language))
    faults.mode = mode
    try:
        told = _say(started.rasa, sender, script["yes"])
    finally:
        faults.mode = "ok"
    assert script["down"] in told, told
    assert "Traceback" not in told and "payment_unavailable" not in told and "503" not in told
    assert _rows(database, "booking") == bookings_before

    _up_to_summary(started.rasa, sender, script, 320 + len(language))
    held = _say(started.rasa, sender, script["yes"])
    assert script["held"] in held, held
    link = re.search(r"http://127\.0\.0\.1:\d+/pay/\S+?t=[0-9a-f]+", held)
    assert link, held
    with httpx.Client(timeout=10) as browser:
        assert browser.post(link.group()).status_code == 200
    assert script["confirmed"] in _say(started.rasa, sender, script["check"])
    assert _rows(database, "booking") == bookings_before + 1
    assert _rows(database, "payment") == payments_before + 1
