"""The charter and duty-report API: public reads, staff writes with reasons, drafts hidden,
an appraisal ballot through the polls API, and the routes in the OpenAPI schema."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from zizhi.governance import actions as a
from zizhi.governance.models import Body, BodyKind, Membership

from .govworld import gov, member
from .test_api import API
from .test_governance_api import Caller, ok


@pytest.fixture
def staff(world):
    return Caller(world.worker_a)


def put(caller, path, data):
    return caller.client.put(
        f"{API}/{path}", json.dumps(data), content_type="application/json", **caller.auth
    )


def test_charter_reads_are_public_and_drafts_are_staff_only(world, staff):
    anon = Client()
    body = ok(anon.get(f"{API}/charter/HD"))
    assert body["number"] == 1 and body["motion_cosigners"] == 5 and body["status"] == "in_force"
    draft = ok(staff.post("charter/HD/versions"), 201)
    assert draft["number"] == 2 and draft["status"] == "draft"
    assert [v["number"] for v in ok(anon.get(f"{API}/charter/HD/versions"))] == [1]
    assert anon.get(f"{API}/charter/HD/versions/2").status_code == 404
    assert [v["number"] for v in ok(staff.get("charter/HD/versions"))] == [2, 1]
    assert Caller(world.worker_b).post("charter/HD/versions").status_code == 404
    assert anon.post(f"{API}/charter/HD/versions").status_code == 401


def test_edit_propose_and_the_diff_through_the_api(world, staff):
    ok(staff.post("charter/HD/versions"), 201)
    bad = put(staff, "charter/HD/versions/2", {"text": "x", "numbers": {"quorum_den": 0}})
    assert bad.status_code == 400 and "分母须大于0" in bad.json()["detail"]
    edited = ok(
        put(
            staff,
            "charter/HD/versions/2",
            {"text": "第一条 新。", "numbers": {"motion_cosigners": 9}},
        )
    )
    assert edited["motion_cosigners"] == 9 and edited["meeting_notice_days"] == 3
    assert len(edited["bylaws"]) == 8  # the eight rules, unchanged when not sent
    proposed = ok(staff.post("charter/HD/versions/2/propose"))
    assert proposed["status"] == "proposed" and proposed["matter_id"]
    again = put(staff, "charter/HD/versions/2", {"text": "y"})
    assert again.status_code == 400 and "不能再修改" in again.json()["detail"]
    one = ok(Client().get(f"{API}/charter/HD/versions/2"))
    assert "+居民议案须有代表附议：9人以上" in one["diff"]
    assert "-居民议案须有代表附议：5人以上" in one["diff"]
    assert ok(Client().get(f"{API}/charter/HD"))["number"] == 1  # not in force before the vote


def test_reports_api_schedule_publish_appraise_and_vote(world, staff):
    g = gov(world, reps=3)
    rc = Body.objects.create(
        kind=BodyKind.RESIDENTS_COMMITTEE, name="居委会", subdistrict=world.dh, community=world.hd
    )
    member(rc, "chair", "主任", with_user=False)
    chair = Membership.objects.get(body=rc)
    meeting = a.do_convene_meeting(
        g.assembly,
        title="述职大会",
        starts_at=timezone.now() + timezone.timedelta(days=5),
        place="活动室",
        items=[("开幕", "", None)],
        actor=world.worker_a,
    )
    data = {
        "cadre_id": chair.pk,
        "period": "2026年度",
        "scheduled_on": str(timezone.localdate()),
        "meeting_id": meeting.pk,
    }
    report = ok(staff.post("reports?community=HD", data), 201)
    dup = staff.post("reports?community=HD", data)
    assert dup.status_code == 400 and "已安排" in dup.json()["detail"]
    anon = Client()
    assert ok(anon.get(f"{API}/reports?community=HD"))["count"] == 0
    assert anon.get(f"{API}/reports/{report['id']}").status_code == 404
    ok(staff.post(f"reports/{report['id']}/publish", {"text": "述职全文"}))
    assert ok(anon.get(f"{API}/reports?community=HD"))["count"] == 1
    appraised = ok(staff.post(f"reports/{report['id']}/appraisal", {}), 201)
    poll_id = appraised["poll_id"]
    poll = ok(staff.get(f"polls/{poll_id}"))
    assert poll["kind"] == "appraisal" and poll["secret"] is True
    a.do_notify_meeting(meeting, actor=world.worker_a)
    a.do_open_meeting(meeting, actor=world.worker_a)
    for u in g.reps:
        a.do_sign_in(meeting, meeting.signin_token, actor=u)
    ok(staff.post(f"polls/{poll_id}/open"))
    voters = [Caller(u) for u in g.reps]
    wrong = voters[0].post(f"polls/{poll_id}/ballots", {"choice": "yes"})
    assert wrong.status_code == 400 and "满意、基本满意或不满意" in wrong.json()["detail"]
    for v, choice in zip(voters, ["satisfied", "basically", "dissatisfied"], strict=True):
        ok(v.post(f"polls/{poll_id}/ballots", {"choice": choice}), 201)
    ok(staff.post(f"polls/{poll_id}/close"))
    done = ok(anon.get(f"{API}/reports/{report['id']}"))
    assert done["status"] == "appraised"
    assert done["appraisal"]["result_text"] == (
        "满意 1 票（33.3%），基本满意 1 票（33.3%），不满意 1 票（33.3%）"
    )


def test_routes_are_in_the_openapi_schema():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    for path in [
        "/charter/{code}",
        "/charter/{code}/versions",
        "/charter/{code}/versions/{number}",
        "/charter/{code}/versions/{number}/propose",
        "/reports",
        "/reports/{report_id}",
        "/reports/{report_id}/publish",
        "/reports/{report_id}/appraisal",
    ]:
        assert f"{API}{path}" in paths, path
