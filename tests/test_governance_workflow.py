"""The major-matter workflow: every move of both presets, legal and illegal; escalation;
consultation with and without majority consent; the vote that makes a resolution."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zizhi.audit.models import Event
from zizhi.governance import actions as a
from zizhi.governance import workflow
from zizhi.governance.actions.matters import _move
from zizhi.governance.models import CharterVersion, Matter, Resolution, Step

from . import factories as f
from .govworld import gov


@pytest.fixture
def g(world):
    return gov(world, reps=5)


def register(world, title="加装电梯", preset=None):
    if preset:
        CharterVersion.objects.update_or_create(
            community=world.hd, number=1, defaults={"workflow": preset, "status": "in_force"}
        )
    return a.do_register_matter(
        world.hd,
        title=title,
        matter_type="construction",
        text="3栋加装电梯，费用分摊方案。",
        why_major="涉及全体住户切身利益和公共维修资金",
        actor=world.worker_a,
    )


def all_opinions(matter, g, stance="agree"):
    for user in g.branch_members:
        a.do_record_opinion(matter, g.seat(g.branch, user), stance=stance, text="同意", actor=user)


def vote(world, g, matter, yes):
    """An assembly meeting with all 5 representatives: `yes` of them vote yes."""
    meeting = a.do_convene_meeting(
        g.assembly,
        title="居民代表大会",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        place="活动室",
        items=[("报告", "", None)],
        actor=world.worker_a,
    )
    a.do_put_on_agenda(matter, meeting, actor=world.worker_a)
    a.do_notify_meeting(meeting, actor=world.worker_a)
    a.do_open_meeting(meeting, actor=world.worker_a)
    for u in g.reps:
        a.do_sign_in(meeting, meeting.signin_token, actor=u)
    item = meeting.items.get(matter=matter)
    poll = a.do_create_poll(item, question=f"是否同意{matter.title}", actor=world.worker_a)
    a.do_open_poll(poll, actor=world.worker_a)
    for i, u in enumerate(g.reps):
        a.do_cast_ballot(poll, "yes" if i < yes else "no", actor=u)
    a.do_close_poll(poll, actor=world.worker_a)
    a.do_publish_poll(poll, actor=world.worker_a)
    matter.refresh_from_db()
    return poll


def test_seed_path_with_escalation_to_a_resolution(world, g):
    matter = register(world)
    assert matter.workflow == "seed" and matter.number.startswith("HD-")
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    all_opinions(matter, g, stance="unsure")
    a.do_conclude_review(
        matter, "escalate", conclusion="费用分摊是否合规，请示街道", actor=g.secretary
    )
    assert matter.state == "escalated"
    escalation = matter.escalations.get()
    with pytest.raises(PermissionDenied):
        a.do_answer_escalation(escalation, instruction="可以", actor=world.worker_a)
    a.do_answer_escalation(escalation, instruction="符合规定，可提交大会", actor=g.committee_member)
    matter.refresh_from_db()
    assert matter.state == "in_review" and matter.reviews.count() == 2
    all_opinions(matter, g)
    a.do_conclude_review(matter, "submit", conclusion="同意提交大会表决", actor=g.secretary)
    assert matter.state == "awaiting_vote"
    poll = vote(world, g, matter, yes=4)
    assert matter.state == "resolved"
    resolution = Resolution.objects.get(matter=matter)
    assert resolution.poll == poll and resolution.number.startswith("HD决〔")
    moves = list(matter.steps.values_list("move", flat=True))
    assert moves == [
        "register",
        "start_review",
        "review_escalate",
        "instruct",
        "review_submit",
        "put_on_agenda",
        "vote_pass",
    ]
    assert Event.objects.filter(verb__startswith="matter.", object_id=str(matter.pk)).count() >= 7


def test_vote_fail_records_not_passed(world, g):
    matter = register(world)
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    all_opinions(matter, g)
    a.do_conclude_review(matter, "submit", conclusion="提交", actor=g.secretary)
    vote(world, g, matter, yes=2)
    assert matter.state == "not_passed"
    assert not Resolution.objects.filter(matter=matter).exists()


def test_review_needs_every_branch_members_opinion(world, g):
    matter = register(world)
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    a.do_record_opinion(matter, g.seat(g.branch, g.secretary), stance="agree", actor=g.secretary)
    with pytest.raises(ValidationError, match="党员1、党员2"):
        a.do_conclude_review(matter, "submit", conclusion="提交", actor=g.secretary)
    # the secretary may enter an absent member's written opinion; a worker may not conclude
    for u in g.branch_members[1:]:
        a.do_record_opinion(matter, g.seat(g.branch, u), stance="agree", actor=g.secretary)
    with pytest.raises(PermissionDenied):
        a.do_conclude_review(matter, "submit", conclusion="提交", actor=world.worker_a)
    with pytest.raises(PermissionDenied):  # a member records only their own opinion
        a.do_record_opinion(
            matter, g.seat(g.branch, g.secretary), stance="disagree", actor=g.branch_members[1]
        )


def intend_reject(world, g, base="households"):
    matter = register(world, title="拆除车棚")
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    all_opinions(matter, g, stance="disagree")
    a.do_conclude_review(
        matter,
        "intend_reject",
        conclusion="车棚仍在使用，拆除影响居民出行",
        base=base,
        actor=g.secretary,
    )
    assert matter.state == "in_consultation"
    return matter


def test_consultation_without_majority_consent_goes_to_the_assembly(world, g):
    matter = intend_reject(world, g)
    consultation = matter.consultations.get()
    households = consultation.base_count
    assert households >= 5
    a.do_answer_consultation(
        matter, world.resident_a.resident, consent=True, actor=world.resident_a
    )
    a.do_close_consultation(matter, actor=world.worker_a)
    matter.refresh_from_db()
    assert matter.state == "awaiting_vote"
    consultation.refresh_from_db()
    assert consultation.consented is False and "未超过半数" in consultation.result_text


def test_one_answer_per_household(world, g):
    matter = intend_reject(world, g)
    hh = world.resident_a.resident.household
    neighbour = f.resident(world.hd, name="同户", hh=hh)
    a.do_answer_consultation(
        matter, world.resident_a.resident, consent=True, actor=world.resident_a
    )
    with pytest.raises(ValidationError, match="每户一票"):
        a.do_answer_consultation(matter, neighbour, consent=False, actor=world.worker_a)
    with pytest.raises(PermissionDenied):  # a resident answers only for themself
        a.do_answer_consultation(matter, neighbour, consent=False, actor=world.resident_a)
    with pytest.raises(ValidationError, match="本社区"):
        a.do_answer_consultation(
            matter, world.resident_b.resident, consent=True, actor=world.worker_a
        )


def test_simple_moves_refuse_special_ones_and_illegal_ones(world, g):
    matter = register(world)
    with pytest.raises(ValidationError, match="不能直接操作"):
        a.do_move_matter(matter, "vote_pass", actor=world.worker_a)
    with pytest.raises(ValidationError, match="当前可以进行：提交党支部审议"):
        a.do_move_matter(matter, "propose", note="x", actor=world.worker_a)
    with pytest.raises(PermissionDenied):
        a.do_move_matter(matter, "start_review", actor=world.worker_b)


@pytest.mark.parametrize("preset", ["seed", "four_two"])
def test_every_illegal_move_is_refused_with_its_reason(world, g, preset):
    matter = register(world, preset=preset)
    assert matter.workflow == preset
    for state in workflow.STATES:
        for move in workflow.MOVES:
            if workflow.find_move(preset, state, move):
                continue
            Matter.objects.filter(pk=matter.pk).update(state=state)
            matter.refresh_from_db()
            with pytest.raises(ValidationError) as refused:
                _move(matter, move, actor=world.worker_a)
            assert str(workflow.STATES[state]) in refused.value.messages[0]
            matter.refresh_from_db()
            assert matter.state == state
    assert Step.objects.filter(matter=matter).count() == 1  # only the registration


@pytest.mark.parametrize("preset", ["seed", "four_two"])
def test_every_legal_move_lands_where_the_table_says(world, g, preset):
    matter = register(world, preset=preset)
    actors = {
        workflow.WORKER: world.worker_a,
        workflow.BRANCH: g.secretary,
        workflow.COMMITTEE: g.committee_member,
        workflow.SYSTEM: world.worker_a,
    }
    for (state, move), target in workflow.TABLES[preset].items():
        Matter.objects.filter(pk=matter.pk).update(state=state)
        matter.refresh_from_db()
        _move(matter, move, actor=actors[target.by])
        assert matter.state == target.to
        if target.by in (workflow.BRANCH, workflow.COMMITTEE):
            Matter.objects.filter(pk=matter.pk).update(state=state)
            matter.refresh_from_db()
            with pytest.raises(PermissionDenied):
                _move(matter, move, actor=world.worker_b)


def test_four_two_path(world, g):
    matter = register(world, preset="four_two")
    with pytest.raises(PermissionDenied):
        a.do_move_matter(matter, "propose", note="支部提议", actor=world.worker_a)
    a.do_move_matter(matter, "propose", note="支部委员会提议加装电梯", actor=g.secretary)
    with pytest.raises(ValidationError, match="请记录"):
        a.do_move_matter(matter, "discuss", actor=world.worker_a)
    a.do_move_matter(matter, "discuss", note="两委联席会议商议同意", actor=world.worker_a)
    a.do_move_matter(matter, "party_review", note="党员大会审议通过", actor=g.secretary)
    a.do_move_matter(matter, "submit", actor=world.worker_a)
    assert matter.state == "awaiting_vote"
    vote(world, g, matter, yes=5)
    assert matter.state == "resolved"


def test_the_people_who_must_act_are_told_in_their_inbox(world, g):
    matter = register(world)
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    assert all(u.inbox.filter(subject__contains="发表审议意见").exists() for u in g.branch_members)
    all_opinions(matter, g, stance="unsure")
    a.do_conclude_review(matter, "escalate", conclusion="请示", actor=g.secretary)
    assert g.committee_member.inbox.filter(subject__contains="党支部请示").exists()
    a.do_answer_escalation(matter.escalations.get(), instruction="可", actor=g.committee_member)
    assert g.secretary.inbox.filter(subject__contains="已批复").exists()
