"""Fixtures of the widget's browser tests: the real stack (scripts/run_all.sh, as tests/e2e starts
it, on its own spare ports so both families can run in one session) and a headless Chromium.

Imported by name into ``test_widget.py`` (self-contained: no other conftest is needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.conftest import Stack, running_stack

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"RASA_PORT": "15205", "ACTIONS_PORT": "15255", "PLATFORM_PORT": "18200"}
STAFF_USER = "widget-supervisor"
STAFF_PASSWORD = "widget-test-password-4c1d9e"  # noqa: S105 - a throwaway test account
PARTNER_VENUE = "dujiangyan"
PARTNER_KEY = "pk-dujiangyan-widget-test-0001"  # test data: a partner pushes invented time slots
# Staff are on duty around the clock in this run, so a hand-off is live whenever the test runs.
OVERRIDES = {
    **PORTS,
    "PLATFORM_STAFF_ADMIN_USER": STAFF_USER,
    "PLATFORM_STAFF_ADMIN_PASSWORD": STAFF_PASSWORD,
    "PLATFORM_OFFICE_WEEKDAYS": "mon,tue,wed,thu,fri,sat,sun",
    "PLATFORM_OFFICE_HOURS": "00:00-23:59",
    "PLATFORM_PARTNER_KEYS": f"{PARTNER_VENUE}:{PARTNER_KEY}",
    # pay links in the bot's answers point at this run's platform
    "PLATFORM_PUBLIC_BASE_URL": f"http://127.0.0.1:{PORTS['PLATFORM_PORT']}",
}
SCREENSHOTS = ROOT / "reports" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Rasa, action server and platform API with the trained model and the built widget."""
    if not (ROOT / "platform_api" / "widget" / "static" / "widget.js").exists():
        pytest.fail("the widget is not built: `make test` runs `make widget` first")
    with running_stack(tmp_path_factory.mktemp("widget-stack"), **OVERRIDES) as started:
        yield started


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium (fails, not skips: the widget's acceptance needs it).

    Module scope: an open Playwright sync API keeps an event loop running in the main thread, which
    breaks every later test that calls ``asyncio.run``."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium")
    with sync_playwright() as playwright:
        # Local Network Access checks off: a test page on another loopback origin may load the
        # widget, so that Rasa's origin check (not Chromium's) is what refuses it.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-features=LocalNetworkAccessChecks"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def widget_shots() -> Path:
    """``reports/screenshots/`` (kept after the run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
