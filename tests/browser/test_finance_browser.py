"""Finance in a browser: a worker keeps this month's books, the subdistrict approves last
month's, the worker publishes it; a resident reads it on a phone in large text."""

import pytest
from playwright.sync_api import expect

from zizhi.finance.models import Entry, Period, PeriodStatus
from zizhi.registry.demo import ADMIN_LOGIN, RESIDENT_LOGINS, WORKER_LOGINS

from .conftest import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

HD_WORKER = next(w for w in WORKER_LOGINS if w.community == "HD")
RESIDENT = next(r for r in RESIDENT_LOGINS if r.community == "HD")


def test_books_kept_approved_published_and_read_on_a_phone(page, phone, browser, output_dir):
    hd = Period.objects.filter(community__code="HD")
    current = hd.filter(status=PeriodStatus.DRAFT).get()
    waiting = hd.filter(status=PeriodStatus.SUBMITTED).get()

    # the worker records an expense in this month's books
    log_in(page, HD_WORKER.phone)
    page.goto("/c/HD/finance/manage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("财务公开")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="财务公开").click()
    page.get_by_role("link", name=current.label).click()
    page.get_by_label("日期").fill(f"{current.year}-{current.month:02d}-02")
    page.get_by_label("支出").check()
    page.get_by_role("combobox", name="类别").select_option(label="支出·活动经费")
    page.get_by_label("金额（元）").fill("1,280.50")
    page.get_by_label("摘要（这笔钱做什么用）").fill("敬老院慰问演出道具")
    page.get_by_role("button", name="记账").click()
    expect(page.get_by_role("status")).to_contain_text("已记账")
    expect(page.locator("table").last).to_contain_text("¥1,280.50")
    assert Entry.objects.filter(period=current, amount_fen=128050).exists()
    # this month cannot be submitted before last month is approved: the page says why
    page.get_by_role("button", name="提交街道审核").click()
    expect(page.get_by_role("status")).to_contain_text("请先让上一账期")
    page.screenshot(path=output_dir / "finance-staff-period.png", full_page=True)

    # the subdistrict administrator approves last month from the review list
    admin_context = browser.new_context(base_url=page.url.split("/c/")[0], locale="zh-CN")
    admin_context.set_default_timeout(TIMEOUT_MS)
    admin = admin_context.new_page()
    log_in(admin, ADMIN_LOGIN.phone)
    admin.goto("/finance/review/")
    admin.get_by_role("row").filter(has_text="湖东").get_by_role("link").click()
    admin.get_by_role("button", name="审核通过").click()
    expect(admin.get_by_role("status")).to_contain_text("已审核通过")
    admin_context.close()

    # the worker publishes it
    page.goto(f"/c/HD/finance/manage/{waiting.year}-{waiting.month}/")
    page.get_by_role("button", name="公开", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已公开")
    waiting.refresh_from_db()
    assert waiting.status == PeriodStatus.PUBLISHED and waiting.notice_id

    # a resident on a phone, large text: the list with the trend, then the month
    log_in(phone, RESIDENT.phone)
    phone.goto("/c/HD/")
    phone.get_by_role("link", name="财务公开").click()
    phone.get_by_role("button", name="大字模式").click()
    expect(phone.locator("html")).to_have_class("large-text")
    expect(phone.locator("svg.fin-chart")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=output_dir / "finance-list-phone-large-text.png", full_page=True)
    phone.get_by_role("link", name=waiting.label).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(waiting.label)
    expect(phone.locator("svg.fin-chart")).to_be_visible()
    expect(phone.get_by_role("row").filter(has_text="上级拨款")).to_be_visible()
    phone.set_viewport_size({"width": 360, "height": 780})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=output_dir / "finance-period-phone-large-text.png", full_page=True)
