"""The suggestions API: create (resident; worker for a phoned resident), the status by
tracking number and the phone's last four digits (no login, nothing leaked without the
digits, rate-limited), rate, the public board; all in the OpenAPI schema."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from zizhi.proposals import actions
from zizhi.proposals.models import Suggestion

from . import factories as f

API = "/api/v1"


@pytest.fixture(autouse=True)
def clear_cache(db):  # the cache is the database cache (settings.CACHES)
    cache.clear()
    yield
    cache.clear()


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def post(c, path, payload, **extra):
    return c.post(API + path, json.dumps(payload), content_type="application/json", **extra)


BODY = {"community": "HD", "title": "2栋楼道灯坏了", "text": "晚上看不见", "category": "facilities"}


def replied(world):
    s = actions.do_file_suggestion(
        world.hd, title="路灯", text="坏了", category="facilities", actor=world.resident_a
    )
    actions.do_accept_suggestion(s, actor=world.worker_a)
    actions.do_assign_suggestion(s, user=world.worker_a, actor=world.worker_a)
    actions.do_start_suggestion(s, actor=world.worker_a)
    actions.do_reply_suggestion(s, "已修好", actor=world.worker_a)
    return s


def test_resident_creates_and_reads_it(world):
    r = post(client(world.resident_a), "/suggestions", BODY)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["number"].startswith("HD-") and data["status"] == "registered"
    assert data["author"] == "居民" and data["steps"][0]["status"] == "registered"
    assert "phone" not in json.dumps(data)
    assert post(client(), "/suggestions", BODY).status_code == 401
    assert post(client(world.resident_b), "/suggestions", BODY).status_code == 403
    assert post(client(world.resident_a), "/suggestions", {**BODY, "title": " "}).status_code == 400
    bad = {**BODY, "category": "x"}
    assert post(client(world.resident_a), "/suggestions", bad).status_code == 422


def test_worker_enters_for_a_phoned_resident(world):
    caller = f.resident(world.hd, name="王大爷")
    payload = {**BODY, "resident": caller.pk, "channel": "phone"}
    r = post(client(world.worker_a), "/suggestions", payload)
    assert r.status_code == 201 and r.json()["channel"] == "phone"
    assert Suggestion.objects.get(pk=r.json()["id"]).entered_by == world.worker_a
    # other community's worker, and a resident naming someone: refused alike
    assert post(client(world.worker_b), "/suggestions", payload).status_code == 403
    assert post(client(world.resident_a), "/suggestions", payload).status_code == 403
    other = f.resident(world.xh, name="外社区")
    payload["resident"] = other.pk
    assert post(client(world.worker_a), "/suggestions", payload).status_code == 422


def test_status_lookup_leaks_nothing_without_the_digits(world):
    s = replied(world)
    phone = world.resident_a.resident.phone
    wrong = "0000" if phone[-4:] != "0000" else "1111"
    ok = post(client(), "/suggestions/status", {"number": s.number, "last4": phone[-4:]})
    assert ok.status_code == 200
    data = ok.json()
    assert data["status"] == "replied" and data["reply"] == "已修好"
    assert data["author"] == "湖*" + "*" * (len("湖东居民") - 2)
    assert "湖东居民" not in ok.content.decode() and phone not in ok.content.decode()
    wrong_digits = post(client(), "/suggestions/status", {"number": s.number, "last4": wrong})
    unknown = post(client(), "/suggestions/status", {"number": "HD-2026-99999", "last4": "1234"})
    assert wrong_digits.status_code == unknown.status_code == 404
    assert wrong_digits.content == unknown.content
    assert (
        post(client(), "/suggestions/status", {"number": s.number, "last4": "12"}).status_code
        == 422
    )


def test_status_lookup_is_rate_limited(world):
    s = replied(world)
    phone = world.resident_a.resident.phone
    wrong = "0000" if phone[-4:] != "0000" else "1111"
    for _i in range(10):
        assert (
            post(client(), "/suggestions/status", {"number": s.number, "last4": wrong}).status_code
            == 404
        )
    r = post(client(), "/suggestions/status", {"number": s.number, "last4": phone[-4:]})
    assert r.status_code == 429 and "detail" in r.json()


def test_rate(world):
    s = replied(world)
    path = f"/suggestions/{s.pk}/rate"
    assert post(client(), path, {"rating": "satisfied"}).status_code == 401
    assert post(client(world.resident_b), path, {"rating": "satisfied"}).status_code == 403
    assert post(client(world.resident_a), path, {"rating": "great"}).status_code == 422
    r = post(client(world.resident_a), path, {"rating": "dissatisfied", "comment": "没修好"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress" and r.json()["reopened"]
    again = post(client(world.resident_a), path, {"rating": "satisfied"})
    assert again.status_code == 400 and "当前状态" in again.json()["detail"]


def test_board_and_detail_are_public_for_public_ones(world):
    s = replied(world)
    hidden = actions.do_file_suggestion(
        world.hd, title="私事", text="内容", category="other", actor=world.resident_a
    )
    r = client().get(API + "/suggestions?community=HD")
    assert r.status_code == 200
    assert [i["id"] for i in r.json()["items"]] == [s.pk]
    assert client().get(API + f"/suggestions/{s.pk}").status_code == 200
    assert client().get(API + f"/suggestions/{hidden.pk}").status_code == 404
    assert client(world.resident_a).get(API + f"/suggestions/{hidden.pk}").status_code == 200
    assert client(world.worker_b).get(API + f"/suggestions/{hidden.pk}").status_code == 404
    assert client().get(API + "/suggestions?community=ZZ").status_code == 404
    assert client().get(API + "/suggestions?community=HD&order=x").status_code == 422


def test_routes_are_in_the_openapi_schema(db):
    paths = Client().get(API + "/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/suggestions"]
    assert "post" in paths["/api/v1/suggestions/status"]
    assert "post" in paths["/api/v1/suggestions/{suggestion_id}/rate"]
    assert "get" in paths["/api/v1/suggestions/{suggestion_id}"]
