"""``-m load``: a bounded mix of conversations against the running stack, then reconciliation.

Knowledge questions in eight languages, bookings paid through the sandbox and checked, complaints
filed and their status read, by several concurrent tourists; then every booking and complaint a
tourist was given exists exactly once in the database, no other exists, paid bookings are
confirmed and each slot's reserved count matches its live bookings. Bounded: 30 conversations,
6 clients, 300 s.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest

from scripts.load_run import Target, reconcile, report, run_load, table
from tests.e2e.conftest import E2E_PARTNER_KEYS, Stack

pytestmark = [pytest.mark.load, pytest.mark.e2e, pytest.mark.slow]
VENUE, PARTNER_KEY = E2E_PARTNER_KEYS.split(":", 1)


def test_mixed_conversations_under_load_lose_and_duplicate_nothing(stack: Stack) -> None:
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date() + dt.timedelta(days=1)
    pushed = httpx.put(
        f"{stack.platform}/api/partners/venues/{VENUE}/slots/{day.isoformat()}",
        json={
            "slots": [
                {
                    "start": "09:00",
                    "end": "10:00",
                    "capacity": 200,
                    "prices": [{"category": "adult", "amount_fen": 8000}],
                }
            ]
        },  # fmt: skip
        headers={"X-Partner-Key": PARTNER_KEY},
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    target = Target(
        rasa=stack.rasa,
        platform=stack.platform,
        bot_token=stack.secrets["PLATFORM_BOT_API_TOKEN"],
        payment_secret=stack.secrets["PLATFORM_PAYMENT_SANDBOX_SECRET"],
        database_url=f"sqlite:///{stack.log_dir / 'platform.db'}",
        venue_id=VENUE,
    )
    baseline = _counts(target)
    out, seconds = asyncio.run(run_load(target, clients=6, conversations=30, deadline_s=300))
    figures = report(out, seconds)
    print(table(figures))
    assert not out.errors, figures["errors"]
    assert figures["conversations"] == {"knowledge": 18, "booking": 6, "complaint": 6}
    problems = [
        p for p in reconcile(target, out) if "no client saw" not in p
    ]  # rows of earlier e2e tests are not this run's
    assert problems == []
    after = _counts(target)
    assert after["booking"] - baseline["booking"] == len(out.bookings) == 6
    assert after["complaint"] - baseline["complaint"] == len(out.complaints) == 6


def _counts(target: Target) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(target.database_url)
    with engine.connect() as db:
        counts = {
            table: int(db.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
            for table in ("booking", "complaint")
        }
    engine.dispose()
    return counts
