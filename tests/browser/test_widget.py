"""The web widget in headless Chromium against the real stack: the demo page embeds it with one
script tag, tourists ask in English and Japanese, a reload keeps the conversation, quick replies,
the language picker, keyboard and screen-reader semantics, a phone screen, and a foreign origin
that Rasa's socket.io channel refuses. Screenshots go to reports/screenshots/."""

# ruff: noqa: F811  (the fixtures imported from widget_fixtures are parameters by name)
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from common.widget_session import sender_id_for
from tests.browser.widget_fixtures import (  # noqa: F401
    PARTNER_KEY,
    PARTNER_VENUE,
    STAFF_PASSWORD,
    STAFF_USER,
    browser_stack,
    chromium,
    widget_shots,
)
from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.browser, pytest.mark.slow]
KANA = re.compile(r"[\u3040-\u30ff]")
REPLY_TIMEOUT_MS = 60_000


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (empty localStorage), English, desktop size."""
    ctx = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 860})
    yield ctx
    ctx.close()


def open_demo(page: Page, stack: Stack) -> Locator:
    """Loads the demo page, opens the widget, returns the message log."""
    page.goto(f"{stack.platform}/widget/demo")
    page.get_by_role("button", name="Open chat").click()
    return page.get_by_role("log")


def ask(page: Page, text: str) -> Locator:
    """Types ``text`` and sends it with Enter; returns the first assistant message after it."""
    before = page.locator(".tw-bot").count()
    box = page.get_by_role("textbox")
    box.fill(text)
    box.press("Enter")
    reply = page.locator(".tw-bot").nth(before)
    reply.wait_for(timeout=REPLY_TIMEOUT_MS)
    return reply


def message_texts(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".tw-msg").all_inner_texts()]


def tracker_user_texts(stack: Stack, sender_id: str) -> list[str]:
    """What Rasa recorded from the tourist in this conversation (tracker API, token from the run)."""
    response = httpx.get(
        f"{stack.rasa}/conversations/{sender_id}/tracker",
        params={"token": stack.secrets["RASA_AUTH_TOKEN"]},
        timeout=30,
    )
    response.raise_for_status()
    return [e["text"] for e in response.json()["events"] if e["event"] == "user"]


def test_demo_page_embeds_the_widget_with_one_script_tag(
    browser_stack: Stack, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(f"{browser_stack.platform}/widget/demo")

    scripts = page.locator("script")
    expect(scripts).to_have_count(1)
    assert scripts.get_attribute("src") == f"{browser_stack.platform}/widget/widget.js"
    assert scripts.get_attribute("data-rasa") == browser_stack.rasa
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()


def test_english_and_japanese_questions_and_the_history_survives_a_reload(
    browser_stack: Stack, context: BrowserContext, widget_shots: Path
) -> None:
    page = context.new_page()
    log = open_demo(page, browser_stack)
    expect(page.get_by_role("textbox", name="Type your question")).to_be_focused()
    expect(log).to_have_attribute("aria-live", "polite")

    english = ask(page, "How much is the Jiuzhaigou ticket?")
    expect(english).to_contain_text("Jiuzhaigou")
    japanese = ask(page, "九寨溝の入場料はいくらですか？")
    expect(japanese).to_contain_text(KANA)
    page.wait_for_timeout(1500)  # the rest of a split answer
    page.screenshot(path=str(widget_shots / "widget-en-ja.png"))
    before_reload = message_texts(page)
    secret = page.evaluate("JSON.parse(localStorage.getItem('tianfu-widget:v1')).secret")

    page.reload()
    page.get_by_role("button", name="Open chat").click()
    expect(page.locator(".tw-msg")).to_have_count(len(before_reload))
    assert message_texts(page) == before_reload
    page.screenshot(path=str(widget_shots / "widget-after-reload.png"))

    # the same Rasa conversation continues after the reload
    expect(ask(page, "And how do I get there?")).not_to_be_empty()
    assert tracker_user_texts(browser_stack, sender_id_for(secret)) == [
        "How much is the Jiuzhaigou ticket?",
        "九寨溝の入場料はいくらですか？",
        "And how do I get there?",
    ]


def test_quick_reply_sends_its_text_and_gets_an_answer(
    browser_stack: Stack, context: BrowserContext, widget_shots: Path
) -> None:
    page = context.new_page()
    open_demo(page, browser_stack)
    suggestions = page.get_by_role("group", name="Suggested replies")
    page.screenshot(path=str(widget_shots / "widget-quick-replies.png"))

    suggestions.get_by_role("button", name="How much is the Jiuzhaigou ticket?").click()

    expect(page.locator(".tw-user")).to_have_text(["You: How much is the Jiuzhaigou ticket?"])
    expect(page.locator(".tw-bot").first).to_contain_text("Jiuzhaigou", timeout=REPLY_TIMEOUT_MS)
    expect(suggestions).to_be_hidden()
    expect(page.get_by_role("textbox")).to_be_focused()


def test_language_picker_switches_the_interface_and_the_session_language(
    browser_stack: Stack, context: BrowserContext, widget_shots: Path
) -> None:
    page = context.new_page()
    open_demo(page, browser_stack)

    page.get_by_label("Language").select_option("ja")

    expect(page.get_by_role("button", name="送信")).to_be_visible()
    expect(page.locator(".tw-user").first).to_contain_text("日本語で話してください")
    expect(page.locator(".tw-bot").first).to_contain_text(KANA, timeout=REPLY_TIMEOUT_MS)
    # the language holds for a question written in English
    expect(ask(page, "How much is the Jiuzhaigou ticket?")).to_contain_text(KANA)
    page.screenshot(path=str(widget_shots / "widget-language-ja.png"))


def test_keyboard_only_on_a_phone_screen(
    chromium: Browser, browser_stack: Stack, widget_shots: Path
) -> None:
    ctx = chromium.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = ctx.new_page()
        page.goto(f"{browser_stack.platform}/widget/demo")
        launcher = page.get_by_role("button", name="Open chat")
        launcher.focus()
        page.keyboard.press("Enter")

        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        box = dialog.bounding_box()
        assert box is not None and box["width"] == 390 and box["height"] == 844
        box_input = page.get_by_role("textbox", name="Type your question")
        expect(box_input).to_be_focused()
        box_input.fill("Hello")
        page.keyboard.press("Enter")
        expect(page.locator(".tw-bot").first).not_to_be_empty(timeout=REPLY_TIMEOUT_MS)
        page.screenshot(path=str(widget_shots / "widget-phone.png"))

        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(launcher).to_be_focused()
    finally:
        ctx.close()


def test_a_page_on_an_unlisted_origin_cannot_talk_to_the_assistant(
    browser_stack: Stack, context: BrowserContext
) -> None:
    """The same script tag on another site (another origin on the same machine, so Chromium's
    private-network rules do not interfere): Rasa's socket.io channel refuses the origin."""
    page = context.new_page()
    other_site = "http://127.0.0.1:18299/"
    page.route(
        other_site,
        lambda route: route.fulfill(
            content_type="text/html",
            body=(
                f'<!doctype html><body><script src="{browser_stack.platform}/widget/widget.js" '
                f'data-rasa="{browser_stack.rasa}"></script></body>'
            ),
        ),
    )
    page.goto(other_site)
    page.get_by_role("button", name="Open chat").click()
    page.get_by_role("textbox").fill("How much is the Jiuzhaigou ticket?")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Reconnecting…")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(3000)
    expect(page.locator(".tw-bot")).to_have_count(0)
    # what the browser met: Rasa's socket.io endpoint refuses that origin (and accepts the platform's)
    handshake = f"{browser_stack.rasa}/socket.io/?EIO=4&transport=polling"
    refused = httpx.get(handshake, headers={"Origin": other_site.rstrip("/")}, timeout=30)
    accepted = httpx.get(handshake, headers={"Origin": browser_stack.platform}, timeout=30)
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert accepted.status_code == 200
    assert accepted.headers["access-control-allow-origin"] == browser_stack.platform


