"""The organiser's side of the activities API: change and cancel an activity, the current QR
code, the attendance list with missing check-outs flagged, list check-in/out, adding a
walk-in, entry afterwards and closing attendance; everyone else gets 404."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from zizhi.associations import qr
from zizhi.associations.models import Activity, Attendance, SignUp

from . import assoc_rows as rows
from . import factories as f

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_change_and_cancel(world):
    a = rows.activity(world.hd, world.worker_a, capacity=1)
    SignUp.objects.create(activity=a, resident=world.resident_a.resident, status="confirmed")
    SignUp.objects.create(activity=a, resident=world.resident_b.resident, status="waiting")
    url = f"/api/v1/activities/{a.pk}"
    assert api(world.worker_b).patch(url, {"place": "x"}, content_type=JSON).status_code == 404
    assert api(world.resident_a).patch(url, {"place": "x"}, content_type=JSON).status_code == 404
    r = api(world.worker_a).patch(url, {"place": "3栋", "capacity": None}, content_type=JSON)
    assert r.status_code == 200 and r.json()["place"] == "3栋" and r.json()["capacity"] is None
    assert SignUp.objects.get(resident=world.resident_b.resident).status == "confirmed"
    r = api(world.worker_a).patch(url, {"minors_allowed": None}, content_type=JSON)
    assert r.status_code == 400 and "不能为空" in r.json()["detail"]
    r = api(world.worker_a).patch(url, {"capacity": 1}, content_type=JSON)
    assert r.status_code == 400 and "名额不能少于报名人数" in r.json()["detail"]
    r = api(world.worker_a).post(f"{url}/cancel", {"reason": ""}, content_type=JSON)
    assert r.status_code == 400 and r.json()["detail"] == "请说明取消原因"
    r = api(world.worker_a).post(f"{url}/cancel", {"reason": "暴雨预警"}, content_type=JSON)
    assert r.json()["status"] == "cancelled"
    assert world.resident_a.inbox.filter(subject__contains="活动取消").exists()


def test_the_qr_code_for_the_organisers_app(world):
    running = rows.activity(world.hd, world.worker_a, starts_in_hours=-0.2)
    url = f"/api/v1/activities/{running.pk}/qr"
    assert api(world.resident_a).get(url).status_code == 404
    body = api(world.worker_a).get(url).json()
    assert body["open"] and body["kind"] == "rotating"
    assert qr.kind_of(running, body["token"], timezone.now().timestamp()) == "rotating"
    assert body["url"].endswith(f"/activities/{running.pk}/scan/{body['token']}/")
    until = datetime.datetime.fromisoformat(body["valid_until"])
    assert timezone.now() < until <= timezone.now() + datetime.timedelta(seconds=60)
    door = api(world.worker_a).get(url + "?door=true").json()
    assert door["kind"] == "door" and door["token"] == qr.door_token(running)
    later = rows.activity(world.hd, world.worker_a, starts_in_hours=24)
    closed = api(world.worker_a).get(f"/api/v1/activities/{later.pk}/qr").json()
    assert closed == {**closed, "open": False, "token": "", "url": ""}


def test_list_check_in_walk_in_entry_afterwards_and_close(world):
    a = rows.activity(world.hd, world.worker_a, starts_in_hours=-0.2, capacity=5)
    SignUp.objects.create(activity=a, resident=world.resident_a.resident, status="confirmed")
    base = f"/api/v1/activities/{a.pk}"
    org = api(world.worker_a)
    assert api(world.worker_b).get(f"{base}/attendance").status_code == 404
    ra = world.resident_a.resident.pk
    r = org.post(f"{base}/attendance", {"resident_id": ra, "move": "check_in"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["check_in_source"] == "list"
    again = org.post(
        f"{base}/attendance", {"resident_id": ra, "move": "check_in"}, content_type=JSON
    )
    assert again.status_code == 400 and "已经签到" in again.json()["detail"]
    # someone not on the list cannot be named by id ...
    stranger = f.resident_user(world.hd, "路人").resident
    r = org.post(
        f"{base}/attendance", {"resident_id": stranger.pk, "move": "check_in"}, content_type=JSON
    )
    assert r.status_code == 404
    # ... but is added by phone number, then checked in
    r = org.post(f"{base}/participants", {"key": stranger.phone}, content_type=JSON)
    assert r.status_code == 201 and r.json()["status"] == "confirmed"
    assert org.post(f"{base}/participants", {"key": "000"}, content_type=JSON).status_code == 404
    org.post(
        f"{base}/attendance", {"resident_id": stranger.pk, "move": "check_in"}, content_type=JSON
    )
    lines = {line["resident_id"]: line for line in org.get(f"{base}/attendance").json()}
    assert lines[ra]["missing_check_out"] and lines[stranger.pk]["signup_status"] == "confirmed"
    early = org.post(f"{base}/close")
    assert early.status_code == 400 and "活动结束后" in early.json()["detail"]
    # the activity is over; the stranger's check-out was missed, resident_a's is entered
    Activity.objects.filter(pk=a.pk).update(
        starts_at=a.starts_at - datetime.timedelta(hours=3),
        ends_at=a.ends_at - datetime.timedelta(hours=3),
    )
    Attendance.objects.filter(activity=a).update(
        check_in_at=a.starts_at - datetime.timedelta(hours=3)
    )
    a.refresh_from_db()
    closed = org.post(f"{base}/close").json()
    assert closed["status"] == "ended"
    assert sorted(m["resident_id"] for m in closed["missing_check_out"]) == sorted(
        [ra, stranger.pk]
    )
    entry = org.post(
        f"{base}/attendance/entry",
        {
            "resident_id": ra,
            "check_in_at": a.starts_at.isoformat(),
            "check_out_at": (a.starts_at + datetime.timedelta(minutes=75)).isoformat(),
            "note": "老人没有手机",
        },
        content_type=JSON,
    ).json()
    assert entry["minutes"] == 75 and entry["organiser_entered"]
    assert not entry["missing_check_out"]
    lines = {line["resident_id"]: line for line in org.get(f"{base}/attendance").json()}
    assert lines[stranger.pk]["missing_check_out"] and lines[stranger.pk]["minutes"] is None
    schema = api().get("/api/v1/openapi.json").json()
    assert "/api/v1/activities/{activity_id}/attendance/entry" in schema["paths"]
