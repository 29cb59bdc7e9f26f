"""The dashboard in a real browser. The subdistrict administrator (周建华, dh) opens the
subdistrict's dashboard from the home page on a phone, sees the communities compared as
pictures with their tables, opens 湖东社区's figures, taps the number of residents who took part
and sees who they are; then picks last month. The city administrator opens the city's
dashboard and goes down to the subdistrict. The pages pass axe."""

import pytest
from playwright.sync_api import expect

from zizhi.registry import demo

from .conftest import log_in
from .test_accessibility import blocking_violations, describe

pytestmark = pytest.mark.browser


def test_subdistrict_admin_reads_the_dashboard_on_a_phone(phone, output_dir):
    log_in(phone, demo.ADMIN_LOGIN.phone)
    phone.get_by_role("link", name="东湖街道数据看板").click()
    expect(phone.get_by_role("heading", name="数据看板 · 东湖街道")).to_be_visible()
    problems = [describe("subdistrict dashboard", v) for v in [blocking_violations(phone)] if v]
    expect(phone.get_by_role("heading", name="各社区比较")).to_be_visible()
    units = phone.get_by_role("region", name="各社区数字")
    expect(units.get_by_role("row")).to_have_count(1 + 7 + 1)  # header, communities, total
    # no horizontal scrolling of the page itself on a phone: wide tables scroll in their box
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    phone.screenshot(path=str(output_dir / "stats-dashboard-phone.png"), full_page=True)

    units.get_by_role("link", name="湖东社区").click()
    expect(phone.get_by_role("heading", name="数据看板 · 湖东社区")).to_be_visible()
    card = phone.locator(".card", has_text="参加活动的居民")
    took_part = int(card.locator("a.num").inner_text().replace(",", ""))
    assert took_part > 0
    card.locator("a.num").click()
    expect(phone.get_by_role("heading", name="参加活动的居民 · 湖东社区")).to_be_visible()
    expect(phone.get_by_text(f"共 {took_part} 条")).to_be_visible()
    violations = blocking_violations(phone)
    if violations:
        problems.append(describe("list behind a figure", violations))

    phone.get_by_role("link", name="返回数据看板").click()
    phone.get_by_role("link", name="上月").click()
    expect(phone.get_by_role("link", name="上月")).to_have_attribute("aria-current", "true")
    assert not problems, "\n".join(problems)


def test_city_admin_goes_from_the_city_to_a_subdistrict(page):
    log_in(page, demo.CITY_LOGIN.phone)
    page.get_by_role("link", name="数据看板 杭州市").click()
    expect(page.get_by_role("heading", name="数据看板 · 杭州市")).to_be_visible()
    expect(page.get_by_role("heading", name="各街道数字")).to_be_visible()
    page.get_by_role("region", name="各街道数字").get_by_role("link", name="东湖街道").click()
    expect(page.get_by_role("heading", name="数据看板 · 东湖街道")).to_be_visible()
    # figures only: the numbers of a community do not open lists of names for the city
    page.get_by_role("link", name="湖东社区").first.click()
    expect(page.get_by_role("heading", name="数据看板 · 湖东社区")).to_be_visible()
    assert page.locator("a[href*='/dashboard/participants/']").count() == 0
    violations = blocking_violations(page)
    assert not violations, describe("city dashboard", violations)
