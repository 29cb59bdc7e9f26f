"""The Moral Bank API: own account and passbook, gifts and donations with a required
Idempotency-Key, a clerk's approvals; and the OpenAPI schema lists them."""

import json

import pytest
from django.test import Client

from zizhi.accounts.actions import do_create_api_token
from zizhi.moralbank.actions import flows
from zizhi.moralbank.models import Account, Entry

from . import factories as f
from .bank_rows import bank, service_record
from .test_api import API

pytestmark = pytest.mark.django_db


class Caller:
    def __init__(self, user):
        self.client = Client()
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token('t', actor=user)}"}

    def get(self, path):
        return self.client.get(f"{API}/moralbank/{path}", **self.auth)

    def post(self, path, data=None, key=None):
        headers = dict(self.auth)
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return self.client.post(
            f"{API}/moralbank/{path}",
            json.dumps(data or {}),
            content_type="application/json",
            **headers,
        )


def test_a_depositor_sees_credit_beside_honour_and_gives_once_per_key(world):
    b = bank(world)
    rec = service_record(world, world.resident_a.resident, 120)
    flows.do_approve_credit(
        flows.do_request_credit(rec, b.branch, actor=world.worker_a), actor=b.clerk
    )
    son = f.resident(world.hd, name="李儿", hh=world.resident_a.resident.household)
    me = Caller(world.resident_a)

    account = me.get("accounts/me").json()
    assert account["balance_minutes"] == 120 and account["honour_minutes"] == 120
    assert {"id": son.pk, "name": "李儿"} in account["family"]

    first = me.post("gifts", {"to_resident_id": son.pk, "minutes": 30}, key="k-1")
    assert first.status_code == 201, first.content
    again = me.post("gifts", {"to_resident_id": son.pk, "minutes": 30}, key="k-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = me.post("gifts", {"to_resident_id": son.pk, "minutes": 31}, key="k-1")
    assert other.status_code == 400 and "已用于另一笔" in other.json()["detail"]
    assert me.post("gifts", {"to_resident_id": son.pk, "minutes": 30}).status_code == 422
    too_much = me.post("donations", {"minutes": 500}, key="k-2")
    assert too_much.status_code == 400 and "余额不足" in too_much.json()["detail"]
    assert me.post("donations", {"minutes": 40}, key="k-3").status_code == 201

    after = me.get("accounts/me").json()
    assert after["balance_minutes"] == 50 and after["honour_minutes"] == 120  # honour stays
    lines = me.get("accounts/me/passbook").json()["items"]
    assert [(x["kind"], x["minutes"], x["balance_after"]) for x in lines] == [
        ("service_credit", 120, 120),
        ("gift", -30, 90),
        ("donation", -40, 50),
    ]
    assert Account.objects.get(resident=son).balance == 30
    # someone without an account
    assert Caller(world.resident_b).get("accounts/me").status_code == 404


def test_a_clerk_approves_and_rejects_pending_credits(world):
    b = bank(world)
    first, second = (
        flows.do_request_credit(
            service_record(world, world.resident_a.resident, m), b.branch, actor=world.worker_a
        )
        for m in (60, 90)
    )
    clerk = Caller(b.clerk)
    listed = clerk.get("approvals").json()["items"]
    assert [e["id"] for e in listed] == [first.pk, second.pk]
    assert Caller(world.worker_a).get("approvals").json()["items"] == []
    assert Caller(world.worker_a).post(f"entries/{first.pk}/approve").status_code == 404
    done = clerk.post(f"entries/{first.pk}/approve")
    assert done.status_code == 200 and done.json()["status"] == "posted"
    assert clerk.post(f"entries/{second.pk}/reject", {"reason": ""}).status_code == 400
    rejected = clerk.post(f"entries/{second.pk}/reject", {"reason": "活动未举行"})
    assert rejected.json()["status"] == "rejected"
    assert Entry.objects.get(pk=second.pk).reason == "活动未举行"
    assert Account.objects.get(resident=world.resident_a.resident).balance == 60
    again = clerk.post(f"entries/{first.pk}/approve")
    assert again.status_code == 400


def test_the_schema_lists_the_bank(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in ("/accounts/me", "/accounts/me/passbook", "/gifts", "/donations", "/approvals"):
        assert f"{API}/moralbank{path}" in paths
    gift = paths[f"{API}/moralbank/gifts"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in gift["parameters"])
