"""A resident's suggestion in real browsers: on a 390x844 phone in large-text mode a resident
files a suggestion with a photo and a tap on the community's plan; a worker at a desk accepts,
assigns and replies; the resident reads the timeline and rates it satisfied; the status lookup
works without login with the phone's last four digits and says "not found" without them.
axe runs on the resident's form and timeline pages."""

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests import factories as f
from zizhi.proposals import actions
from zizhi.proposals.models import Suggestion

from .test_accessibility import blocking_violations, describe

pytestmark = pytest.mark.browser

TITLE = "5栋门口路灯坏了"


def small_png(width=8, height=8) -> bytes:
    """A valid PNG of a red square, made here (no file in the repository)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xcc\x22\x22" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def people(world, open_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(1, 9):
        f.household(world.hd, f"{n}栋", "101")

    def phone_or_desk(user, phone=True):
        return open_as(user, phone=phone, large_text=phone)

    return world, phone_or_desk


def axe(page, label: str, problems: list[str]) -> None:
    violations = blocking_violations(page)
    if violations:
        problems.append(describe(label, violations))


def fits_the_phone(page, label: str, problems: list[str]) -> None:
    if page.evaluate("document.documentElement.scrollWidth") > 390:
        problems.append(f"{label}: wider than a 390px phone")
    small = page.evaluate(
        """[...document.querySelectorAll('main button, main .btn, main .sg-tile')]
        .filter(b => b.offsetParent && b.getBoundingClientRect().height < 44)
        .map(b => b.textContent.trim())"""
    )
    if small:
        problems.append(f"{label}: touch targets under 44px: {small}")


def test_a_resident_files_a_suggestion_and_rates_the_reply(people, output_dir):
    world, open_as = people
    problems: list[str] = []

    # 1. the resident, on a phone in large text, opens the form from the navigation
    phone = open_as(world.resident_a)
    phone.get_by_role("link", name="提建议").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("提建议")
    axe(phone, "suggestion form, large text, 390px", problems)
    fits_the_phone(phone, "suggestion form", problems)
    phone.get_by_label("建议的标题").fill(TITLE)
    phone.get_by_label("具体内容").fill("晚上5栋门口一片黑，老人出门容易摔倒，请尽快修好。")
    phone.get_by_text("设施维修", exact=True).click()
    # a tap on building 5 of the plan chooses it in the list
    building5 = world.hd.buildings.get(name="5栋")
    phone.locator(f"svg.sg-plan [data-building='{building5.pk}'] rect").click()
    expect(phone.get_by_label("在哪栋楼附近（可不选）")).to_have_value(str(building5.pk))
    expect(phone.locator("[data-plan-status]")).to_contain_text("5栋")
    phone.locator("input[name=photos]").set_input_files(
        files=[{"name": "light.png", "mimeType": "image/png", "buffer": small_png()}]
    )
    assert not phone.get_by_label("可以公开我的姓名").is_checked()
    phone.screenshot(path=str(output_dir / "suggestion-1-form-390.png"), full_page=True)
    phone.get_by_role("button", name="提交建议").click()

    # 2. the tracking number, big, and how to look it up without logging in
    expect(phone.get_by_role("heading", level=1)).to_have_text("您的建议已提交")
    s = Suggestion.objects.get(title=TITLE)
    expect(phone.locator(".sg-number")).to_have_text(s.number)
    assert re.fullmatch(r"HD-\d{4}-\d{5}", s.number)
    expect(phone.get_by_text("手机号的后四位")).to_be_visible()
    assert s.building.name == "5栋" and s.plan_x is not None and not s.show_name
    assert s.photos.count() == 1
    fits_the_phone(phone, "tracking number", problems)
    phone.screenshot(path=str(output_dir / "suggestion-2-number-390.png"), full_page=True)

    # 3. a worker at a desk accepts, assigns and replies
    desk = open_as(world.worker_a, phone=False)
    desk.goto("/c/HD/suggestions/manage/")
    desk.get_by_role("link", name=TITLE).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(desk.get_by_role("button", name="答复")).to_have_count(0)
    desk.get_by_role("button", name="受理", exact=True).click()
    expect(desk.locator(".messages")).to_contain_text("已受理")
    desk.get_by_label("交给社区工作人员").select_option(label=world.worker_a.name)
    desk.get_by_label("交办说明（可不填）").fill("请物业当天检修。")
    desk.get_by_role("button", name="交办").click()
    expect(desk.locator(".messages")).to_contain_text("已交办")
    if desk.get_by_role("button", name="开始办理").count():
        desk.get_by_role("button", name="开始办理").click()
        expect(desk.locator(".messages")).to_contain_text("已开始办理")
    desk.get_by_label("答复内容（居民会看到）").fill("路灯已于今天更换，谢谢您的建议。")
    desk.get_by_role("button", name="答复", exact=True).click()
    expect(desk.locator(".messages")).to_contain_text("已答复")
    desk.screenshot(path=str(output_dir / "suggestion-3-worker-1280.png"), full_page=True)

    # 4. the resident reads the timeline and rates it
    phone.get_by_role("link", name="我的建议").first.click()
    phone.get_by_role("link", name=TITLE).click()
    timeline = phone.locator("ol.sg-timeline")
    for step in ("已登记", "已受理", "已交办", "已答复"):
        expect(timeline).to_contain_text(step)
    expect(timeline.locator("time").first).to_have_text(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"))
    expect(phone.locator(".sg-reply")).to_contain_text("路灯已于今天更换")
    axe(phone, "timeline with the rating form, large text, 390px", problems)
    fits_the_phone(phone, "timeline", problems)
    phone.screenshot(path=str(output_dir / "suggestion-4-timeline-390.png"), full_page=True)
    phone.get_by_text("满意", exact=True).click()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.locator(".messages")).to_contain_text("谢谢您的评价")
    expect(phone.locator(".state").first).to_have_text("已办结")
    s.refresh_from_db()
    assert s.status == "closed" and s.rating == "satisfied"

    # 5. the status lookup without login: the digits find it, wrong digits do not
    anyone = open_as(None)
    last4 = world.resident_a.resident.phone[-4:]
    wrong = "0000" if last4 != "0000" else "1111"
    anyone.goto("/suggestions/status/")
    anyone.get_by_label("建议编号").fill(s.number)
    anyone.get_by_label("手机号后四位").fill(wrong)
    anyone.get_by_role("button", name="查询").click()
    expect(anyone.get_by_role("alert")).to_contain_text("没有找到")
    expect(anyone.get_by_text(TITLE)).to_have_count(0)
    anyone.get_by_label("建议编号").fill(s.number.lower())
    anyone.get_by_label("手机号后四位").fill(last4)
    anyone.get_by_role("button", name="查询").click()
    expect(anyone.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(anyone.locator("ol.sg-timeline")).to_contain_text("已办结")
    expect(anyone.get_by_text(world.resident_a.name)).to_have_count(0)
    axe(anyone, "status lookup result, large text, 390px", problems)
    anyone.screenshot(path=str(output_dir / "suggestion-5-lookup-390.png"), full_page=True)

    assert not problems, "problems on the suggestion pages:\n" + "\n\n".join(problems)


def test_a_similar_open_suggestion_is_offered_and_followed(people):
    world, open_as = people
    building = world.hd.buildings.get(name="3栋")
    existing = actions.do_file_suggestion(
        world.hd,
        title="3栋楼道灯不亮",
        text="3栋二单元楼道灯坏了一个月",
        category="facilities",
        building=building,
        actor=world.resident_a,
    )
    actions.do_accept_suggestion(existing, actor=world.worker_a)
    neighbour = f.resident_user(world.hd, "湖东居民丙")
    phone = open_as(neighbour)
    phone.goto("/c/HD/suggestions/new/")
    phone.get_by_label("建议的标题").fill("3栋楼道灯不亮了")
    phone.get_by_label("在哪栋楼附近（可不选）").select_option(str(building.pk))
    panel = phone.locator(".sg-similar")
    expect(panel).to_contain_text("已经有人提过相似的建议")
    expect(panel).to_contain_text("3栋楼道灯不亮")
    problems: list[str] = []
    axe(phone, "suggestion form offering a similar one, large text, 390px", problems)
    fits_the_phone(phone, "suggestion form offering a similar one", problems)
    phone.get_by_role("button", name="就是这件事，我来附议").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("3栋楼道灯不亮")
    expect(phone.locator(".messages")).to_contain_text("已附议")
    existing.refresh_from_db()
    assert existing.support_count == 1
    assert Suggestion.objects.count() == 1
    assert not problems, "\n\n".join(problems)


def test_the_other_suggestion_pages_pass_axe(people, output_dir):
    """The board, the lookup form, "my suggestions", and the staff and subdistrict pages, at
    phone and desktop width."""
    from .test_accessibility import check_widths

    world, open_as = people
    late = actions.do_file_suggestion(
        world.hd,
        title="小区门口积水",
        text="下雨就积水",
        category="environment",
        actor=world.resident_a,
    )
    Suggestion.objects.filter(pk=late.pk).update(accept_due="2026-01-05")
    shown = actions.do_file_suggestion(
        world.hd,
        title="增设快递柜",
        text="快递没处放",
        category="property",
        show_name=True,
        actor=world.resident_a,
    )
    actions.do_accept_suggestion(shown, actor=world.worker_a)
    problems: list[str] = []
    pages = {
        None: [
            "/c/HD/suggestions/",
            "/c/HD/suggestions/?order=new",
            "/suggestions/status/",
            f"/c/HD/suggestions/{shown.pk}/",
        ],
        world.resident_a: ["/suggestions/mine/"],
        world.worker_a: [
            "/c/HD/suggestions/manage/",
            "/c/HD/suggestions/manage/?overdue=1",
            "/c/HD/suggestions/manage/new/",
            f"/c/HD/suggestions/manage/{late.pk}/",
            f"/c/HD/suggestions/manage/{shown.pk}/",
            "/c/HD/suggestions/manage/settings/",
        ],
        world.subadmin: ["/s/dh/suggestions/"],
    }
    for user, paths in pages.items():
        page = open_as(user, phone=False)
        for path in paths:
            page.goto(path)
            check_widths(page, path, problems)
            if path.endswith("/manage/"):
                expect(page.locator("tr.bad .sg-overdue")).to_have_text("已超期")
                page.screenshot(path=str(output_dir / "suggestion-6-list-390.png"), full_page=True)
    assert not problems, "axe found serious or critical violations:\n" + "\n\n".join(problems)
