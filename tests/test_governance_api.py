"""The governance API with bearer tokens: a full online poll (Idempotency-Key), closed polls,
scope (404 for another community), the matter workflow's moves, schema and query counts."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from zizhi.accounts.actions import do_create_api_token
from zizhi.governance.models import Ballot, Body, Matter, MemberRole, Membership
from zizhi.notices.models import Notice

from .govworld import gov, member
from .test_api import API, FULL_ID_NUMBER

NOT_FOUND = "未找到，或您无权查看"


class Caller:
    """An API client for one user, with a bearer token."""

    def __init__(self, user):
        self.user = user
        self.client = Client()
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token('t', actor=user)}"}

    def get(self, path):
        return self.client.get(f"{API}/{path}", **self.auth)

    def post(self, path, data=None, **headers):
        body = json.dumps(data if data is not None else {})
        return self.client.post(
            f"{API}/{path}", body, content_type="application/json", **self.auth, **headers
        )


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


@pytest.fixture
def g(world):
    return gov(world, reps=5)


@pytest.fixture
def staff(world):
    return Caller(world.worker_a)


@pytest.fixture
def reps(g):
    return [Caller(u) for u in g.reps]


def convene(staff, g, days=10, items=None):
    starts = (timezone.localtime() + datetime.timedelta(days=days)).replace(tzinfo=None)
    return ok(
        staff.post(
            "meetings",
            {
                "body_id": g.assembly.pk,
                "title": "第三次居民代表大会",
                "starts_at": starts.isoformat(),  # no zone: read as Beijing time
                "place": "社区活动室",
                "items": items or [{"title": "加装电梯方案", "text": "3栋"}],
            },
        ),
        201,
    )


def open_meeting(staff, reps, g):
    meeting = convene(staff, g)
    mid = meeting["id"]
    ok(staff.post(f"meetings/{mid}/notify"))
    assert ok(staff.post(f"meetings/{mid}/open"))["status"] == "in_progress"
    for rep in reps:
        row = ok(rep.post(f"meetings/{mid}/sign-in", {"token": meeting["signin_token"]}))
        assert row["present"] and row["method"] == "qr"
    return meeting


def key(n):
    return {"HTTP_IDEMPOTENCY_KEY": f"ballot-{n}"}


def test_a_full_online_poll(world, g, staff, reps):
    elder = Membership.objects.get(pk=_elder(g).pk)
    meeting = convene(staff, g)
    mid = meeting["id"]
    assert meeting["signin_token"] and meeting["expected"] is None
    seen_by_rep = ok(reps[0].get(f"meetings/{mid}"))
    assert seen_by_rep["signin_token"] is None
    assert seen_by_rep["rule"]["quorum_words"] == "本组织全体成员三分之二以上出席"
    assert seen_by_rep["rule"]["source"] == "社区自治章程（平台默认条款）"
    ok(staff.post(f"meetings/{mid}/notify"))
    assert ok(staff.post(f"meetings/{mid}/open"))["expected"] == 6
    for rep in reps:
        ok(rep.post(f"meetings/{mid}/sign-in", {"token": meeting["signin_token"]}))
    ok(reps[0].post(f"meetings/{mid}/sign-in", {"token": meeting["signin_token"]}))  # again
    bad = reps[0].post(f"meetings/{mid}/sign-in", {"token": "nope"})
    assert bad.status_code == 400 and "签到码不正确" in bad.json()["detail"]
    ticked = ok(staff.post(f"meetings/{mid}/attendance", {"membership_id": elder.pk}))
    assert ticked["present"] and ticked["method"] == "staff"
    attendance = ok(reps[1].get(f"meetings/{mid}/attendance"))
    assert (attendance["expected"], attendance["present"], attendance["quorum_met"]) == (6, 6, True)
    assert attendance["quorum_text"] == "应到6人，实到6人，达到三分之二以上"

    item = ok(staff.get(f"meetings/{mid}"))["items"][0]
    poll = ok(staff.post(f"agenda-items/{item['id']}/polls", {"question": "是否同意方案"}), 201)
    pid = poll["id"]
    forbidden = reps[0].post(f"polls/{pid}/open")
    assert forbidden.status_code == 403
    assert ok(staff.post(f"polls/{pid}/open"))["present"] == 6
    mine = ok(reps[0].get(f"polls/{pid}"))
    assert (mine["is_voter"], mine["has_voted"], mine["yes"]) == (True, False, None)
    assert mine["ballots_cast"] is None

    first = reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(0))
    assert first.status_code == 201
    retry = reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(0))
    assert retry.status_code == 200 and retry.json() == first.json()
    for data, headers in (({"choice": "no"}, key(99)), ({"choice": "yes"}, {})):
        again = reps[0].post(f"polls/{pid}/ballots", data, **headers)
        assert again.status_code == 409 and again.json() == {"detail": "您已投过票"}
    assert Ballot.objects.filter(poll_id=pid).count() == 1
    assert ok(reps[0].get(f"polls/{pid}"))["has_voted"] is True
    for n, rep in enumerate(reps[1:4], start=1):  # reps[4] does not vote
        ok(rep.post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(n)), 201)
    assisted = ok(
        staff.post(
            f"polls/{pid}/assisted-ballots",
            {"membership_id": elder.pk, "choice": "abstain", "reason": "年老不会用手机，当面表示"},
        ),
        201,
    )
    assert assisted["method"] == "assisted"
    assert ok(staff.get(f"polls/{pid}"))["ballots_cast"] == 5
    early = reps[0].get(f"polls/{pid}/result")
    assert early.status_code == 404 and early.json()["detail"] == "表决结果尚未公布"

    closed = ok(staff.post(f"polls/{pid}/close"))
    assert (closed["yes"], closed["no"], closed["abstain"], closed["passed"]) == (4, 0, 1, True)
    assert ok(reps[0].get(f"polls/{pid}"))["yes"] is None  # not published yet
    late = reps[4].post(f"polls/{pid}/ballots", {"choice": "no"}, **key(4))
    assert late.status_code == 400 and late.json()["detail"] == "表决已截止，不能再投票"
    # a retry of a ballot that went in before the close still gets its answer
    assert reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(0)).json() == first.json()

    ok(staff.post(f"polls/{pid}/publish"))
    result = ok(reps[4].get(f"polls/{pid}/result"))
    assert (result["yes"], result["passed"], result["verified"]) == (4, True, True)
    assert len(result["ballots_hash"]) == 64 and "通过" in result["result_text"]
    assert ok(reps[4].get(f"polls/{pid}"))["yes"] == 4


def _elder(g):
    member(g.assembly, MemberRole.REPRESENTATIVE, "不用手机的代表", with_user=False)
    return Membership.objects.get(body=g.assembly, name="不用手机的代表")


def test_a_poll_not_open_or_closed_refuses_ballots(world, g, staff, reps):
    meeting = open_meeting(staff, reps, g)
    item = meeting["items"][0]["id"]
    pid = ok(staff.post(f"agenda-items/{item}/polls", {"question": "是否同意"}), 201)["id"]
    early = reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"})
    assert early.status_code == 400 and early.json()["detail"] == "表决尚未开始"
    ok(staff.post(f"polls/{pid}/open"))
    ok(staff.post(f"polls/{pid}/close"))
    closed = reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(1))
    assert closed.status_code == 400 and closed.json()["detail"] == "表决已截止，不能再投票"
    assert not Ballot.objects.filter(poll_id=pid).exists()
    bad = reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, HTTP_IDEMPOTENCY_KEY="k" * 81)
    assert bad.status_code == 400


def test_another_communitys_staff_and_residents_get_404(world, g, staff, reps):
    meeting = open_meeting(staff, reps, g)
    item = meeting["items"][0]["id"]
    pid = ok(staff.post(f"agenda-items/{item}/polls", {"question": "是否同意"}), 201)["id"]
    matter = _register(staff)
    for user in (world.worker_b, world.worker_c, world.subadmin_other, world.resident_a):
        caller = Caller(user)
        for path in (
            "bodies?community=HD",
            f"bodies/{g.assembly.pk}/memberships",
            "meetings?community=HD",
            f"meetings/{meeting['id']}",
            f"meetings/{meeting['id']}/attendance",
            f"polls/{pid}",
            "matters?community=HD",
            f"matters/{matter['id']}",
        ):
            response = caller.get(path)
            assert response.status_code == 404, (user, path)
            assert response.json()["detail"] == NOT_FOUND
        for path in (f"polls/{pid}/open", f"meetings/{meeting['id']}/close"):
            assert caller.post(path).status_code == 404
        moved = caller.post(f"matters/{matter['id']}/moves", {"move": "start_review"})
        assert moved.status_code == 404
    assert Matter.objects.get().state == "registered"
    # the subdistrict's administrator is staff of HD
    assert Caller(world.subadmin).get(f"polls/{pid}").status_code == 200


def test_members_see_names_but_not_phones(world, g, staff, reps):
    path = f"bodies/{g.assembly.pk}/memberships?current=true"
    as_staff = ok(staff.get(path))
    assert as_staff["count"] == 5 and all(m["phone"] for m in as_staff["items"])
    as_member = reps[0].get(path)
    rows = ok(as_member)["items"]
    assert {m["name"] for m in rows} == {f"代表{i}" for i in range(1, 6)}
    assert all(m["phone"] is None for m in rows)
    assert not FULL_ID_NUMBER.findall(as_member.content.decode())
    phones = {m.resident.phone for m in Membership.objects.filter(body=g.assembly)}
    assert not any(p in as_member.content.decode() for p in phones)
    bodies = ok(reps[0].get("bodies?community=HD"))["items"]
    assert {(b["kind"], b["member_count"]) for b in bodies} == {
        ("party_branch", 3),
        ("representative_assembly", 5),
    }


def _register(caller, title="加装电梯"):
    return ok(
        caller.post(
            "matters",
            {
                "community": "HD",
                "title": title,
                "matter_type": "construction",
                "text": "3栋加装电梯，费用分摊方案。",
                "why_major": "涉及全体住户切身利益",
            },
        ),
        201,
    )


def _opinions(g, mid, stance="agree"):
    for user in g.branch_members:
        seat = g.seat(g.branch, user)
        body = {"membership_id": seat.pk, "stance": stance, "text": "意见"}
        ok(Caller(user).post(f"matters/{mid}/opinions", body), 201)


def test_matter_moves_legal_and_illegal(world, g, staff, reps):
    matter = _register(staff)
    mid = matter["id"]
    assert matter["state"] == "registered" and matter["number"].startswith("HD-")
    assert [(m["move"], m["allowed_for_you"]) for m in matter["moves"]] == [("start_review", True)]
    illegal = staff.post(f"matters/{mid}/moves", {"move": "submit", "note": "直接表决"})
    assert illegal.status_code == 400
    assert illegal.json()["detail"] == (
        "事项当前环节为「已登记」，不能进行「提交居民代表大会表决」。当前可以进行：提交党支部审议。"
    )
    special = staff.post(f"matters/{mid}/moves", {"move": "review_submit"})
    assert special.status_code == 400 and "不能直接操作" in special.json()["detail"]
    assert ok(staff.post(f"matters/{mid}/moves", {"move": "start_review"}))["state"] == "in_review"
    _opinions(g, mid)
    conclusion = {"outcome": "submit", "conclusion": "同意提交大会表决"}
    by_worker = staff.post(f"matters/{mid}/review", conclusion)
    assert by_worker.status_code == 403
    assert by_worker.json()["detail"] == "「审议结论：提交大会表决」须由社区党支部书记进行"
    secretary = Caller(g.secretary)
    detail = ok(secretary.post(f"matters/{mid}/review", conclusion))
    assert detail["state"] == "awaiting_vote" and len(detail["review"]["opinions"]) == 3
    assert detail["moves"][0]["via"] == f"POST {API}/matters/{mid}/agenda"

    meeting = convene(staff, g, items=[{"title": "工作报告"}])
    on_agenda = ok(staff.post(f"matters/{mid}/agenda", {"meeting_id": meeting["id"]}))
    assert on_agenda["state"] == "on_agenda"
    ok(staff.post(f"meetings/{meeting['id']}/notify"))
    ok(staff.post(f"meetings/{meeting['id']}/open"))
    for rep in reps:
        ok(rep.post(f"meetings/{meeting['id']}/sign-in", {"token": meeting["signin_token"]}))
    item = next(i for i in ok(staff.get(f"meetings/{meeting['id']}"))["items"] if i["matter_id"])
    pid = ok(staff.post(f"agenda-items/{item['id']}/polls", {"question": "是否同意"}), 201)["id"]
    ok(staff.post(f"polls/{pid}/open"))
    for n, rep in enumerate(reps):
        ok(rep.post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(n)), 201)
    ok(staff.post(f"polls/{pid}/close"))
    ok(staff.post(f"polls/{pid}/publish"))
    resolved = ok(staff.get(f"matters/{mid}"))
    assert resolved["state"] == "resolved" and resolved["resolution"]["poll_id"] == pid

    disclosed = ok(staff.post(f"matters/{mid}/disclose"))
    assert disclosed["state"] == "disclosed" and disclosed["resolution"]["notice_url"]
    too_early = staff.post(f"matters/{mid}/complete")
    assert too_early.status_code == 400 and "请先安排" in too_early.json()["detail"]
    work = {"title": "安装电梯", "responsible": "张工", "deadline": "2030-06-30"}
    step = ok(staff.post(f"matters/{mid}/implementation", work), 201)
    ok(staff.post(f"implementation/{step['id']}/finish", {"outcome": "已验收"}))
    assert ok(staff.post(f"matters/{mid}/complete"))["state"] == "implemented"
    final = ok(staff.post(f"matters/{mid}/disclose-result"))
    assert final["state"] == "result_disclosed" and final["moves"] == []
    assert [s["move"] for s in final["steps"]] == [
        "register",
        "start_review",
        "review_submit",
        "put_on_agenda",
        "vote_pass",
        "disclose",
        "complete",
        "disclose_result",
    ]
    assert Notice.objects.filter(community=world.hd).count() == 2


def test_escalation_and_consultation_through_the_api(world, g, staff):
    secretary = Caller(g.secretary)
    mid = _register(staff)["id"]
    ok(staff.post(f"matters/{mid}/moves", {"move": "start_review"}))
    _opinions(g, mid, stance="unsure")
    asked = {"outcome": "escalate", "conclusion": "费用分摊是否合规"}
    escalated = ok(secretary.post(f"matters/{mid}/review", asked))
    escalation = escalated["escalation"]
    assert escalated["state"] == "escalated"
    assert escalated["moves"][0]["via"] == f"POST {API}/escalations/{escalation['id']}/answer"
    answer = {"instruction": "符合规定"}
    assert staff.post(f"escalations/{escalation['id']}/answer", answer).status_code == 403
    answered = ok(Caller(g.committee_member).post(f"escalations/{escalation['id']}/answer", answer))
    assert answered["answered_at"]
    _opinions(g, mid, stance="disagree")
    reject = {"outcome": "intend_reject", "conclusion": "费用过高", "base": "adult_residents"}
    consulting = ok(secretary.post(f"matters/{mid}/review", reject))
    assert consulting["state"] == "in_consultation"
    resident = Caller(world.resident_a)
    own = {"resident_id": world.resident_a.resident.pk, "consent": True}
    assert ok(resident.post(f"matters/{mid}/consultation/answers", own), 201)["channel"] == "online"
    other = {"resident_id": g.seat(g.branch, g.secretary).resident_id, "consent": True}
    assert resident.post(f"matters/{mid}/consultation/answers", other).status_code == 404
    closed = ok(staff.post(f"matters/{mid}/consultation/close"))
    assert closed["consents"] == 1 and closed["consented"] is False
    assert ok(staff.get(f"matters/{mid}"))["state"] == "awaiting_vote"


def test_bad_input_answers_in_chinese(world, g, staff):
    empty_item = staff.post(
        "meetings",
        {
            "body_id": g.assembly.pk,
            "title": "会议",
            "starts_at": "2030-01-01T09:00:00+08:00",
            "place": "活动室",
            "items": [{"title": "  "}],
        },
    )
    assert empty_item.status_code == 400 and empty_item.json()["detail"] == "每项议程都要填写议题"
    assert staff.get("meetings?community=HD&status=nope").status_code == 422
    assert staff.get("matters?community=HD&state=nope").status_code == 422
    assert staff.get("meetings/abc").status_code == 404
    long_title = _register_payload(title="长" * 201)
    assert staff.post("matters", long_title).status_code == 422


def _register_payload(**fields):
    base = {
        "community": "HD",
        "title": "t",
        "matter_type": "general",
        "text": "x",
        "why_major": "y",
    }
    return {**base, **fields}


def test_openapi_schema_has_the_governance_paths(client, db):
    paths = json.loads(client.get(f"{API}/openapi.json").content)["paths"]
    for path in (
        "/bodies",
        "/bodies/{body_id}/memberships",
        "/meetings",
        "/meetings/{meeting_id}",
        "/meetings/{meeting_id}/sign-in",
        "/meetings/{meeting_id}/attendance",
        "/agenda-items/{item_id}/polls",
        "/polls/{poll_id}",
        "/polls/{poll_id}/open",
        "/polls/{poll_id}/ballots",
        "/polls/{poll_id}/assisted-ballots",
        "/polls/{poll_id}/teller-counts",
        "/polls/{poll_id}/result",
        "/matters",
        "/matters/{matter_id}",
        "/matters/{matter_id}/moves",
        "/escalations/{escalation_id}/answer",
        "/matters/{matter_id}/consultation/answers",
        "/implementation/{step_id}/finish",
        "/matters/{matter_id}/disclose-result",
    ):
        assert f"{API}{path}" in paths, path
    ballot = paths[f"{API}/polls/{{poll_id}}/ballots"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in ballot["parameters"]]


@pytest.mark.parametrize(
    "path",
    [
        "bodies?community=HD",
        "meetings?community=HD&page_size=200",
        "matters?community=HD&page_size=200",
        "memberships",
    ],
)
def test_lists_do_a_fixed_number_of_queries(
    world, g, staff, reps, django_assert_max_num_queries, path
):
    for n in range(30):
        _register(staff, title=f"事项{n}")
        convene(staff, g)
    for n in range(30):
        member(g.assembly, MemberRole.REPRESENTATIVE, f"新代表{n}", comm=world.hd)
    Body.objects.create(
        kind="residents_committee", name="居委会", subdistrict=world.dh, community=world.hd
    )
    if path == "memberships":
        path = f"bodies/{g.assembly.pk}/memberships?page_size=200"
    for caller in (staff, reps[0]):
        caller.get("bodies?community=HD")  # last_used_at written already
        # token + roles + resident + seats + community + body + count + page
        with django_assert_max_num_queries(8):
            response = caller.get(path)
        assert response.status_code == 200 and response.json()["count"] >= 3
