"""Fresher partner data wins over the curated ticket fact in ``/api/kb/resolve``, and is named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from knowledge_base.answers import render_answer
from knowledge_base.schema import Entry
from knowledge_base.store import load_entries
from platform_api.kb_resolve import with_live_data
from tests.platform_api.conftest import FakeRetriever

pytest.importorskip("platform_api.partners.live", reason="partner integration not present")
from platform_api.bookings.localtime import local_today  # noqa: E402
from platform_api.partners.models import SOURCE_DEMO, SOURCE_PARTNER, TimeSlot, Venue  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[3] / "knowledge_base" / "fixtures" / "entries"
PARK = "cliff-buddha-park"


@pytest.fixture
def park(use_retriever: Callable[[object], None]) -> Entry:
    entry = load_entries(FIXTURES)[PARK]
    use_retriever(FakeRetriever([entry]))
    return entry


def _push(app: FastAPI, *, age: dt.timedelta, source: str = SOURCE_PARTNER) -> None:
    now = dt.datetime.now(dt.UTC)
    with app.state.session_factory() as session:
        session.add(Venue(id=PARK, kind="attraction", name="Cliff Buddha Park", source=source))
        session.add(
            TimeSlot(
                venue_id=PARK,
                day=local_today(now),
                start="09:00",
                end="12:00",
                capacity=100,
                prices={"adult": 9500, "child": 4000},
                source=source,
                updated_at=now - age,
            )
        )
        session.commit()


def _resolved(client: TestClient) -> Entry:
    response = client.post(
        "/api/kb/resolve",
        json={
            "text": "tickets?",
            "lang": "en",
            "entities": [{"entity": "attraction", "value": PARK}],
        },
    )
    assert response.status_code == 200, response.text
    entry: dict[str, Any] = response.json()["results"][0]["entry"]
    return Entry.model_validate(entry)


@pytest.mark.usefixtures("park")
def test_fresh_partner_prices_win_and_the_answer_names_the_system(
    client: TestClient, app: FastAPI
) -> None:
    _push(app, age=dt.timedelta(minutes=5))
    entry = _resolved(client)

    assert entry.ticket.live is not None and not entry.ticket.live.stale
    assert entry.ticket.value is not None
    assert {(p.category, p.amount) for p in entry.ticket.value.prices} == {
        ("adult", 95.0),
        ("child", 40.0),
    }
    answer = render_answer(entry, "ticket", "en")
    assert "95 yuan" in answer and "169" not in answer
    assert "Source: the booking system of Cliff Buddha Park (live data" in answer
    assert "https://park.example.cn" not in answer  # the curated source no longer applies


@pytest.mark.usefixtures("park")
def test_stale_partner_prices_leave_the_curated_fact(client: TestClient, app: FastAPI) -> None:
    _push(app, age=dt.timedelta(days=2))
    entry = _resolved(client)
    assert entry.ticket.live is None
    assert str(entry.ticket.source).startswith("https://park.example.cn/")


@pytest.mark.usefixtures("park")
def test_sandbox_demo_prices_are_never_presented(client: TestClient, app: FastAPI) -> None:
    _push(app, age=dt.timedelta(minutes=1), source=SOURCE_DEMO)
    assert _resolved(client).ticket.live is None


@pytest.mark.usefixtures("park")
def test_without_partner_data_the_curated_fact_stands(client: TestClient) -> None:
    entry = _resolved(client)
    assert entry == load_entries(FIXTURES)[PARK]


def test_partner_data_older_than_the_curated_source_does_not_win() -> None:
    park = load_entries(FIXTURES)[PARK]  # ticket published 2025-07
    old = {
        "prices": {
            "amount_fen": {"adult": 100},
            "observed_at": "2025-01-01T08:00:00+00:00",
            "stale": False,
            "demo": False,
        }
    }
    assert with_live_data(park, old) is park
    assert with_live_data(park, None) is park
    assert with_live_data(park, {"prices": None}) is park
