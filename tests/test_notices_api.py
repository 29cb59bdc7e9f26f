"""Notices API: public reads, staff writes, residents' objections, the OpenAPI schema."""

import json

import pytest
from django.test import Client

from zizhi.accounts.actions import do_create_api_token
from zizhi.notices import actions
from zizhi.notices.models import Notice, NoticeStatus, Objection

from .test_notices import draft, expire, published

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def as_user(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(client, path, data=None, **extra):
    return client.post(
        f"{API}{path}", json.dumps(data or {}), content_type="application/json", **extra
    )


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["items"]}


def test_schema_lists_every_notice_route(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/notices",
        "/api/v1/notices/{notice_id}",
        "/api/v1/notices/{notice_id}/publish",
        "/api/v1/notices/{notice_id}/withdraw",
        "/api/v1/notices/{notice_id}/objections",
        "/api/v1/objections/{objection_id}/answer",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/notices/{notice_id}/objections"]) == {"get", "post"}


def test_the_public_list_has_published_notices_and_staff_also_see_drafts(world):
    public, hidden = published(world), draft(world)
    xh = actions.publish_notice(
        world.xh, category="other", title="西湖公示", body="b", actor=world.worker_b
    )
    response = as_user().get(f"{API}/notices?community=HD")
    assert response.status_code == 200 and ids(response) == {public.pk}
    item = response.json()["items"][0]
    assert item["community"] == "HD" and item["number"] == public.number
    assert item["state"] == "published" and item["url"] == f"/c/HD/notices/{public.pk}/"
    assert ids(as_user(world.worker_a).get(f"{API}/notices?community=HD")) == {public.pk, hidden.pk}
    assert ids(as_user(world.worker_b).get(f"{API}/notices?community=HD")) == {public.pk}
    assert ids(as_user().get(f"{API}/notices")) == {public.pk, xh.pk}
    assert as_user().get(f"{API}/notices?community=NOPE").status_code == 404


def test_a_bearer_token_sees_what_its_user_sees(world):
    hidden = draft(world)
    key = do_create_api_token("t", actor=world.worker_a)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert hidden.pk in ids(client.get(f"{API}/notices?community=HD&state=draft"))
    assert client.get(f"{API}/notices/{hidden.pk}").status_code == 200


def test_filters_by_state_and_category(world):
    current = published(world, category="finance")
    old = expire(published(world, category="rules"))
    gone = actions.do_withdraw_notice(published(world), "重复", actor=world.worker_a)
    client = as_user()
    assert ids(client.get(f"{API}/notices?state=current")) == {current.pk}
    assert ids(client.get(f"{API}/notices?state=expired")) == {old.pk}
    assert ids(client.get(f"{API}/notices?state=withdrawn")) == {gone.pk}
    assert ids(client.get(f"{API}/notices?category=rules")) == {old.pk}
    bad = client.get(f"{API}/notices?state=nope")
    assert bad.status_code == 422 and "不支持的状态" in bad.json()["detail"]
    assert client.get(f"{API}/notices?category=x").status_code == 422


def test_get_one_hides_drafts_from_the_public(world):
    hidden = draft(world)
    assert as_user().get(f"{API}/notices/{hidden.pk}").status_code == 404
    assert as_user(world.resident_a).get(f"{API}/notices/{hidden.pk}").status_code == 404
    assert as_user(world.worker_a).get(f"{API}/notices/{hidden.pk}").json()["status"] == "draft"


def test_staff_create_publish_and_withdraw(world):
    client = as_user(world.worker_a)
    payload = {"community": "HD", "category": "finance", "title": "财务公开", "body": "明细"}
    created = post(client, "/notices", payload)
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and body["period_days"] == 7 and body["number"] == ""
    notice_id = body["id"]
    published_ = post(client, f"/notices/{notice_id}/publish")
    assert published_.status_code == 200
    assert published_.json()["status"] == "published" and published_.json()["number"]
    again = post(client, f"/notices/{notice_id}/publish")
    assert again.status_code == 400 and "公示不能从" in again.json()["detail"]
    no_reason = post(client, f"/notices/{notice_id}/withdraw", {"reason": " "})
    assert no_reason.status_code == 400 and "撤回原因" in no_reason.json()["detail"]
    done = post(client, f"/notices/{notice_id}/withdraw", {"reason": "金额有误"})
    assert done.status_code == 200 and done.json()["withdraw_reason"] == "金额有误"
    assert Notice.objects.get().status == NoticeStatus.WITHDRAWN


def test_bad_input_answers_400_or_422_in_chinese(world):
    client = as_user(world.worker_a)
    bad = post(client, "/notices", {"community": "HD", "category": "x", "title": "", "body": ""})
    assert bad.status_code == 400 and "请填写标题" in bad.json()["detail"]
    too_long = post(
        client,
        "/notices",
        {"community": "HD", "category": "other", "title": "t", "body": "b", "period_days": 0},
    )
    assert too_long.status_code == 422
    assert post(client, "/notices", {"title": "t"}).status_code == 422
    assert not Notice.objects.exists()


def test_others_cannot_create_or_publish(world):
    payload = {"community": "HD", "category": "other", "title": "t", "body": "b"}
    assert post(as_user(), "/notices", payload).status_code == 401
    assert post(as_user(world.worker_b), "/notices", payload).status_code == 404
    assert post(as_user(world.resident_a), "/notices", payload).status_code == 404
    hidden = draft(world)
    assert post(as_user(world.worker_b), f"/notices/{hidden.pk}/publish").status_code == 404
    public = published(world)
    denied = post(as_user(world.worker_b), f"/notices/{public.pk}/withdraw", {"reason": "x"})
    assert denied.status_code == 404


def test_objections_filed_listed_and_answered(world):
    notice = published(world)
    path = f"/notices/{notice.pk}/objections"
    assert post(as_user(), path, {"text": "x"}).status_code == 401
    refused = post(as_user(world.resident_b), path, {"text": "x"})
    assert refused.status_code == 403 and "只有本社区的居民" in refused.json()["detail"]
    filed = post(as_user(world.resident_a), path, {"text": "金额不对"})
    assert filed.status_code == 201
    objection_id = filed.json()["id"]
    assert filed.json()["resident_name"] is None

    assert as_user().get(f"{API}{path}").json() == []
    mine = as_user(world.resident_a).get(f"{API}{path}").json()
    assert [o["id"] for o in mine] == [objection_id]
    staff = as_user(world.worker_a).get(f"{API}{path}").json()
    assert staff[0]["resident_name"] == world.resident_a.name

    answer = f"/objections/{objection_id}/answer"
    assert post(as_user(world.worker_b), answer, {"answer": "x"}).status_code == 404
    assert post(as_user(world.resident_a), answer, {"answer": "x"}).status_code == 404
    ok = post(as_user(world.worker_a), answer, {"answer": "已核对"})
    assert ok.status_code == 200 and ok.json()["answer"] == "已核对"
    assert post(as_user(world.worker_a), answer, {"answer": "再"}).status_code == 400
    public = as_user().get(f"{API}{path}").json()
    assert public[0]["answer"] == "已核对" and public[0]["resident_name"] is None


def test_no_objection_after_the_period(world):
    notice = expire(published(world))
    late = post(as_user(world.resident_a), f"/notices/{notice.pk}/objections", {"text": "迟"})
    assert late.status_code == 400 and "公示期已过" in late.json()["detail"]
    assert not Objection.objects.exists()


def test_list_query_count_does_not_grow_with_notices(world, django_assert_max_num_queries):
    for _ in range(12):
        published(world)
    client = as_user()
    with django_assert_max_num_queries(6):
        assert len(client.get(f"{API}/notices?community=HD").json()["items"]) == 12
