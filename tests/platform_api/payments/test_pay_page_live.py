"""The sandbox pay page against a real platform process: the notification travels over HTTP.

The platform runs as ``make run`` runs it (uvicorn subprocess on a free loopback port, temp SQLite,
``PLATFORM_PUBLIC_BASE_URL`` pointing at itself). One test presses "pay" with an HTTP client, the
other in headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scripts.bench_booking import free_port, push_slots, start_platform, wait_up
from tests.platform_api.bookings.kit import visitor

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    workdir: Path = tmp_path_factory.mktemp("pay-live")
    tokens = {n: secrets.token_urlsafe(24) for n in ("staff", "bot", "partner", "sandbox", "salt")}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_platform(port, workdir, tokens)
    try:
        wait_up(base, process)
        yield base, tokens
    finally:
        process.terminate()
        process.wait(timeout=10)


def _hold(base: str, tokens: dict[str, str], first: int) -> dict[str, object]:
    slot_id = push_slots(base, tokens["partner"])
    body = {
        "venue_id": "dujiangyan",
        "slot_id": slot_id,
        "tickets": [{"category": "adult", "visitor": visitor(first)}],
        "phone": "13800138000",
        "language": "en",
        "channel": "rest",
        "user_id": "live",
    }
    response = httpx.post(
        f"{base}/api/bookings",
        json=body,
        headers={"Authorization": f"Bearer {tokens['bot']}", "Idempotency-Key": f"live-{first}"},
    )
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()
    assert dt.datetime.fromisoformat(str(data["expires_at"])) > dt.datetime.now(dt.UTC)
    return data


def _status(base: str, tokens: dict[str, str], reference: object) -> str:
    response = httpx.get(
        f"{base}/api/bookings/{reference}", headers={"Authorization": f"Bearer {tokens['bot']}"}
    )
    return str(response.json()["status"])


def test_pay_button_notifies_the_platform_over_http(platform: tuple[str, dict[str, str]]) -> None:
    base, tokens = platform
    held = _hold(base, tokens, 1)
    assert str(held["pay_url"]).startswith(base)

    paid = httpx.post(str(held["pay_url"]), timeout=30)

    assert paid.status_code == 200 and "confirmed" in paid.text
    assert _status(base, tokens, held["reference"]) == "confirmed"


@pytest.mark.browser
def test_pay_page_in_a_browser(platform: tuple[str, dict[str, str]]) -> None:
    if shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    base, tokens = platform
    held = _hold(base, tokens, 2)

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(str(held["pay_url"]))
            assert page.inner_text("#amount") == "¥1.00"  # the bench's sandbox-demo price
            page.click("#pay")
            page.wait_for_selector("#result")
            assert "confirmed" in page.inner_text("#result")
        finally:
            browser.close()
    assert _status(base, tokens, held["reference"]) == "confirmed"
