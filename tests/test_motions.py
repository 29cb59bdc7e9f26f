"""Representatives' motions: open, co-sign to the charter's number, submit, accept into the
matter workflow (linked both ways) or decline with a reason every signer reads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from zizhi.accounts.models import InboxMessage
from zizhi.audit.models import Event
from zizhi.governance.models import Matter
from zizhi.proposals import motion_actions as actions
from zizhi.proposals.models import Cosignature, MotionStatus

from . import factories as f
from .govworld import gov


@pytest.fixture
def g(world):
    return gov(world, reps=7)


def open_motion(world, g, **extra):
    fields = {"title": "加装电梯", "text": "为3栋加装电梯", "reason": "老人多，上下楼难"}
    return actions.do_open_motion(world.hd, **{**fields, **extra}, actor=g.reps[0])


def cosigned(world, g, n=5):
    motion = open_motion(world, g)
    for rep in g.reps[1 : n + 1]:
        actions.do_cosign_motion(motion, actor=rep)
    return motion


def test_a_representative_opens_a_motion_and_the_others_are_asked_to_cosign(world, g):
    motion = open_motion(world, g)
    assert motion.number.startswith("HD-YA-") and motion.number.endswith("-001")
    assert motion.status == MotionStatus.COLLECTING
    assert motion.cosigners_needed == 5  # the default charter
    assert motion.proposer_name == "代表1"
    asked = set(InboxMessage.objects.values_list("user_id", flat=True))
    assert asked == {u.pk for u in g.reps[1:]}
    assert Event.objects.filter(verb="motion.open", object_id=str(motion.pk)).count() == 1
    assert open_motion(world, g).number.endswith("-002")


@pytest.mark.parametrize("who", ["worker_a", "resident_a", "subadmin"])
def test_only_a_representative_of_the_community_opens_one(world, g, who):
    with pytest.raises(PermissionDenied):
        actions.do_open_motion(world.hd, title="t", text="x", reason="r", actor=getattr(world, who))


def test_a_branch_member_is_not_a_representative(world, g):
    with pytest.raises(PermissionDenied):
        actions.do_open_motion(world.hd, title="t", text="x", reason="r", actor=g.secretary)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": " "}, "请填写议案名称和内容"),
        ({"text": ""}, "请填写议案名称和内容"),
        ({"reason": "  "}, "理由和依据"),
        ({"title": "长" * 121}, "120"),
    ],
)
def test_an_incomplete_motion_is_refused(world, g, fields, message):
    with pytest.raises(ValidationError, match=message):
        open_motion(world, g, **fields)


def test_cosigning_refusals(world, g):
    motion = open_motion(world, g)
    with pytest.raises(ValidationError, match="领衔代表"):
        actions.do_cosign_motion(motion, actor=g.reps[0])
    actions.do_cosign_motion(motion, actor=g.reps[1])
    with pytest.raises(ValidationError, match="已经联名"):
        actions.do_cosign_motion(motion, actor=g.reps[1])
    for outsider in (world.worker_a, world.resident_a, g.secretary):
        with pytest.raises(PermissionDenied):
            actions.do_cosign_motion(motion, actor=outsider)
    assert Cosignature.objects.filter(motion=motion).count() == 1


def test_a_representative_of_another_community_cannot_cosign(world, g):
    from zizhi.governance.models import Body, BodyKind, MemberRole, Membership

    xh_assembly = Body.objects.create(
        kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        name="西湖代表大会",
        subdistrict=world.dh,
        community=world.xh,
    )
    stranger = f.user(name="西湖代表")
    Membership.objects.create(
        body=xh_assembly,
        name="西湖代表",
        user=stranger,
        role=MemberRole.REPRESENTATIVE,
        started_on="2021-06-01",
    )
    with pytest.raises(PermissionDenied):
        actions.do_cosign_motion(open_motion(world, g), actor=stranger)


def test_submit_needs_the_charters_number_of_cosigners(world, g):
    motion = cosigned(world, g, n=4)
    with pytest.raises(ValidationError, match="还需要1位代表联名"):
        actions.do_submit_motion(motion, actor=g.reps[0])
    actions.do_cosign_motion(motion, actor=g.reps[5])
    with pytest.raises(PermissionDenied):
        actions.do_submit_motion(motion, actor=g.reps[1])  # only the proposer submits
    motion = actions.do_submit_motion(motion, actor=g.reps[0])
    assert motion.status == MotionStatus.SUBMITTED and motion.submitted_at
    # the workers of the community are told
    assert InboxMessage.objects.filter(user=world.worker_a).exists()
    with pytest.raises(ValidationError, match="不再征集联名"):
        actions.do_cosign_motion(motion, actor=g.reps[6])
    with pytest.raises(ValidationError, match="不能撤回联名"):
        actions.do_withdraw_cosignature(motion, actor=g.reps[1])


def test_withdrawing_a_cosignature(world, g):
    motion = cosigned(world, g, n=5)
    actions.do_withdraw_cosignature(motion, actor=g.reps[3])
    assert motion.cosignatures.count() == 4
    with pytest.raises(ValidationError, match="没有联名"):
        actions.do_withdraw_cosignature(motion, actor=g.reps[3])
    with pytest.raises(ValidationError, match="还需要1位"):
        actions.do_submit_motion(motion, actor=g.reps[0])


def test_accepted_it_becomes_a_major_matter_in_the_branchs_review(world, g):
    motion = actions.do_submit_motion(cosigned(world, g), actor=g.reps[0])
    with pytest.raises(PermissionDenied):
        actions.do_accept_motion(motion, actor=world.worker_b)
    with pytest.raises(PermissionDenied):
        actions.do_accept_motion(motion, actor=g.reps[0])
    InboxMessage.objects.all().delete()
    motion = actions.do_accept_motion(motion, matter_type="construction", actor=world.worker_a)
    matter = Matter.objects.get(pk=motion.matter_id)
    assert motion.status == MotionStatus.ACCEPTED
    assert matter.state == "in_review"  # the seed's workflow: straight to the Party branch
    assert matter.matter_type == "construction"
    assert matter.origin_label == f"居民议案 {motion.number}"
    assert matter.origin_url == reverse("proposals:motion", args=["HD", motion.pk])
    assert matter.motion == motion  # linked both ways
    assert "代表1、代表2" in matter.why_major
    told = set(InboxMessage.objects.values_list("user_id", flat=True))
    assert {u.pk for u in g.reps[:6]} <= told  # every signer
    assert {u.pk for u in g.branch_members} <= told  # the branch is asked to review
    with pytest.raises(ValidationError, match="不能进行此操作"):
        actions.do_decline_motion(motion, "晚了", actor=world.worker_a)


def test_declined_with_a_reason_that_every_signer_reads(world, g):
    motion = actions.do_submit_motion(cosigned(world, g), actor=g.reps[0])
    with pytest.raises(ValidationError, match="写明理由"):
        actions.do_decline_motion(motion, "  ", actor=world.worker_a)
    actions.do_decline_motion(motion, "不属于居委会职责，已转物业", actor=world.worker_a)
    motion.refresh_from_db()
    assert motion.status == MotionStatus.NOT_ACCEPTED
    assert Event.objects.filter(verb="motion.decline").count() == 1
    for rep in (g.reps[0], g.reps[5]):
        assert InboxMessage.objects.filter(user=rep, subject__contains="不予受理").exists()
        client = Client()
        client.force_login(rep)
        page = client.get(reverse("proposals:motion", args=["HD", motion.pk]))
        assert "不属于居委会职责，已转物业" in page.content.decode()


def test_a_collecting_motion_cannot_be_accepted(world, g):
    motion = cosigned(world, g)
    with pytest.raises(ValidationError, match="征集联名中"):
        actions.do_accept_motion(motion, actor=world.worker_a)


def test_the_proposer_may_withdraw_before_it_is_decided(world, g):
    motion = open_motion(world, g)
    with pytest.raises(PermissionDenied):
        actions.do_withdraw_motion(motion, actor=g.reps[1])
    motion = actions.do_withdraw_motion(motion, actor=g.reps[0])
    assert motion.status == MotionStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        actions.do_withdraw_motion(motion, actor=g.reps[0])


# --- pages ------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_pages_walk_a_motion_from_opening_to_the_review_queue(world, g):
    proposer = client_for(g.reps[0])
    page = proposer.get(reverse("proposals:motions", args=["HD"]))
    assert "提出议案" in page.content.decode()
    answer = proposer.post(
        reverse("proposals:motion_new", args=["HD"]),
        {"title": "增设休息座椅", "text": "在小区花园增设座椅", "reason": "老人散步要歇脚"},
    )
    motion = g.reps[0].motions.get()
    assert answer.status_code == 302 and answer.url.endswith(f"/motions/{motion.pk}/")
    act = reverse("proposals:motion_act", args=["HD", motion.pk, "cosign"])
    for rep in g.reps[1:6]:
        signer = client_for(rep)
        assert (
            "我联名"
            in signer.get(reverse("proposals:motion", args=["HD", motion.pk])).content.decode()
        )
        assert signer.post(act).status_code == 302
    page = proposer.get(reverse("proposals:motion", args=["HD", motion.pk])).content.decode()
    assert "已有 5 位代表联名" in page and "提交议案" in page
    proposer.post(reverse("proposals:motion_act", args=["HD", motion.pk, "submit"]))
    worker = client_for(world.worker_a)
    page = worker.get(reverse("proposals:motion", args=["HD", motion.pk])).content.decode()
    assert "受理，转为重大事项" in page
    worker.post(
        reverse("proposals:motion_act", args=["HD", motion.pk, "accept"]),
        {"matter_type": "general"},
    )
    motion.refresh_from_db()
    assert motion.matter.state == "in_review"
    matter_page = worker.get(reverse("governance:matter", args=["HD", motion.matter_id]))
    assert motion.number in matter_page.content.decode()


def test_a_refused_action_on_a_page_is_a_message_not_an_error(world, g):
    motion = open_motion(world, g)
    proposer = client_for(g.reps[0])
    answer = proposer.post(
        reverse("proposals:motion_act", args=["HD", motion.pk, "submit"]), follow=True
    )
    assert answer.status_code == 200
    assert "还需要5位代表联名" in answer.content.decode()
    # a form with a missing reason keeps what was typed
    answer = proposer.post(
        reverse("proposals:motion_new", args=["HD"]), {"title": "我的标题", "text": "内容"}
    )
    assert answer.status_code == 200 and "我的标题" in answer.content.decode()


def test_motion_pages_are_not_for_residents_or_other_communities(world, g):
    motion = open_motion(world, g)
    for user in (world.resident_a, world.worker_b, world.subadmin_other):
        client = client_for(user)
        assert client.get(reverse("proposals:motion", args=["HD", motion.pk])).status_code == 404
        assert client.get(reverse("proposals:motions", args=["HD"])).status_code == 404
    # a worker sees the list but may not open a motion
    assert (
        client_for(world.worker_a).get(reverse("proposals:motion_new", args=["HD"])).status_code
        == 404
    )


# --- API --------------------------------------------------------------------------------


def test_the_api_opens_cosigns_submits_and_accepts(world, g):
    proposer = client_for(g.reps[0])
    answer = proposer.post(
        "/api/v1/motions",
        {"community": "HD", "title": "修路", "text": "修补5栋门前路面", "reason": "积水"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    motion_id = answer.json()["id"]
    assert answer.json()["cosigners_needed"] == 5
    for rep in g.reps[1:6]:
        answer = client_for(rep).post(f"/api/v1/motions/{motion_id}/cosignatures")
        assert answer.status_code == 200
    assert answer.json()["cosigners"] == 5
    again = client_for(g.reps[1]).post(f"/api/v1/motions/{motion_id}/cosignatures")
    assert again.status_code == 400 and "已经联名" in again.json()["detail"]
    assert proposer.post(f"/api/v1/motions/{motion_id}/submit").json()["status"] == "submitted"
    answer = client_for(world.worker_a).post(
        f"/api/v1/motions/{motion_id}/accept",
        {"matter_type": "budget"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["matter_number"]
    listed = client_for(world.worker_a).get("/api/v1/motions?community=HD").json()
    assert listed["items"][0]["status"] == "accepted"
    assert client_for(world.resident_a).get(f"/api/v1/motions/{motion_id}").status_code == 404


def test_a_worker_enters_signatures_given_on_paper(world, g):
    motion = open_motion(world, g)
    seats = {s.name: s for s in actions.representative_seats(world.hd)}
    with pytest.raises(PermissionDenied):
        actions.do_record_paper_cosignature(motion, seats["代表2"].pk, actor=g.reps[2])
    signature = actions.do_record_paper_cosignature(motion, seats["代表2"].pk, actor=world.worker_a)
    assert signature.user is None and signature.entered_by == world.worker_a
    with pytest.raises(ValidationError, match="代表2已经联名"):
        actions.do_record_paper_cosignature(motion, seats["代表2"].pk, actor=world.worker_a)
    with pytest.raises(ValidationError, match="已经联名"):
        actions.do_cosign_motion(motion, actor=g.reps[1])  # 代表2 again, now in the app
    with pytest.raises(ValidationError, match="领衔代表"):
        actions.do_record_paper_cosignature(motion, seats["代表1"].pk, actor=world.worker_a)
    for bad in ("", "abc", g.seat(g.branch, g.secretary).pk):
        with pytest.raises(ValidationError, match="请选择本社区的居民代表"):
            actions.do_record_paper_cosignature(motion, bad, actor=world.worker_a)
    page = client_for(world.worker_a).get(reverse("proposals:motion", args=["HD", motion.pk]))
    assert "纸质签名，工作人员录入" in page.content.decode()
