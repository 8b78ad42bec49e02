"""Steps in the staff console, for browser tests (this folder's and the e2e conversation tests).

Every helper takes a Playwright ``Page`` and the platform's base URL, so a test can point them
at a platform it started itself (see ``conftest.py``) or at the e2e stack's platform.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "reports" / "screenshots"


def shot(page: Page, name: str) -> Path:
    """Full-page screenshot ``reports/screenshots/<name>.png`` (kept after the run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page: Page, base_url: str, username: str, password: str) -> None:
    """Log in through the form; ends on the complaint queue."""
    page.goto(f"{base_url}/console/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Complaints")


def open_complaint(
    page: Page, base_url: str, reference: str, *, language: str | None = None
) -> None:
    """Find ``reference`` in the queue (filtered by ``language`` when given) and open it."""
    page.goto(f"{base_url}/console/")
    if language:
        page.get_by_label("Language").select_option(language)
        page.get_by_role("button", name="Filter").click()
    row = page.locator(f'tr[data-reference="{reference}"]')
    expect(row).to_be_visible()
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def reply(page: Page, *, text: str | None = None, canned_label: str | None = None) -> str:
    """Send a reply from the open case page; returns the text sent."""
    if canned_label:
        page.get_by_label(re.compile(r"^Ready-made reply")).select_option(label=canned_label)
    box = page.get_by_label("Reply to the tourist")
    if text is not None:
        box.fill(text)
    sent = box.input_value()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Done: reply")
    return sent


def resolve(page: Page, outcome: str) -> None:
    """Resolve the open case with ``outcome``."""
    page.get_by_label("Outcome (sent to the tourist)").fill(outcome)
    page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("status")).to_contain_text("Done: resolve")


def dashboard_figure(page: Page, base_url: str, figure: str) -> str:
    """The text of a dashboard figure (``resolved``, ``open``, ``overdue``, ``total`` ...)."""
    page.goto(f"{base_url}/console/dashboard")
    return page.locator(f"#kpi-{figure}").inner_text().strip()
