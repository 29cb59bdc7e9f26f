"""The Moral Bank in real browsers: resident_a records on a phone an hour and a half of help
to a neighbour; the neighbour confirms it in large text; the community branch's clerk approves
the credit on a desk; resident_a redeems a haircut at the merchant's branch; the merchant hands it over; the
monthly statement balances; the printed passbook's verification address says it agrees."""

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.bank_rows import neighbour
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import redeem
from zizhi.moralbank.models import Account, Redemption

pytestmark = pytest.mark.browser


def clerk_of(world, branch, name):
    user = f.user(name=name)
    acc.do_add_clerk(branch, user, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    return user


def test_help_credit_redeem_and_verify(world, open_as, output_dir):
    own = acc.do_open_branch(
        world.hd, name="湖东社区储蓄所", kind="community", actor=world.worker_a
    )
    shop = acc.do_open_branch(
        world.hd, name="爱心商户储蓄所", kind="merchant", actor=world.worker_a
    )
    own_clerk = clerk_of(world, own, "社区管理员")
    shop_clerk = clerk_of(world, shop, "理发店店主")
    redeem.do_add_offer(shop, actor=shop_clerk, title="老人理发", kind="service", price_minutes=60)
    granny = neighbour(world.hd, "王奶奶")
    me = world.resident_a.resident

    helper = open_as(world.resident_a)
    helper.goto("/bank/help/")
    helper.get_by_label("邻居的手机号（社区登记的）").fill(granny.phone)
    helper.get_by_label("小时数").fill("1.5")
    helper.get_by_label("帮了什么").fill("陪同去医院")
    helper.get_by_role("button", name="记录").click()
    expect(helper.locator(".messages")).to_contain_text("已记录")

    her = open_as(granny.user, large_text=True)
    her.goto("/")
    her.get_by_role("link", name="邻里互助").click()
    expect(her.get_by_role("strong").filter(has_text="陪同去医院")).to_be_visible()
    her.get_by_role("button", name="是的，确认").click()
    expect(her.locator(".messages")).to_contain_text("已确认")

    desk = open_as(own_clerk, phone=False)
    desk.goto("/bank/approvals/")
    desk.get_by_role("button", name="审核入账").click()
    expect(desk.locator(".messages")).to_contain_text("已入账")
    assert Account.objects.get(resident=me).balance == 90

    # resident_a redeems at the merchant's branch, not where the time was earned
    helper.goto("/bank/")
    helper.get_by_role("link", name="兑换服务和物品").first.click()
    helper.get_by_role("button", name="兑换").click()
    expect(helper.locator(".messages")).to_contain_text("兑换成功")
    code = Redemption.objects.get().code
    expect(helper.get_by_text(code)).to_be_visible()
    helper.screenshot(path=str(output_dir / "bank-redeem-phone.png"), full_page=True)

    shop_desk = open_as(shop_clerk, phone=False)
    shop_desk.goto(f"/bank/branches/{shop.pk}/")
    expect(shop_desk.get_by_role("cell", name=code)).to_be_visible()
    shop_desk.get_by_role("button", name="已交付").click()
    expect(shop_desk.locator(".messages")).to_contain_text("已兑付")
    shop_desk.get_by_role("link", name="月度对账单").click()
    expect(shop_desk.get_by_text("✓ 平衡")).to_be_visible()
    shop_desk.screenshot(path=str(output_dir / "bank-branch-statement.png"), full_page=True)

    helper.goto("/bank/statement/")
    expect(helper.get_by_role("img", name="扫码核验这份存折")).to_be_visible()
    helper.get_by_role("link", name="核验地址").click()
    expect(helper.get_by_text("这份存折与账本一致。")).to_be_visible()
    assert Account.objects.get(resident=me).balance == 30
