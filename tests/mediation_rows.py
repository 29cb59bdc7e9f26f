"""Builders for mediation tests: a legal-service association, mediators with logins in their
own households, the community's lead, and cases run to a given stage through the actions."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from zizhi.associations.models import Association, AssociationKind, AssociationMember
from zizhi.mediation import actions as m

from . import factories as f


def legal_association(community, *, subdistrict_wide=False, name=None):
    return Association.objects.create(
        subdistrict=community.subdistrict,
        community=None if subdistrict_wide else community,
        name=name or f"{community.code}法律服务协会{'（街道）' if subdistrict_wide else ''}",
        kind=AssociationKind.LEGAL,
    )


def member(association, resident):
    return AssociationMember.objects.create(
        association=association, resident=resident, joined_on=datetime.date(2024, 1, 1)
    )


def person(community, name, building, door, login=True):
    """A resident in their own household (building, door), with a login unless told."""
    r = f.resident(community, name=name, hh=f.household(community, building, door))
    if login:
        r.user = f.user(phone=r.phone, name=name)
        r.save()
    return r


def mediator(association, community, name, building="9栋", door="901", login=True):
    r = person(community, name, building, door, login)
    member(association, r)
    return r


def lead(community, user, appointed_by):
    return m.do_appoint_lead(community, user, actor=appointed_by, started_on=timezone.localdate())


def case_between(community, a, b, actor, kind="noise"):
    """A walk-in case between two registry residents a and b (matched by phone)."""
    return m.do_register_case(
        community,
        kind=kind,
        description="楼上夜里拖椅子，声音很大",
        parties=[
            {"side": "applicant", "name": a.name, "phone": a.phone},
            {"side": "respondent", "name": b.name, "phone": b.phone},
        ],
        actor=actor,
    )


def run_to(case, stage, *, lead_user, mediator_resident):
    """Move the case on: "assigned", "in_mediation", "agreed", "not_agreed", "closed"."""
    m.do_assign_mediator(case, mediator_resident, actor=lead_user)
    item = case.assignments.get(resident=mediator_resident)
    m.do_respond_assignment(item, accept=True, actor=mediator_resident.user)
    if stage == "assigned":
        return case
    m.do_record_session(
        case,
        held_on=timezone.localdate(),
        place="社区调解室",
        notes="双方各自陈述，同意晚十点后不拖动家具",
        mediator_ids=[mediator_resident.user_id],
        actor=mediator_resident.user,
    )
    if stage == "in_mediation":
        return case
    agreed = stage != "not_agreed"
    m.do_record_outcome(
        case,
        agreed=agreed,
        facts="楼上住户夜间拖动椅子产生噪音",
        terms="晚十点后不拖动家具\n椅子脚加装防噪垫" if agreed else "",
        performance_deadline=timezone.localdate() + datetime.timedelta(days=7) if agreed else None,
        referral_to="" if agreed else "court",
        referral_note="" if agreed else "可向区人民法院起诉",
        actor=mediator_resident.user,
    )
    if stage == "closed":
        m.do_record_follow_up(case, kept=True, note="已履行", actor=mediator_resident.user)
    return case


def scene(world):
    """HD: a legal association with an assigned mediator and an unassigned one, a lead (a
    plain user), resident_a against a neighbour in another building; XH has its own lead.
    Cases: `open` (in mediation), `agreed` (agreement reached), `not_agreed`."""
    hd = world.hd
    assoc = legal_association(hd)
    mediator_r = mediator(assoc, hd, "调解员甲", "9栋", "901")
    other_mediator = mediator(assoc, hd, "调解员乙", "8栋", "801")
    lead_user = f.user(name="调解负责人")
    lead(hd, lead_user, world.worker_a)
    xh_lead = f.user(name="西湖调解负责人")
    lead(world.xh, xh_lead, world.worker_b)
    other_party = person(hd, "对方当事人", "5栋", "501")
    bystander = person(hd, "旁观居民", "6栋", "601")
    me = world.resident_a.resident
    cases = {}
    for stage in ("in_mediation", "agreed", "not_agreed"):
        c = case_between(hd, me, other_party, world.worker_a)
        cases[stage] = run_to(c, stage, lead_user=lead_user, mediator_resident=mediator_r)
    return SimpleNamespace(
        association=assoc,
        mediator=mediator_r,
        other_mediator=other_mediator,
        lead=lead_user,
        xh_lead=xh_lead,
        other_party=other_party,
        bystander=bystander,
        open=cases["in_mediation"],
        agreed=cases["agreed"],
        not_agreed=cases["not_agreed"],
    )
