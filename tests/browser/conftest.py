"""Browser tests: Debian's headless Chromium driven by Playwright (``make browser-deps``).

Generic fixtures here (``browser``, ``screenshots``); the staff console's own fixtures
(``console_platform``, ``console_page``) come from ``console_fixtures.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.console_fixtures import *  # noqa: F403
from tests.browser.console_helpers import SCREENSHOTS

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium per test module (skips when Debian's chromium is not installed).

    Module scope, not session: Playwright's sync API keeps an event loop running in the main thread
    while it is open, and every later test that calls ``asyncio.run`` would then fail."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """``reports/screenshots/`` (kept after the run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
