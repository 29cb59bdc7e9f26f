"""Activities and sign-up: who may organise, the waiting list, audience and minors' rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zizhi.associations.actions import activities as act
from zizhi.associations.models import (
    ActivityStatus,
    Audience,
    SignUp,
    SignUpStatus,
    VolunteerRules,
)
from zizhi.audit.models import Event

from . import assoc_rows as rows
from . import factories as f

pytestmark = pytest.mark.django_db


def soon(hours=48):
    return timezone.now() + datetime.timedelta(hours=hours)


def test_a_leader_creates_an_activity_of_their_association_only(world):
    leader = rows.leader_user(world.hd)
    mine = rows.association(world.hd, leader)
    other = rows.association(world.hd, name="花卉协会")
    a = act.do_create_activity(
        actor=leader,
        association=mine,
        title="书法讲座",
        place="活动室",
        starts_at=soon(),
        ends_at=soon(50),
        capacity=10,
    )
    assert a.community == world.hd and a.organiser == mine
    assert a.signup_deadline == a.starts_at - datetime.timedelta(hours=2)
    assert Event.objects.filter(verb="associations.create_activity", object_id=str(a.pk)).exists()
    with pytest.raises(PermissionDenied):
        act.do_create_activity(
            actor=leader,
            association=other,
            title="x",
            place="y",
            starts_at=soon(),
            ends_at=soon(50),
        )
    with pytest.raises(PermissionDenied):  # a worker of another community
        act.do_create_activity(
            actor=world.worker_b,
            community=world.hd,
            title="x",
            place="y",
            starts_at=soon(),
            ends_at=soon(50),
        )


def test_bad_activity_input_is_refused_in_chinese(world):
    with pytest.raises(ValidationError, match="结束时间必须晚于开始时间"):
        act.do_create_activity(
            actor=world.worker_a,
            community=world.hd,
            title="巡逻",
            place="东门",
            starts_at=soon(50),
            ends_at=soon(48),
        )
    with pytest.raises(ValidationError, match="名额至少为 1 人"):
        act.do_create_activity(
            actor=world.worker_a,
            community=world.hd,
            title="巡逻",
            place="东门",
            starts_at=soon(),
            ends_at=soon(50),
            capacity=0,
        )
    with pytest.raises(ValidationError, match="限本组织成员"):
        act.do_create_activity(
            actor=world.worker_a,
            community=world.hd,
            title="巡逻",
            place="东门",
            starts_at=soon(),
            ends_at=soon(50),
            audience=Audience.MEMBERS,
        )


def residents_with_logins(community, n):
    return [f.resident_user(community, name=f"居民{i}").resident for i in range(n)]


def test_the_waiting_list_fills_freed_places_in_order(world):
    a = rows.activity(world.hd, world.worker_a, capacity=2)
    people = residents_with_logins(world.hd, 4)
    signups = [act.do_sign_up(a, r, actor=r.user) for r in people]
    assert [s.status for s in signups] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert act.waiting_position(signups[3]) == 2
    act.do_cancel_signup(signups[0], actor=people[0].user)
    statuses = dict(SignUp.objects.filter(activity=a).values_list("resident_id", "status"))
    assert statuses[people[0].pk] == "cancelled"
    assert statuses[people[2].pk] == "confirmed"  # the first waiting takes the place
    assert statuses[people[3].pk] == "waiting"
    assert act.waiting_position(SignUp.objects.get(pk=signups[3].pk)) == 1
    assert people[2].user.inbox.filter(subject__contains="候补成功").exists()
    with pytest.raises(ValidationError, match="已经报过名了"):
        act.do_sign_up(a, people[1], actor=people[1].user)
    # signing up again after cancelling is a new sign-up, at the end of the queue
    again = act.do_sign_up(a, people[0], actor=people[0].user)
    assert again.status == SignUpStatus.WAITING


def test_cancelling_after_the_deadline_is_for_the_organiser(world):
    a = rows.activity(world.hd, world.worker_a, starts_in_hours=1)  # deadline has passed
    r = residents_with_logins(world.hd, 1)[0]
    with pytest.raises(ValidationError, match="报名已截止"):
        act.do_sign_up(a, r, actor=r.user)
    signup = act.do_sign_up(a, r, actor=world.worker_a)  # the organiser may still add
    assert signup.by_organiser
    with pytest.raises(ValidationError, match="已过取消截止时间"):
        act.do_cancel_signup(signup, actor=r.user)
    act.do_cancel_signup(signup, actor=world.worker_a)
    with pytest.raises(PermissionDenied):
        act.do_sign_up(a, r, actor=world.resident_b)  # nobody else signs a resident up


def test_audience_members_and_volunteers(world):
    leader = rows.leader_user(world.hd)
    assoc = rows.association(world.hd, leader)
    members_only = act.do_create_activity(
        actor=leader,
        association=assoc,
        title="会员雅集",
        place="活动室",
        starts_at=soon(),
        ends_at=soon(50),
        audience=Audience.MEMBERS,
    )
    r = world.resident_a.resident
    with pytest.raises(ValidationError, match="只限本组织成员"):
        act.do_sign_up(members_only, r, actor=world.resident_a)
    assert act.do_sign_up(members_only, leader.resident, actor=leader).status == "confirmed"
    for_volunteers = rows.activity(world.hd, world.worker_a, audience=Audience.VOLUNTEERS)
    with pytest.raises(ValidationError, match="只限注册志愿者"):
        act.do_sign_up(for_volunteers, r, actor=world.resident_a)
    rows.volunteer(r)
    assert act.do_sign_up(for_volunteers, r, actor=world.resident_a).status == "confirmed"


def child(community, years, name="小明"):
    born = timezone.localdate() - datetime.timedelta(days=int(365.25 * years) + 30)
    return f.resident(community, name=name, born=born)


def test_minors_rules_with_the_communitys_ages(world):
    adult = world.resident_a.resident
    kid = child(world.hd, 10)
    teen = child(world.hd, 16, "小红")
    plain = rows.activity(world.hd, world.worker_a)
    for_minors = rows.activity(world.hd, world.worker_a, minors_allowed=True)
    with pytest.raises(ValidationError, match="未满 14 周岁只能参加适合未成年人的活动"):
        act.do_sign_up(plain, kid, actor=world.worker_a, accompanied_by=adult)
    with pytest.raises(ValidationError, match="需有成年人陪同"):
        act.do_sign_up(for_minors, kid, actor=world.worker_a)
    with pytest.raises(ValidationError, match="陪同人必须是成年人"):
        act.do_sign_up(for_minors, kid, actor=world.worker_a, accompanied_by=teen)
    with pytest.raises(ValidationError, match="监护人同意"):  # volunteer service under 18
        act.do_sign_up(for_minors, kid, actor=world.worker_a, accompanied_by=adult)
    rows.volunteer(kid, consent=True, guardian=adult)
    signup = act.do_sign_up(for_minors, kid, actor=world.worker_a, accompanied_by=adult)
    assert signup.accompanied_by == adult
    with pytest.raises(ValidationError, match="未满 18 周岁参加志愿服务需先登记监护人同意"):
        act.do_sign_up(plain, teen, actor=world.worker_a)
    # the ages are the community's settings
    VolunteerRules.objects.create(
        community=world.hd, minors_only_under=9, guardian_consent_under=16
    )
    assert act.do_sign_up(plain, teen, actor=world.worker_a).status == "confirmed"


def test_cancelling_an_activity_tells_everyone_signed_up(world):
    a = rows.activity(world.hd, world.worker_a)
    act.do_sign_up(a, world.resident_a.resident, actor=world.resident_a)
    with pytest.raises(ValidationError, match="请说明取消原因"):
        act.do_cancel_activity(a, actor=world.worker_a, reason=" ")
    act.do_cancel_activity(a, actor=world.worker_a, reason="暴雨预警")
    a.refresh_from_db()
    assert a.status == ActivityStatus.CANCELLED
    assert world.resident_a.inbox.filter(subject__contains="活动取消").exists()
    with pytest.raises(ValidationError, match="不能报名"):
        act.do_sign_up(a, world.resident_a.resident, actor=world.resident_a)


def test_editing_an_activity_before_it_starts(world):
    a = rows.activity(world.hd, world.worker_a, capacity=1)
    people = residents_with_logins(world.hd, 3)
    first, second, third = (act.do_sign_up(a, r, actor=r.user) for r in people)
    assert [first.status, second.status, third.status] == ["confirmed", "waiting", "waiting"]
    with pytest.raises(PermissionDenied):
        act.do_update_activity(a, actor=world.worker_b, title="别人的")
    with pytest.raises(PermissionDenied):
        act.do_update_activity(a, actor=people[0].user, title="居民改")
    with pytest.raises(ValidationError, match="不能修改这些字段"):
        act.do_update_activity(a, actor=world.worker_a, status="ended")
    with pytest.raises(ValidationError, match="结束时间必须晚于开始时间"):
        act.do_update_activity(a, actor=world.worker_a, ends_at=a.starts_at)
    # a larger capacity lets the waiting list in, in order
    a = act.do_update_activity(a, actor=world.worker_a, capacity=2, title="  清扫楼道（二）  ")
    assert a.title == "清扫楼道（二）"
    statuses = dict(SignUp.objects.filter(activity=a).values_list("resident_id", "status"))
    assert [statuses[r.pk] for r in people] == ["confirmed", "confirmed", "waiting"]
    with pytest.raises(ValidationError, match="已有 2 人报名"):
        act.do_update_activity(a, actor=world.worker_a, capacity=1)
    # a new time: those signed up are told; the deadline follows the community's rule
    later = a.starts_at + datetime.timedelta(days=1)
    hours = VolunteerRules.for_community(world.hd.pk).cancel_hours_before
    a = act.do_update_activity(
        a, actor=world.worker_a, starts_at=later, ends_at=later + datetime.timedelta(hours=2)
    )
    assert a.signup_deadline == later - datetime.timedelta(hours=hours)
    for r in people:
        assert r.user.inbox.filter(subject__contains="活动变更").exists()
    event = Event.objects.filter(verb="associations.update_activity").latest("id")
    assert event.summary["before"]["starts_at"] != event.summary["after"]["starts_at"]
    # no limit: everyone waiting is in
    act.do_update_activity(a, actor=world.worker_a, capacity=None)
    assert not SignUp.objects.filter(activity=a, status=SignUpStatus.WAITING).exists()


def test_no_edit_once_started_or_cancelled(world):
    running = rows.activity(world.hd, world.worker_a, starts_in_hours=-0.5)
    with pytest.raises(ValidationError, match="活动已经开始"):
        act.do_update_activity(running, actor=world.worker_a, place="2栋")
    a = rows.activity(world.hd, world.worker_a)
    act.do_cancel_activity(a, actor=world.worker_a, reason="下雨")
    with pytest.raises(ValidationError, match="不能修改"):
        act.do_update_activity(a, actor=world.worker_a, place="2栋")
