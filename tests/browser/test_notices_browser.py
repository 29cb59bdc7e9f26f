"""A notice from start to answer: a worker creates and publishes it; a resident on a phone
reads it on the board in large text and objects; the worker answers; the answer is public."""

import pytest
from playwright.sync_api import expect

from zizhi.notices.models import Notice, Objection
from zizhi.registry.demo import RESIDENT_LOGINS, WORKER_LOGINS

from .conftest import log_in

pytestmark = pytest.mark.browser

HD_WORKER = next(w for w in WORKER_LOGINS if w.community == "HD")
RESIDENT = RESIDENT_LOGINS[0]
TITLE = "关于4栋楼顶防水维修费用的公示"
OBJECTION = "维修费用是否包含五年保修？请公布报价单。"
ANSWER = "包含五年保修，报价单已贴在4栋单元门公告栏，也可到社区服务中心查阅。"


def test_worker_publishes_resident_objects_on_a_phone_worker_answers(page, phone, output_dir):
    # the worker creates a draft and publishes it
    log_in(page, HD_WORKER.phone)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="公示").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("公示管理")
    page.get_by_label("类别").select_option("finance")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("正文").fill(
        "屋顶防水维修共需 38,600.00 元，由公共维修资金支出。\n工期十天。"
    )
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已发布")
    notice = Notice.objects.get(title=TITLE)
    assert notice.number.startswith("HD-")

    # a resident on a phone: the board in large text, the notice, an objection
    log_in(phone, RESIDENT.phone)
    phone.goto("/c/HD/notices/")
    phone.get_by_role("button", name="大字模式").click()
    expect(phone.locator("html")).to_have_class("large-text")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.set_viewport_size({"width": 360, "height": 780})  # the narrowest phones in use
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=output_dir / "notice-board-360-large-text.png", full_page=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(phone.get_by_text("公示期：")).to_have_count(0)  # the page says it in a list
    expect(phone.locator("dl.facts")).to_contain_text("至")
    expect(phone.locator("svg.qr")).to_be_visible()
    font_size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 22
    phone.screenshot(path=output_dir / "notice-phone-large-text.png", full_page=True)
    phone.get_by_label("您的异议").fill(OBJECTION)
    phone.get_by_role("button", name="提交异议").click()
    expect(phone.get_by_role("status")).to_contain_text("您的异议已提交")
    expect(phone.get_by_text(OBJECTION)).to_be_visible()
    assert Objection.objects.get(notice=notice).text == OBJECTION

    # the worker answers
    page.goto(f"/c/HD/notices/manage/{notice.pk}/")
    expect(page.get_by_text(OBJECTION)).to_be_visible()
    page.get_by_role("textbox", name="答复", exact=True).fill(ANSWER)
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_role("status")).to_contain_text("答复已保存")

    # the answer shows on the public page, for the resident and for everyone
    phone.reload()
    expect(phone.get_by_text(ANSWER)).to_be_visible()
    phone.screenshot(path=output_dir / "notice-phone-answered.png", full_page=True)
    page.get_by_role("button", name="退出").click()
    page.goto(f"/c/HD/notices/{notice.pk}/")
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text(OBJECTION)).to_be_visible()
    page.screenshot(path=output_dir / "notice-desktop-answered.png", full_page=True)
