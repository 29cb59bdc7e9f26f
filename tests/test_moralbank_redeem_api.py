"""The Moral Bank API for spending and neighbour help: the catalogue, a redemption posted once
per Idempotency-Key, cancel and fulfil, a branch's redemptions and monthly statement, neighbour
help recorded and confirmed; and the OpenAPI schema lists them."""

import datetime

import pytest

from zizhi.moralbank.actions import redeem
from zizhi.moralbank.models import Account, Entry, EntryKind, Redemption

from .bank_rows import neighbour
from .test_api import API
from .test_moralbank_api import Caller
from .test_moralbank_pages import credited

pytestmark = pytest.mark.django_db


def haircut(b, price=60, stock=None):
    return redeem.do_add_offer(
        b.branch, actor=b.clerk, title="老人理发", kind="service", price_minutes=price, stock=stock
    )


def test_a_redemption_through_the_api_posts_once_per_key(world):
    b = credited(world, 120)
    offer = haircut(b, stock=5)
    me = Caller(world.resident_a)
    listed = me.get("offers").json()["items"]
    assert [(o["title"], o["price_minutes"], o["stock"]) for o in listed] == [("老人理发", 60, 5)]
    assert me.post("redemptions", {"offer_id": offer.pk}).status_code == 422  # no key
    first = me.post("redemptions", {"offer_id": offer.pk}, key="k-1")
    again = me.post("redemptions", {"offer_id": offer.pk}, key="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["code"].startswith("J")
    assert Account.objects.get(pk=b.depositor.pk).balance == 60
    assert Redemption.objects.count() == 1
    # a different offer under the same key: refused, nothing written
    other = haircut(b, price=10)
    reused = me.post("redemptions", {"offer_id": other.pk}, key="k-1")
    assert reused.status_code == 400 and "Idempotency-Key" in reused.json()["detail"]
    too_dear = me.post("redemptions", {"offer_id": haircut(b, price=600).pk}, key="k-2")
    assert too_dear.status_code == 400 and "余额不足" in too_dear.json()["detail"]
    mine = me.get("redemptions").json()["items"]
    assert [r["status"] for r in mine] == ["waiting"]
    # another community's resident cannot see or use this community's offer
    assert (
        Caller(world.resident_b).post("redemptions", {"offer_id": offer.pk}, key="z").status_code
        == 404
    )


def test_cancel_and_fulfil_through_the_api(world):
    b = credited(world, 120)
    offer = haircut(b)
    me, clerk = Caller(world.resident_a), Caller(b.clerk)
    one = me.post("redemptions", {"offer_id": offer.pk}, key="a").json()
    two = me.post("redemptions", {"offer_id": offer.pk}, key="b").json()
    assert (
        Caller(world.resident_b)
        .post(f"redemptions/{one['id']}/cancel", {"reason": "x"})
        .status_code
        == 404
    )
    cancelled = me.post(f"redemptions/{one['id']}/cancel", {"reason": "不去了"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert me.post(f"redemptions/{two['id']}/fulfil").status_code == 403
    waiting = clerk.get(f"branches/{b.branch.pk}/redemptions?status=waiting").json()["items"]
    assert [r["id"] for r in waiting] == [two["id"]]
    assert clerk.post(f"redemptions/{two['id']}/fulfil").json()["status"] == "fulfilled"
    assert Account.objects.get(pk=b.depositor.pk).balance == 60
    made = clerk.post(
        f"branches/{b.branch.pk}/offers",
        {"title": "大米一袋", "kind": "goods", "price_minutes": 90, "stock": 10},
    )
    assert made.status_code == 201 and made.json()["stock"] == 10
    refused = clerk.post(
        f"branches/{b.branch.pk}/offers", {"title": "x", "kind": "?", "price_minutes": 9}
    )
    assert refused.status_code == 400 and "服务或物品" in refused.json()["detail"]


def test_the_monthly_statement_through_the_api(world):
    b = credited(world, 120)
    Caller(world.resident_a).post("redemptions", {"offer_id": haircut(b).pk}, key="s")
    today = datetime.date.today()
    got = Caller(b.clerk).get(f"branches/{b.branch.pk}/statement?month={today:%Y-%m}").json()
    assert got["balanced"] is True and got["closing"]["issuing"] == -60
    kinds = {row["kind"]: row for row in got["rows"]}
    assert kinds["redemption"]["sides"]["issuing"] == 60 and kinds["redemption"]["total"] == 0
    assert Caller(b.clerk).get(f"branches/{b.branch.pk}/statement?month=2026-13").status_code == 400
    assert Caller(world.worker_b).get(f"branches/{b.branch.pk}/statement").status_code == 404


def test_neighbour_help_through_the_api(world, django_capture_on_commit_callbacks):
    from zizhi.moralbank.actions import accounts as acc

    acc.do_open_branch(world.hd, name="社区储蓄所", kind="community", actor=world.worker_a)
    granny = neighbour(world.hd)
    me, her = Caller(world.resident_a), Caller(granny.user)
    body = {
        "neighbour_phone": granny.phone,
        "minutes": 45,
        "service_date": str(datetime.date.today()),
        "content": "换灯泡",
    }
    made = me.post("help", body)
    assert made.status_code == 201 and made.json()["status"] == "pending"
    help_id = made.json()["id"]
    assert me.post(f"help/{help_id}/confirm").status_code == 404  # not the helper
    assert [h["id"] for h in her.get("help").json()["items"]] == [help_id]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = her.post(f"help/{help_id}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["service_record_id"]
    assert Entry.objects.filter(kind=EntryKind.SERVICE_CREDIT, status="pending").count() == 1
    late = me.post("help", {**body, "service_date": "2020-01-01"})
    assert late.status_code == 400 and "30 天" in late.json()["detail"]


def test_the_schema_lists_the_spending_routes(world):
    from django.test import Client

    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/moralbank/offers",
        "/api/v1/moralbank/redemptions",
        "/api/v1/moralbank/redemptions/{redemption_id}/cancel",
        "/api/v1/moralbank/redemptions/{redemption_id}/fulfil",
        "/api/v1/moralbank/branches/{branch_id}/statement",
        "/api/v1/moralbank/help",
        "/api/v1/moralbank/help/{help_id}/confirm",
    ):
        assert path in paths, path
    params = paths["/api/v1/moralbank/redemptions"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in params)
