"""The Moral Bank's pages: a depositor's account in large text with the passbook and the
gift/donation form (a double tap posts once), the printable statement, a clerk's approvals."""

import pytest
from django.test import Client

from zizhi.moralbank.actions import flows
from zizhi.moralbank.models import Account, Entry

from . import factories as f
from .bank_rows import bank, service_record

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def credited(world, minutes=120):
    b = bank(world)
    rec = service_record(world, world.resident_a.resident, minutes)
    flows.do_approve_credit(
        flows.do_request_credit(rec, b.branch, actor=world.worker_a), actor=b.clerk
    )
    return b


def test_a_depositor_sees_the_account_and_gives_once_per_form(world, django_assert_max_num_queries):
    credited(world)
    wife = f.resident(world.hd, name="王妻", hh=world.resident_a.resident.household)
    me = client_for(world.resident_a)
    assert "我的道德银行" in me.get("/").content.decode()
    with django_assert_max_num_queries(15):
        page = me.get("/bank/").content.decode()
    assert "可用时间：2小时" in page and "志愿服务累计 120 分钟" in page and "家人 王妻" in page
    form = {"to": wife.pk, "hours": "0.5", "key": "form-1"}
    assert me.post("/bank/give/", form).status_code == 302
    assert me.post("/bank/give/", form).status_code == 302  # a double tap
    assert Entry.objects.filter(kind="gift").count() == 1
    assert Account.objects.get(resident=wife).balance == 30
    bad = me.post("/bank/give/", {"to": "pool", "hours": "abc", "key": "form-2"}, follow=True)
    assert "请填写大于零的小时数" in bad.content.decode()
    over = me.post("/bank/give/", {"to": "pool", "hours": "5", "key": "form-3"}, follow=True)
    assert "余额不足" in over.content.decode()
    me.post("/bank/give/", {"to": "pool", "hours": "1", "key": "form-4"})
    page = me.get("/bank/").content.decode()
    assert "可用时间：30分钟" in page and "+120" in page and "-30" in page
    sheet = me.get("/bank/statement/").content.decode()
    assert "道德银行存折" in sheet and "王妻" in sheet and 'class="a4 sheet"' in sheet
    assert client_for(world.resident_b).get("/bank/").status_code == 404  # no account


def test_a_clerk_approves_and_rejects_on_the_page(world):
    b = bank(world)
    entries = [
        flows.do_request_credit(
            service_record(world, world.resident_a.resident, m), b.branch, actor=world.worker_a
        )
        for m in (60, 45)
    ]
    clerk = client_for(b.clerk)
    page = clerk.get("/bank/approvals/").content.decode()
    assert page.count("审核入账") == 2 and "陪伴独居老人" in page
    clerk.post(f"/bank/approvals/{entries[0].pk}/", {"move": "approve"})
    refused = clerk.post(f"/bank/approvals/{entries[1].pk}/", {"move": "reject"}, follow=True)
    assert "请写明原因" in refused.content.decode()
    clerk.post(f"/bank/approvals/{entries[1].pk}/", {"move": "reject", "reason": "重复登记"})
    assert [e.status for e in Entry.objects.order_by("pk")] == ["posted", "rejected"]
    assert client_for(world.worker_a).get("/bank/approvals/").status_code == 404
    assert (
        client_for(world.worker_a)
        .post(f"/bank/approvals/{entries[0].pk}/", {"move": "approve"})
        .status_code
        == 404
    )
