"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Without Chromium the browser tests skip, unless ZIZHI_REQUIRE_BROWSER=1 (CI), where they
fail. Screenshots go to test-output/ (gitignored).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
TIMEOUT_MS = 15_000


def _require_chromium():
    if CHROMIUM.exists():
        return
    reason = "Chromium not installed at /usr/bin/chromium"
    if os.getenv("ZIZHI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ZIZHI_REQUIRE_BROWSER=1: apt-get install chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread while it is active; Django
    # then refuses ORM calls from the test ("SynchronousOnlyOperation"). The test code is
    # synchronous, so allow them while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server):
    """The demo subdistrict (small) behind a live server; returns the server's base URL."""
    from zizhi.registry import demo

    demo.build(residents=140)
    return live_server.url


@pytest.fixture
def page(browser, site):
    context = browser.new_context(
        base_url=site, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def output_dir():
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


def log_in(page, phone, password=None):
    """Log in through the login form, as a person would."""
    from zizhi.registry.demo import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=username]", phone)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def phone(browser, site):
    """A 390px phone on the demo site, not logged in."""
    context = browser.new_context(base_url=site, locale="zh-CN", device_scale_factor=2, **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_as(live_server, browser):
    """open_as(user, phone=True, large_text=False): a page of a new browser context logged in
    as the user (tests.factories.PASSWORD), on a 390px phone or a desktop; all closed after."""
    from tests.factories import PASSWORD

    contexts = []

    def open_page(user, phone=True, large_text=False):
        options = {"base_url": live_server.url, "locale": "zh-CN", **(PHONE if phone else DESKTOP)}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            log_in(page, user.phone, PASSWORD)
        if large_text:
            from playwright.sync_api import expect

            page.goto("/")
            page.get_by_role("button", name="大字模式").click()
            expect(page.locator("html")).to_have_class("large-text")
        return page

    yield open_page
    for context in contexts:
        context.close()
