"""A representatives' motion in real browsers, on 390px phones in large-text mode: the proposer
opens it, five representatives co-sign it on their phones, the proposer submits it, a worker
accepts it at a desk, and it reaches the Party branch's review queue, linked both ways."""

import pytest
from playwright.sync_api import expect

from tests.govworld import gov
from zizhi.proposals.models import Motion

pytestmark = pytest.mark.browser


@pytest.fixture
def people(world, open_as):
    def phone_or_desk(user, phone=True):
        return open_as(user, phone=phone, large_text=phone)

    return gov(world, reps=6), world, phone_or_desk


def test_a_motion_collects_cosignatures_and_reaches_the_review_queue(people):
    g, world, open_as = people
    proposer = open_as(g.reps[0])
    proposer.goto("/c/HD/motions/")
    proposer.get_by_role("link", name="提出议案").click()
    proposer.get_by_label("议案名称").fill("小区增设电动车充电棚")
    proposer.get_by_label("议案内容（建议怎么做）").fill("在2栋和5栋之间增设充电棚，配20个充电口。")
    proposer.get_by_label("理由和依据").fill("楼道充电有火灾隐患，居民多次反映。")
    proposer.get_by_role("button", name="提出并征集联名").click()
    expect(proposer.locator(".messages")).to_contain_text("已通知其他代表联名")
    expect(proposer.get_by_text("还差 5 位")).to_be_visible()
    motion = Motion.objects.get()

    for rep in g.reps[1:6]:
        phone = open_as(rep)
        phone.goto("/accounts/inbox/")
        phone.get_by_role("link", name="小区增设电动车充电棚", exact=False).first.click()
        phone.get_by_role("button", name="我联名").click()
        expect(phone.locator(".messages")).to_contain_text("已保存")
        expect(phone.get_by_role("button", name="撤回我的联名")).to_be_visible()
        phone.context.close()

    proposer.reload()
    expect(proposer.get_by_text("已有 5 位代表联名")).to_be_visible()
    proposer.get_by_role("button", name="提交议案").click()
    expect(proposer.locator(".tag").first).to_have_text("已提交，待受理")

    worker = open_as(world.worker_a, phone=False)
    worker.goto(f"/c/HD/motions/{motion.pk}/")
    worker.get_by_label("转为重大事项的类别").select_option("public_interest")
    worker.get_by_role("button", name="受理，转为重大事项").click()
    expect(worker.get_by_text("已受理，转为重大事项").first).to_be_visible()
    worker.get_by_role("link", name="小区增设电动车充电棚").last.click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("小区增设电动车充电棚")
    expect(worker.get_by_text(motion.number).first).to_be_visible()

    # the Party branch's secretary finds it in the review queue
    secretary = open_as(g.secretary)
    secretary.goto("/c/HD/matters/?state=in_review")
    secretary.get_by_role("link", name="小区增设电动车充电棚").click()
    expect(secretary.get_by_text("党支部审议中").first).to_be_visible()
    secretary.get_by_role("link", name=motion.number, exact=False).first.click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("小区增设电动车充电棚")
