"""The Moral Bank's spending pages: the catalogue with a redeem button (a double tap redeems
once), cancelling, the branch desk (fulfil, catalogue), the monthly statement, the verification
QR of a printed passbook, neighbour help recorded and confirmed; query counts stay flat."""

import datetime
import re

import pytest
from django.urls import reverse

from zizhi.moralbank.actions import redeem
from zizhi.moralbank.actions.ledger import Line, record_entry
from zizhi.moralbank.models import Account, Help, Offer, Redemption

from .bank_rows import neighbour
from .test_moralbank_pages import client_for, credited

pytestmark = pytest.mark.django_db


def offers(b, n=1, price=30):
    return [
        redeem.do_add_offer(
            b.branch, actor=b.clerk, title=f"项目{i}", kind="service", price_minutes=price
        )
        for i in range(n)
    ]


def test_redeem_from_the_catalogue_once_per_form(world):
    b = credited(world, 120)
    (offer,) = offers(b)
    page = client_for(world.resident_a).get(reverse("moralbank:redeem"))
    html = page.content.decode()
    assert "项目0" in html and b.branch.name in html
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    c = client_for(world.resident_a)
    for _ in range(2):  # a double tap
        done = c.post(reverse("moralbank:redeem"), {"offer": offer.pk, "key": key}, follow=True)
    assert "兑换成功" in done.content.decode()
    assert Redemption.objects.count() == 1
    assert Account.objects.get(pk=b.depositor.pk).balance == 90
    r = Redemption.objects.get()
    assert r.code in done.content.decode()
    gone = c.post(reverse("moralbank:cancel_redemption", args=[r.pk]), follow=True)
    assert "已取消" in gone.content.decode()
    assert Account.objects.get(pk=b.depositor.pk).balance == 120


def test_the_redeem_page_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    b = credited(world, 600)
    many = offers(b, 12)
    account = Account.objects.select_related("resident", "community").get(pk=b.depositor.pk)
    for i, offer in enumerate(many[:8]):
        redeem.do_redeem(account, offer, actor=world.resident_a, key=f"q{i}")
    c = client_for(world.resident_a)
    with django_assert_max_num_queries(14):
        assert c.get(reverse("moralbank:redeem")).status_code == 200


def test_the_branch_desk_hands_over_and_keeps_the_catalogue(world, django_assert_max_num_queries):
    b = credited(world, 120)
    (offer,) = offers(b)
    account = Account.objects.select_related("resident", "community").get(pk=b.depositor.pk)
    r = redeem.do_redeem(account, offer, actor=world.resident_a, key="d1")
    clerk = client_for(b.clerk)
    desk = reverse("moralbank:branch", args=[b.branch.pk])
    with django_assert_max_num_queries(14):
        page = clerk.get(desk)
    assert (
        r.code in page.content.decode() and world.resident_a.resident.name in page.content.decode()
    )
    done = clerk.post(desk, {"move": "fulfil", "redemption": r.pk}, follow=True)
    assert "已兑付" in done.content.decode()
    assert Redemption.objects.get(pk=r.pk).status == "fulfilled"
    added = clerk.post(
        desk,
        {"move": "add_offer", "title": "修拉链", "kind": "service", "hours": "0.5", "stock": ""},
        follow=True,
    )
    assert "已上架" in added.content.decode()
    assert Offer.objects.get(title="修拉链").price_minutes == 30
    bad = clerk.post(
        desk, {"move": "add_offer", "title": "", "kind": "service", "hours": "1"}, follow=True
    )
    assert "请填写兑换项目的名称" in bad.content.decode()
    off = clerk.post(desk, {"move": "take_off", "offer": offer.pk}, follow=True)
    assert "已下架" in off.content.decode() and not Offer.objects.get(pk=offer.pk).active
    # a resident and another community's worker: 404
    assert client_for(world.resident_a).get(desk).status_code == 404
    assert client_for(world.worker_b).get(desk).status_code == 404


def test_the_monthly_statement_page_balances(world):
    b = credited(world, 120)
    (offer,) = offers(b)
    account = Account.objects.select_related("resident", "community").get(pk=b.depositor.pk)
    redeem.do_redeem(account, offer, actor=world.resident_a, key="m1")
    today = datetime.date.today()
    page = client_for(b.clerk).get(
        reverse("moralbank:branch_statement", args=[b.branch.pk]) + f"?month={today:%Y-%m}"
    )
    html = page.content.decode()
    assert "✓ 平衡" in html and "服务存入" in html and "兑换" in html
    odd = client_for(b.clerk).get(
        reverse("moralbank:branch_statement", args=[b.branch.pk]) + "?month=nonsense"
    )
    assert odd.status_code == 200  # falls back to this month


