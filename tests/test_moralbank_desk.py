"""The community's Moral Bank desk for staff: open a branch, name a clerk, grant from the pool
by a recorded decision, reverse an entry with its reason; other communities' staff get 404."""

import pytest
from django.test import Client

from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows
from zizhi.moralbank.models import Account, Branch, Clerk, Entry

from . import factories as f
from .bank_rows import bank, service_record

pytestmark = pytest.mark.django_db
DESK = "/c/HD/bank/"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_staff_run_the_bank_from_the_desk(world):
    staff = client_for(world.worker_a)
    staff.post(DESK, {"move": "open_branch", "name": "爱心理发店", "kind": "merchant"})
    branch = Branch.objects.get(name="爱心理发店")
    assert branch.accounts.count() == 2 and branch.kind == "merchant"
    barber = f.user(name="理发师")
    staff.post(DESK, {"move": "add_clerk", "branch": branch.pk, "phone": barber.phone})
    assert Clerk.objects.filter(branch=branch, user=barber).exists()
    bad = staff.post(DESK, {"move": "add_clerk", "branch": branch.pk, "phone": "1"}, follow=True)
    assert "请选择储蓄所，并填写已开通账号的手机号" in bad.content.decode()

    b = bank(world)
    entry = flows.do_approve_credit(
        flows.do_request_credit(
            service_record(world, world.resident_a.resident, 90), b.branch, actor=world.worker_a
        ),
        actor=b.clerk,
    )
    flows.do_donate(
        Account.objects.select_related("resident", "community").get(pk=b.depositor.pk),
        60,
        actor=world.resident_a,
        key="d1",
    )
    alone = f.resident(world.hd, name="独居老人", phone="13912345678")
    form = {"move": "grant", "phone": alone.phone, "hours": "0.5", "key": "g1"}
    refused = staff.post(DESK, {**form, "decision": ""}, follow=True)
    assert "请写明发放依据" in refused.content.decode()
    staff.post(DESK, {**form, "decision": "居委会会议决定", "key": "g2"})
    assert Account.objects.get(resident=alone).balance == 30
    assert Account.objects.get(community=world.hd, kind="pool").balance == 30

    no_credit = staff.post(
        DESK, {"move": "reverse", "entry": entry.number, "reason": "误记"}, follow=True
    )
    assert "余额不足" in no_credit.content.decode()  # 60 of the 90 were donated
    page = staff.get(DESK).content.decode()
    assert "社区捐赠池：30分钟" in page and "爱心理发店" in page and "理发师" in page
    assert entry.number in page


def test_a_reversal_from_the_desk_and_other_communities_get_404(world):
    b = bank(world)
    entry = flows.do_approve_credit(
        flows.do_request_credit(
            service_record(world, world.resident_a.resident, 40), b.branch, actor=world.worker_a
        ),
        actor=b.clerk,
    )
    staff = client_for(world.worker_a)
    staff.post(DESK, {"move": "reverse", "entry": entry.number, "reason": "活动未举行"})
    assert Entry.objects.get(reverses=entry).reason == "活动未举行"
    assert Account.objects.get(pk=b.depositor.pk).balance == 0
    for outsider in (world.worker_b, world.resident_a):
        assert client_for(outsider).get(DESK).status_code == 404
        assert (
            client_for(outsider).post(DESK, {"move": "open_branch", "name": "x"}).status_code == 404
        )
    assert not Branch.objects.filter(name="x").exists()
    assert acc.pool_of(world.hd).balance == 0
