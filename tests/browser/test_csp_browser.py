"""The Content-Security-Policy in a real browser: pages that use htmx, charts, printing and an
auto-submitting select run without a single violation, and the buttons that had inline
handlers still work (zizhi.js wires them)."""

import re

import pytest
from playwright.sync_api import expect

from zizhi.registry import demo

from .conftest import log_in

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return seen


def test_pages_run_under_the_policy_and_their_buttons_still_work(page, phone):
    violations = _watch(page)
    on_phone = _watch(phone)
    log_in(page, demo.ADMIN_LOGIN.phone)
    page.goto("/")
    # the community picker of a subdistrict administrator submits itself when changed
    page.get_by_label("切换社区").select_option("XH")
    expect(page).to_have_url(re.compile(r"[?&]c=XH"))
    expect(page.get_by_role("heading", name="西湖社区")).to_be_visible()
    page.goto("/c/HD/residents/")
    page.get_by_role("searchbox").first.fill("王")  # htmx live search
    page.wait_for_load_state("networkidle")
    page.goto("/s/dh/dashboard/")
    expect(page.locator("svg").first).to_be_visible()
    # a print button (王秀英's Moral Bank statement): window.print is stubbed to count calls
    log_in(phone, demo.RESIDENT_LOGINS[0].phone)
    phone.goto("/bank/statement/")
    phone.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    phone.get_by_role("button", name="打印").click()
    assert phone.evaluate("window.printed") == 1
    assert violations == [] and on_phone == []
