"""Associations, their leaders and members; volunteers with guardians' consent; the
community's rules; teams; the leader's role is scoped to their association."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zizhi.associations.access import can_manage_association, can_organise
from zizhi.associations.actions import activities as act
from zizhi.associations.actions import associations as assoc
from zizhi.associations.actions import volunteers as vol
from zizhi.associations.models import AssociationRole, TeamRole, VolunteerRules
from zizhi.audit.models import Event

from . import assoc_rows as rows
from . import factories as f

pytestmark = pytest.mark.django_db


def test_staff_create_associations_of_their_community_or_subdistrict(world):
    a = assoc.do_create_association(
        actor=world.worker_a,
        subdistrict=world.dh,
        community=world.hd,
        name="花卉协会",
        kind="hobby",
    )
    assert Event.objects.filter(
        verb="associations.create_association", object_id=str(a.pk)
    ).exists()
    with pytest.raises(ValidationError, match="同名"):
        assoc.do_create_association(
            actor=world.worker_a,
            subdistrict=world.dh,
            community=world.hd,
            name="花卉协会",
            kind="hobby",
        )
    with pytest.raises(PermissionDenied):
        assoc.do_create_association(
            actor=world.worker_b,
            subdistrict=world.dh,
            community=world.hd,
            name="集邮协会",
            kind="hobby",
        )
    with pytest.raises(PermissionDenied):  # subdistrict-wide: its administrators only
        assoc.do_create_association(
            actor=world.worker_a, subdistrict=world.dh, name="老年艺术团", kind="culture"
        )
    wide = assoc.do_create_association(
        actor=world.subadmin, subdistrict=world.dh, name="老年艺术团", kind="culture"
    )
    assert wide.community is None and can_manage_association(world.subadmin, wide)
    assert not can_manage_association(world.worker_a, wide)


def test_a_leader_manages_their_association_and_nothing_else(world):
    leader = rows.leader_user(world.hd)
    mine = rows.association(world.hd, leader)
    other = rows.association(world.hd, name="集邮协会")
    newcomer = f.resident(world.hd, name="新会员")
    member = assoc.do_add_member(mine, newcomer, actor=leader)
    assoc.do_set_member_role(member, actor=leader, role=AssociationRole.DEPUTY)
    assert can_manage_association(newcomer_user(newcomer), mine)
    with pytest.raises(PermissionDenied):
        assoc.do_add_member(other, newcomer, actor=leader)
    with pytest.raises(PermissionDenied, match="会长由社区工作人员设定"):
        assoc.do_set_member_role(member, actor=leader, role=AssociationRole.LEADER)
    with pytest.raises(ValidationError, match="已经是会员"):
        assoc.do_add_member(mine, newcomer, actor=world.worker_a)
    assoc.do_remove_member(member, actor=leader)
    assert not can_manage_association(newcomer_user(newcomer), mine)
    assoc.do_update_association(mine, actor=leader, description="每周三练字", charter_text="第一条")
    with pytest.raises(PermissionDenied):
        assoc.do_update_association(other, actor=leader, description="x", charter_text="")
    # the leader organises the association's activities, not the community's
    theirs = rows.activity(world.hd, world.worker_a, organiser_kind="association", association=mine)
    community = rows.activity(world.hd, world.worker_a)
    assert can_organise(leader, theirs) and not can_organise(leader, community)


def newcomer_user(resident):
    u = f.user(name=resident.name)
    resident.user = u
    resident.save()
    return u


def years_ago(n):
    return timezone.localdate() - datetime.timedelta(days=int(365.25 * n) + 30)


def test_volunteer_registration_by_self_and_by_worker(world):
    me = world.resident_a.resident
    v = vol.do_register_volunteer(
        me,
        actor=world.resident_a,
        skills="理发",
        five_olds="teacher",
        emergency_name="女儿",
        emergency_phone="13900000000",
    )
    assert v.number == "HDV00001" and not v.by_worker and v.five_olds == "teacher"
    with pytest.raises(ValidationError, match="已经登记为志愿者"):
        vol.do_register_volunteer(me, actor=world.worker_a)
    walk_in = f.resident(world.hd, name="到社区登记的老人")
    by_worker = vol.do_register_volunteer(walk_in, actor=world.worker_a)
    assert by_worker.by_worker and by_worker.number == "HDV00002"
    with pytest.raises(PermissionDenied):
        vol.do_register_volunteer(f.resident(world.hd, name="别人"), actor=world.resident_a)
    with pytest.raises(PermissionDenied):
        vol.do_register_volunteer(f.resident(world.hd, name="他人"), actor=world.worker_b)


def test_minors_need_an_adult_guardian_from_the_registry(world):
    parent = world.resident_a.resident
    kid = f.resident(world.hd, name="小学生", born=years_ago(12))
    with pytest.raises(ValidationError, match="需要监护人同意"):
        vol.do_register_volunteer(kid, actor=world.worker_a)
    teen = f.resident(world.hd, name="高中生", born=years_ago(16))
    with pytest.raises(ValidationError, match="监护人必须是成年人"):
        vol.do_register_volunteer(kid, actor=world.worker_a, guardian=teen)
    # the guardian registers their child from their own account
    v = vol.do_register_volunteer(kid, actor=world.resident_a, guardian=parent)
    assert v.guardian == parent and v.guardian_consent_at is not None
    # with consent recorded, the child may join a minors' activity, accompanied
    a = rows.activity(world.hd, world.worker_a, minors_allowed=True)
    assert act.do_sign_up(a, kid, actor=world.worker_a, accompanied_by=parent).status == "confirmed"


def test_rules_and_teams(world):
    with pytest.raises(PermissionDenied):
        vol.do_set_rules(world.hd, actor=world.worker_b, four_eyes=True)
    with pytest.raises(ValidationError, match="年龄设置不合理"):
        vol.do_set_rules(
            world.hd, actor=world.worker_a, minors_only_under=16, guardian_consent_under=14
        )
    vol.do_set_rules(world.hd, actor=world.worker_a, four_eyes=True, daily_cap_minutes=360)
    rules = VolunteerRules.for_community(world.hd.pk)
    assert rules.four_eyes and rules.daily_cap_minutes == 360 and rules.guardian_consent_under == 18
    team = vol.do_create_team(world.hd, actor=world.worker_a, name="2栋志愿服务队")
    v = vol.do_register_volunteer(world.resident_a.resident, actor=world.resident_a)
    vol.do_add_team_member(team, v, actor=world.worker_a, role=TeamRole.LEADER)
    theirs = rows.activity(world.hd, world.worker_a, organiser_kind="team", team=team)
    assert can_organise(world.resident_a, theirs)
    assert not can_organise(world.resident_b, theirs)