def test_staff_replies_from_the_console_are_pushed_into_the_widget(
    browser_stack: Stack, context: BrowserContext, widget_shots: Path
) -> None:
    """A staff member takes over the conversation: their message appears without the tourist
    sending anything, and the tourist's next message goes to staff, not to the assistant."""
    page = context.new_page()
    open_demo(page, browser_stack)
    ask(page, "Hello")
    secret = page.evaluate("JSON.parse(localStorage.getItem('tianfu-widget:v1')).secret")
    platform = httpx.Client(base_url=browser_stack.platform, timeout=30)
    bot = {"Authorization": f"Bearer {browser_stack.secrets['PLATFORM_BOT_API_TOKEN']}"}
    opened = platform.post(
        "/api/escalations",
        headers=bot,
        json={
            "sender_id": sender_id_for(secret),
            "channel": "socketio",
            "language": "en",
            "reason": "tourist asked for a person",
        },
    )
    assert opened.status_code == 201 and opened.json()["active"], opened.text
    reference = opened.json()["reference"]
    login = platform.post(
        "/api/staff/login", json={"username": STAFF_USER, "password": STAFF_PASSWORD}
    )
    staff = {"Authorization": f"Bearer {login.json()['access_token']}"}

    sent = platform.post(
        f"/api/staff/escalations/{reference}/messages",
        headers=staff,
        json={"text": "Hello, this is Li from the visitor centre."},
    )

    assert sent.status_code == 201, sent.text
    pushed = page.locator(".tw-staff")
    expect(pushed).to_contain_text("Hello, this is Li from the visitor centre.", timeout=20_000)
    expect(pushed).to_contain_text("Staff")
    page.screenshot(path=str(widget_shots / "widget-staff-reply.png"))

    bots_before = page.locator(".tw-bot").count()
    box = page.get_by_role("textbox")
    box.fill("Thank you, is the panda base open today?")
    box.press("Enter")
    detail = {}
    for _ in range(30):
        detail = platform.get(f"/api/staff/escalations/{reference}", headers=staff).json()
        if "is the panda base open today?" in str(detail):
            break
        page.wait_for_timeout(500)
    assert "is the panda base open today?" in str(detail)
    page.wait_for_timeout(2000)
    expect(page.locator(".tw-bot")).to_have_count(bots_before)