def test_a_printed_passbook_is_verified_by_its_qr_code(world):
    b = credited(world, 120)
    c = client_for(world.resident_a)
    printed = c.get(reverse("moralbank:statement")).content.decode()
    assert "<svg" in printed and "扫码核验" in printed
    token = re.search(r"/bank/verify/([^/\"]+)/", printed)
    assert token, "the statement carries the verification address"
    # the QR encodes the address; it is printed beside it too
    verify = reverse("moralbank:verify", args=[token.group(1)])
    seen = c.get(verify).content.decode()
    assert "与账本一致" in seen and world.resident_a.resident.name not in seen
    assert world.resident_a.resident.name[0] + "*" in seen
    record_entry(
        "adjustment",
        [Line(b.issuing, -10), Line(b.depositor, 10)],
        actor=world.worker_a,
        community=world.hd,
        key="later",
        memo="调整",
    )
    assert "打印之后又记了 1 笔" in c.get(verify).content.decode()
    assert c.get(reverse("moralbank:verify", args=[token.group(1)[:-2] + "xx"])).status_code == 404


def test_neighbour_help_on_the_pages(world):
    granny = neighbour(world.hd)
    me = client_for(world.resident_a)
    done = me.post(
        reverse("moralbank:help"),
        {
            "phone": granny.phone,
            "date": str(datetime.date.today()),
            "hours": "1",
            "content": "修水龙头",
        },
        follow=True,
    )
    assert "已记录" in done.content.decode()
    unknown = me.post(
        reverse("moralbank:help"),
        {"phone": "13000000000", "date": str(datetime.date.today()), "hours": "1", "content": "x"},
        follow=True,
    )
    assert "请填写本社区邻居登记的手机号" in unknown.content.decode()
    her = client_for(granny.user)
    page = her.get(reverse("moralbank:help")).content.decode()
    assert "请您确认" in page and "修水龙头" in page
    h = Help.objects.get()
    confirmed = her.post(
        reverse("moralbank:decide_help", args=[h.pk]), {"move": "confirm"}, follow=True
    )
    assert "已确认" in confirmed.content.decode()
    assert Help.objects.get().status == "confirmed"


def test_a_guardian_sees_and_spends_a_minors_account(world):
    from zizhi.moralbank.actions import accounts as acc

    from . import factories as f

    b = credited(world, 60)
    child = f.resident(world.hd, "小明", born=datetime.date(2016, 5, 1))
    child.user = f.user(phone=child.phone, name="小明")
    child.save()
    ward = acc.do_open_account(child, actor=world.worker_a, guardian=world.resident_a.resident)
    record_entry(
        "adjustment",
        [Line(b.issuing, -45), Line(ward, 45)],
        actor=world.worker_a,
        community=world.hd,
        key="child",
        memo="奖励",
    )
    (offer,) = offers(b)
    guardian = client_for(world.resident_a)
    assert "小明" in guardian.get(reverse("moralbank:account")).content.decode()
    assert "小明" in guardian.get(reverse("web:home")).content.decode()
    page = guardian.get(reverse("moralbank:account") + f"?account={ward.pk}").content.decode()
    assert "小明的道德银行" in page and "您是监护人" in page
    redeem_url = reverse("moralbank:redeem")
    key = re.search(
        r'name="key" value="([^"]+)"',
        guardian.get(redeem_url + f"?account={ward.pk}").content.decode(),
    ).group(1)
    done = guardian.post(redeem_url, {"offer": offer.pk, "key": key, "account": ward.pk})
    assert done.status_code == 302 and done["Location"].endswith(f"?account={ward.pk}")
    assert Account.objects.get(pk=ward.pk).balance == 15
    assert Account.objects.get(pk=b.depositor.pk).balance == 60  # the guardian's own untouched
    # the child, and anyone else, cannot spend it through the pages
    for user in (child.user, world.resident_b):
        assert client_for(user).get(redeem_url + f"?account={ward.pk}").status_code == 404


def test_a_clerk_who_is_not_a_resident_finds_the_branch_from_home(world):
    b = credited(world, 30)
    home = client_for(b.clerk).get(reverse("web:home")).content.decode()
    assert reverse("moralbank:branch", args=[b.branch.pk]) in home
    assert reverse("moralbank:approvals") in home
