"""The associations API: public reads, creating an activity, sign-up and cancel, QR scan,
records and certificates, verification; errors in Chinese."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from zizhi.associations import qr
from zizhi.associations.models import ServiceRecord

from . import assoc_rows as rows

pytestmark = pytest.mark.django_db


def api(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_public_reads(world):
    a = rows.association(world.hd, name="集邮协会")
    act = rows.activity(world.hd, world.worker_a, organiser_kind="association", association=a)
    body = api().get("/api/v1/associations?community=HD").json()
    assert [(i["name"], i["members"]) for i in body["items"]] == [("集邮协会", 0)]
    assert api().get(f"/api/v1/activities/{act.pk}").json()["title"] == act.title
    assert api().get("/api/v1/activities?community=NOPE").status_code == 404
    schema = api().get("/api/v1/openapi.json").json()
    assert "/api/v1/activities/{activity_id}/signup" in schema["paths"]
    assert "/api/v1/certificates/verify/{code}" in schema["paths"]


def test_create_sign_up_scan_and_cancel(world):
    start = timezone.now() + datetime.timedelta(minutes=10)
    payload = {
        "community": "HD",
        "title": "义务理发",
        "place": "活动室",
        "capacity": 1,
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
    }
    assert (
        api(world.worker_b)
        .post("/api/v1/activities", payload, content_type="application/json")
        .status_code
        == 403
    )
    created = api(world.worker_a).post(
        "/api/v1/activities", payload, content_type="application/json"
    )
    assert created.status_code == 201
    activity_id = created.json()["id"]
    first = api(world.resident_a).post(f"/api/v1/activities/{activity_id}/signup")
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    second = api(world.resident_b).post(f"/api/v1/activities/{activity_id}/signup")
    assert second.json() == {**second.json(), "status": "waiting", "waiting_position": 1}
    again = api(world.resident_a).post(f"/api/v1/activities/{activity_id}/signup")
    assert again.status_code == 400 and again.json()["detail"] == "已经报过名了"
    from zizhi.associations.models import Activity

    token = qr.current_token(Activity.objects.get(pk=activity_id))
    scanned = api(world.resident_a).post(
        f"/api/v1/activities/{activity_id}/scan", {"token": token}, content_type="application/json"
    )
    assert scanned.status_code == 200 and scanned.json()["check_out_at"] is None
    bad = api(world.resident_a).post(
        f"/api/v1/activities/{activity_id}/scan", {"token": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "二维码已过期" in bad.json()["detail"]
    assert api(world.worker_a).post(f"/api/v1/activities/{activity_id}/signup").status_code == 404
    cancelled = api(world.resident_a).delete(f"/api/v1/activities/{activity_id}/signup")
    assert cancelled.json()["status"] == "cancelled"
    assert api(world.resident_b).post(f"/api/v1/activities/{activity_id}/signup").status_code == 400
    # resident_b moved up from the waiting list
    mine = api(world.resident_b).delete(f"/api/v1/activities/{activity_id}/signup").json()
    assert mine["status"] == "cancelled"


def test_records_certificates_and_verification(world):
    r = world.resident_a.resident
    rows.volunteer(r)
    ended = rows.activity(world.hd, world.worker_a, starts_in_hours=-30, status="attested")
    ServiceRecord.objects.create(
        number="FWHD2026000001",
        resident=r,
        community=world.hd,
        activity=ended,
        service_date=timezone.localdate() - datetime.timedelta(days=1),
        minutes=150,
        category="environment",
        content="清扫楼道",
        organiser="湖东社区",
        attested_by=world.worker_a,
    )
    mine = api(world.resident_a).get("/api/v1/service-records/mine").json()
    assert mine["minutes"] == 150 and mine["records"][0]["number"] == "FWHD2026000001"
    assert api(world.worker_a).get("/api/v1/service-records/mine").status_code == 404
    today = timezone.localdate()
    issued = api(world.resident_a).post(
        "/api/v1/certificates",
        {"period_from": str(today.replace(month=1, day=1)), "period_to": str(today)},
        content_type="application/json",
    )
    assert issued.status_code == 201
    body = issued.json()
    assert body["minutes"] == 150 and body["content"] == "环境卫生 2.5 小时"
    public = api().get(f"/api/v1/certificates/verify/{body['verify_code']}").json()
    assert public["number"] == body["number"] and "verify_code" not in public
    assert api().get("/api/v1/certificates/verify/forged").status_code == 404
    late = api(world.resident_a).post(
        "/api/v1/certificates",
        {"period_from": "2020-01-01", "period_to": "2020-12-31"},
        content_type="application/json",
    )
    assert late.status_code == 400 and late.json()["detail"] == "这段时间没有认定的志愿服务时长"


def test_a_resident_registers_as_a_volunteer(world):
    me = api(world.resident_a)
    assert me.get("/api/v1/volunteers/me").status_code == 404
    made = me.post(
        "/api/v1/volunteers/me",
        {"skills": "理发", "five_olds": "teacher"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["number"] == "HDV00001"
    assert me.get("/api/v1/volunteers/me").json()["skills"] == "理发"
    again = me.post("/api/v1/volunteers/me", {}, content_type="application/json")
    assert again.status_code == 400 and "已经登记为志愿者" in again.json()["detail"]
    bad = api(world.resident_b).post(
        "/api/v1/volunteers/me", {"five_olds": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "五老类别不正确"