def test_the_bots_buttons_are_quick_replies(
    browser_stack: Stack, context: BrowserContext, widget_shots: Path
) -> None:
    """A booking: the venue's partner has pushed tomorrow's time slots (invented test data); the
    bot offers them as buttons; clicking one shows its title and sends its payload."""
    tomorrow = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)
    slot = {"capacity": 20, "prices": [{"category": "adult", "amount_fen": 8000}]}
    pushed = httpx.put(
        f"{browser_stack.platform}/api/partners/venues/{PARTNER_VENUE}/slots/{tomorrow}",
        headers={"X-Partner-Key": PARTNER_KEY},
        json={
            "slots": [
                {"start": "09:00", "end": "10:00", **slot},
                {"start": "14:00", "end": "15:00", **slot},
            ]
        },
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    page = context.new_page()
    open_demo(page, browser_stack)

    offer = ask(page, "I want to book 2 tickets for Dujiangyan tomorrow")
    buttons = offer.get_by_role("group", name="Suggested replies").get_by_role("button")
    expect(buttons).to_have_count(2)
    page.screenshot(path=str(widget_shots / "widget-bot-buttons.png"))
    bots_before = page.locator(".tw-bot").count()
    buttons.filter(has_text="14:00").click()

    expect(page.locator(".tw-user").last).to_contain_text("2. 14:00")
    expect(page.locator(".tw-bot").nth(bots_before)).to_contain_text(
        "Visitor 1 of 2", timeout=REPLY_TIMEOUT_MS
    )
    expect(page.locator(".tw-log .tw-replies")).to_have_count(0)
    secret = page.evaluate("JSON.parse(localStorage.getItem('tianfu-widget:v1')).secret")
    assert tracker_user_texts(browser_stack, sender_id_for(secret))[-1] == "2"  # the payload


def test_a_booking_ends_with_a_pay_link_after_the_confirm_button(
    browser_stack: Stack, context: BrowserContext, widget_shots: Path
) -> None:
    """The whole booking in the widget (invented slots and visitors): the bot's ✔ button confirms
    and the held booking's pay page comes as a link that opens the platform's pay page."""
    tomorrow = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)
    slot = {"capacity": 20, "prices": [{"category": "adult", "amount_fen": 8000}]}
    httpx.put(
        f"{browser_stack.platform}/api/partners/venues/{PARTNER_VENUE}/slots/{tomorrow}",
        headers={"X-Partner-Key": PARTNER_KEY},
        json={
            "slots": [
                {"start": "09:00", "end": "10:00", **slot},
                {"start": "14:00", "end": "15:00", **slot},
            ]
        },
        timeout=30,
    ).raise_for_status()
    page = context.new_page()
    open_demo(page, browser_stack)
    offer = ask(page, "I want to book 1 ticket for Dujiangyan tomorrow")
    offer.get_by_role("button").filter(has_text="09:00").click()
    expect(page.locator(".tw-bot").last).to_contain_text("Visitor 1 of 1", timeout=REPLY_TIMEOUT_MS)
    ask(page, "Wang Fang 110105199003070113")
    expect(page.locator(".tw-bot").last).to_contain_text("mobile number", timeout=REPLY_TIMEOUT_MS)
    ask(page, "13800138000")
    confirm = page.locator(".tw-log .tw-replies").get_by_role("button", name="✔")
    expect(confirm).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    confirm.click()

    pay = page.locator("a.tw-pay")
    expect(pay).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(pay).to_contain_text("Pay now")
    href = pay.get_attribute("href") or ""
    assert href.startswith(f"{browser_stack.platform}/api/payments/sandbox/pay/")
    assert pay.get_attribute("target") == "_blank" and "noopener" in (
        pay.get_attribute("rel") or ""
    )
    page.screenshot(path=str(widget_shots / "widget-pay-link.png"))
    assert httpx.get(href, timeout=30).status_code == 200
