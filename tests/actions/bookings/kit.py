"""The booking actions against the real platform app (in-process ASGI transport, throwaway SQLite),
and a small driver that runs a form the way Rasa's FormAction does: ask the first empty required
slot, read the answer with the form's validation action, stop when ``requested_slot`` is None.

Venues are knowledge-base ids; every slot, price and count is invented test data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from stdnum.cn import ric

from actions.bookings.common import today_in_china
from actions.clients.platform_api import PlatformApiClient
from platform_api.core.config import Settings
from platform_api.core.db import create_all
from platform_api.main import create_app

STAFF_TOKEN = "bookings-actions-staff-token"
BOT_TOKEN = "bookings-actions-bot-token"
SANDBOX_SECRET = "bookings-actions-sandbox-secret-0001"
VENUE = "dujiangyan"
PARTNER_KEY = "pk-bookings-actions-dujiangyan"
HOTEL = "hotel-test-riverside"
HOTEL_KEY = "pk-bookings-actions-hotel-riverside"
FORMS: dict[str, list[str]] = {
    "ticket_booking_form": [
        "attraction",
        "booking_date",
        "booking_slot",
        "booking_tickets",
        "booking_visitors_done",
        "booking_phone",
        "booking_confirmed",
    ],
    "hotel_booking_form": [
        "hotel_place",
        "hotel_check_in",
        "hotel_check_out",
        "hotel_guests",
        "hotel_choice",
        "hotel_guest",
        "booking_phone",
        "hotel_confirmed",
    ],
    "booking_lookup_form": ["booking_ref", "booking_check_phone"],
    "booking_cancel_form": ["booking_ref", "booking_check_phone", "cancel_confirmed"],
}


@pytest.fixture
def platform_app(tmp_path: Path) -> Iterator[FastAPI]:
    """The real platform app with a partner key and the sandbox secret."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'platform.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
        partner_keys=f"{VENUE}:{PARTNER_KEY},{HOTEL}:{HOTEL_KEY}",
        payment_sandbox_secret=SANDBOX_SECRET,
        public_base_url="http://platform.test",
        rate_limit_enabled=False,
    )
    app = create_app(settings)
    create_all(app.state.engine)
    yield app
    app.state.engine.dispose()


@pytest.fixture
async def http(platform_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A raw client of the platform (partner pushes, sandbox notifications, database checks)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=platform_app), base_url="http://platform.test"
    ) as client:
        yield client


@pytest.fixture
def api(platform_app: FastAPI) -> PlatformApiClient:
    """The action server's client, talking to the in-process platform."""
    return PlatformApiClient(
        "http://platform.test",
        transport=httpx.ASGITransport(app=platform_app),
        bot_token=BOT_TOKEN,
    )


def cn_id(sequence: int, birth: str = "19900307") -> str:
    """A valid mainland ID number of the test data (check digit by python-stdnum)."""
    body = f"110105{birth}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18


def visit_day() -> dt.date:
    """The day the test slots are for: tomorrow in China."""
    return today_in_china() + dt.timedelta(days=1)


async def push_slots(
    http: httpx.AsyncClient, day: dt.date, capacity: int = 5, second: int = 20
) -> None:
    """Two slots as the venue's partner: 09:00 (adult 80, child 40 CNY) and 14:00 (adult only)."""
    body = {
        "slots": [
            {
                "start": "09:00",
                "end": "10:00",
                "capacity": capacity,
                "prices": [
                    {"category": "adult", "amount_fen": 8000},
                    {"category": "child", "amount_fen": 4000},
                ],
            },
            {
                "start": "14:00",
                "end": "15:00",
                "capacity": second,
                "prices": [{"category": "adult", "amount_fen": 8000}],
            },
        ]
    }
    response = await http.put(
        f"/api/partners/venues/{VENUE}/slots/{day.isoformat()}",
        json=body,
        headers={"X-Partner-Key": PARTNER_KEY},
    )
    assert response.status_code == 200, response.text


async def pay(http: httpx.AsyncClient, reference: str, amount_fen: int) -> None:
    """The sandbox provider's signed notification that ``reference`` was paid."""
    raw = json.dumps(
        {
            "reference": reference,
            "amount_fen": amount_fen,
            "transaction_id": f"TX-{reference}",
            "paid_at": dt.datetime.now(dt.UTC).isoformat(),
        }
    ).encode()
    signature = hmac.new(SANDBOX_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    response = await http.post(
        "/api/payments/sandbox/notify",
        content=raw,
        headers={"Content-Type": "application/json", "X-Sandbox-Signature": signature},
    )
    assert response.status_code < 300, response.text


@dataclass
class Conversation:
    """Slots and messages of one conversation; runs actions and forms like Rasa would."""

    sender: str = "test-conversation-1"
    language: str = "en"
    slots: dict[str, Any] = field(default_factory=dict)
    said: list[dict[str, Any]] = field(default_factory=list)
    latest: dict[str, Any] = field(default_factory=dict)
    form: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def tracker(self) -> Tracker:
        return Tracker(
            self.sender,
            {"language": self.language, **self.slots},
            self.latest,
            list(self.events),
            False,
            None,
            {"name": self.form} if self.form else {},
            "action_listen",
        )

    async def run(self, action: Action) -> list[dict[str, Any]]:
        """Runs ``action`` on the current state; applies its slot events; returns what it said."""
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self.tracker(), {})
        self.events.append({"event": "action", "name": action.name(), "timestamp": time.time()})
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        self.said.extend(dispatcher.messages)
        return dispatcher.messages

    def user(
        self, text: str, intent: str = "", entities: list[dict[str, Any]] | None = None
    ) -> None:
        self.latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": entities or [],
            "language": self.language,
        }

    def next_slot(self) -> str | None:
        assert self.form
        return next((s for s in FORMS[self.form] if self.slots.get(s) is None), None)

    async def ask(self, actions: dict[str, Action]) -> str | None:
        """The form asks its next slot (custom ask action or the utter_ask response)."""
        slot = self.next_slot()
        self.slots["requested_slot"] = slot
        if slot is None:
            return None
        if f"action_ask_{slot}" in actions:
            await self.run(actions[f"action_ask_{slot}"])
        else:
            self.said.append({"response": f"utter_ask_{slot}"})
        return slot

    async def answer(self, text: str, validate: Action, intent: str = "") -> list[dict[str, Any]]:
        """The tourist answers the requested slot; the validation action reads it."""
        self.user(text, intent)
        return await self.run(validate)

    @property
    def ended(self) -> bool:
        return self.slots.get("requested_slot") is None and self.next_slot_or_end()

    def next_slot_or_end(self) -> bool:
        return self.slots.get("booking_outcome") is not None or self.next_slot() is None


def responses(messages: list[dict[str, Any]]) -> list[str]:
    """The response names of messages."""
    return [str(m.get("response") or m.get("text")) for m in messages]


def slot_set(name: str, value: Any) -> dict[str, Any]:
    return dict(SlotSet(name, value))
