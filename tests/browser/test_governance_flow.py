"""A major matter from registration to the resolution on the public board, in real browsers:
a community worker at a desktop, three Party branch members and five representatives on
390px phones, a member of the subdistrict Party committee, and a resident reading the board.

Registration > the branch's review (every member's opinion) > escalation to the subdistrict
committee and back > review again > submitted > the assembly meeting: notice, QR sign-in on
the phones, live quorum, an online poll > published result > resolution > public notice and PDF.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.govworld import gov
from zizhi.governance.models import Matter, Poll, Resolution
from zizhi.notices.models import Notice

pytestmark = pytest.mark.browser

TITLE = "3栋加装电梯及费用分摊方案"


@pytest.fixture
def people(world, open_as):
    """The personas; open_as(user) gives each a browser context of their own."""
    return gov(world, reps=5), world, open_as


def opinion(page, matter, seat, stance):
    page.goto(f"/c/HD/matters/{matter.pk}/")
    form = page.locator(f"form.opinion-form:has(input[name=membership][value='{seat.pk}'])")
    form.locator(f"input[name=stance][value={stance}]").check()
    form.get_by_role("button", name="记录意见").click()
    expect(page.locator(".messages")).to_contain_text("已保存")


def conclude(page, matter, outcome, text):
    page.goto(f"/c/HD/matters/{matter.pk}/")
    page.locator(f"input[name=outcome][value={outcome}]").check()
    page.get_by_label("审议意见（拟否决时即否决理由，请示时即请示内容）").fill(text)
    page.get_by_role("button", name="作出审议结论").click()
    expect(page.locator(".messages")).to_contain_text("已保存")


def test_matter_from_registration_to_the_public_board(people, output_dir):
    g, world, open_as = people
    worker = open_as(world.worker_a, phone=False)

    # 1. the worker registers the matter and sends it to the Party branch
    worker.goto("/c/HD/matters/new/")
    worker.get_by_label("事项名称").fill(TITLE)
    worker.get_by_label("事项类别").select_option("construction")
    worker.get_by_label("事项内容").fill("3栋加装电梯一部，总价52万元，按楼层分摊。")
    worker.get_by_label("属于重大事项的理由").fill("涉及全体住户利益和公共维修资金。")
    worker.get_by_role("button", name="登记").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text(TITLE)
    matter = Matter.objects.get(title=TITLE)
    worker.get_by_role("button", name="提交党支部审议").click()
    expect(worker.locator(".flow li.current")).to_have_text("党支部审议中")
    worker.screenshot(path=str(output_dir / "gov-1-registered.png"), full_page=True)

    # 2. each of the three branch members gives an opinion on their phone: unsure
    branch = [open_as(u) for u in g.branch_members]
    for page, user in zip(branch, g.branch_members, strict=True):
        opinion(page, matter, g.seat(g.branch, user), "unsure")
    branch[1].screenshot(path=str(output_dir / "gov-2-opinion-phone.png"), full_page=True)

    # 3. the secretary escalates; the subdistrict committee member answers
    conclude(branch[0], matter, "escalate", "电梯费用分摊是否须经业主大会，请示街道党工委。")
    committee = open_as(g.committee_member)
    expect(committee.get_by_role("link", name=re.compile("社区党支部的请示"))).to_be_visible()
    committee.get_by_role("link", name=re.compile("社区党支部的请示")).click()
    committee.get_by_role("link", name=re.compile(TITLE)).click()
    committee.get_by_label("批复意见").fill("分摊方案经居民代表大会表决即可，请支部继续审议。")
    committee.get_by_role("button", name="批复，退回党支部审议").click()
    expect(committee.locator(".flow li.current")).to_have_text("党支部审议中")

    # 4. the branch reviews again and submits the matter to the assembly
    for page, user in zip(branch, g.branch_members, strict=True):
        opinion(page, matter, g.seat(g.branch, user), "agree")
    conclude(branch[0], matter, "submit", "经集体研究，同意提交居民代表大会表决。")
    matter.refresh_from_db()
    assert matter.state == "awaiting_vote"

    # 5. the worker convenes the assembly, puts the matter on its agenda, notifies, opens
    worker.goto("/c/HD/meetings/new/")
    worker.get_by_label("召开会议的组织").select_option(label=g.assembly.name)
    worker.get_by_label("会议名称").fill("第五届居民代表大会第四次会议")
    worker.get_by_label("地点").fill("社区党群服务中心二楼会议室")
    worker.get_by_label("议程（每行一项）").fill("居委会工作通报")
    worker.get_by_role("button", name="创建会议").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("第五届居民代表大会第四次会议")
    meeting_url = worker.url
    worker.goto(f"/c/HD/matters/{matter.pk}/")
    worker.get_by_label("列入哪次居民代表大会").select_option(index=0)
    worker.get_by_role("button", name="列入议程").click()
    expect(worker.locator(".flow li.current")).to_have_text("已列入大会议程")
    worker.goto(meeting_url)
    worker.get_by_role("button", name="发出会议通知").click()
    worker.get_by_role("button", name="开始会议，开放签到").click()
    signin_url = worker.locator("#signin-link").get_attribute("href")
    expect(worker.locator(".signin-qr svg")).to_be_visible()

    # 6. five representatives sign in with the QR code on their phones
    reps = [open_as(u) for u in g.reps]
    for page in reps:
        page.goto(signin_url)
        page.get_by_role("button", name="确认签到").click()
        expect(page.locator(".messages")).to_contain_text("签到成功")
    worker.reload()
    expect(worker.locator("#quorum")).to_contain_text("会议有效")
    expect(worker.locator("#quorum strong").nth(1)).to_have_text("5")
    worker.screenshot(path=str(output_dir / "gov-3-meeting-quorum.png"), full_page=True)

    # 7. an online poll on the matter
    item = worker.locator("ol.agenda > li", has_text=TITLE)
    item.locator("summary").click()
    item.get_by_role("button", name="创建表决").click()
    worker.get_by_role("link", name=re.compile(f"是否同意：{TITLE}")).click()
    worker.get_by_role("button", name="开始表决").click()
    poll = Poll.objects.get(item__matter=matter)
    for i, page in enumerate(reps):
        page.goto("/")
        page.get_by_role("link", name=re.compile(TITLE)).first.click()
        page.get_by_role("button", name="赞成" if i < 4 else "反对").click()
        expect(page.locator(".big-note")).to_contain_text("您已投票")
    reps[0].screenshot(path=str(output_dir / "gov-4-ballot-phone.png"), full_page=True)

    # 8. close, count, publish: the matter becomes a resolution
    worker.reload()
    worker.get_by_role("button", name="截止表决并计票").click()
    expect(worker.locator(".result-text")).to_contain_text(
        "赞成4票，超过实到人数的半数（3票），通过"
    )
    worker.get_by_role("button", name="公布表决结果").click()
    poll.refresh_from_db()
    assert poll.status == "published" and poll.passed
    reps[4].goto(f"/c/HD/polls/{poll.pk}/")
    expect(reps[4].locator(".result-text")).to_contain_text("通过")
    worker.goto(f"/c/HD/matters/{matter.pk}/")
    expect(worker.locator(".flow li.current")).to_have_text("已通过，形成决议")
    worker.get_by_role("button", name="发布决议公告").click()
    expect(worker.locator(".flow li.current")).to_have_text("决议已公开，实施中")
    resolution = Resolution.objects.get(matter=matter)
    worker.screenshot(path=str(output_dir / "gov-5-resolution.png"), full_page=True)

    # 9. a resident (no login) reads the resolution on the public board, in large text
    public = open_as(None)
    public.goto("/c/HD/notices/")
    public.get_by_role("button", name="大字模式").click()
    notice = Notice.objects.get(category="resolution", source_label=matter.number)
    public.get_by_role("link", name=re.compile(re.escape(notice.title))).first.click()
    expect(public.get_by_role("heading", level=1)).to_contain_text(resolution.number)
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
    public.screenshot(path=str(output_dir / "gov-6-board-phone.png"), full_page=True)
    pdf = public.request.get(f"/c/HD/notices/{notice.pk}.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
