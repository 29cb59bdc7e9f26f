"""Party rows for tests: branches and committee seats, members, posts, a report.

party_world(world) adds to tests/conftest.py's world: the HD and XH Party branches with a
secretary each, the dh and nh subdistrict Party committees with a member each, an
in-service HD member with a login (reported in, one post claimed) and a retired HD member
without a login, an HD employer organisation, an HD post, and an XH member.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from zizhi.governance.models import Body, BodyKind, MemberRole, Membership
from zizhi.party import actions
from zizhi.party.models import QuarterlyReport, quarter_of

from . import factories as f

TERM_START = datetime.date(2024, 1, 1)


def body(world, kind, community=None, sub=None):
    sub = sub or (community.subdistrict if community else world.dh)
    name = f"{community.name if community else sub.name}{'党支部' if community else '党工委'}"
    return Body.objects.create(kind=kind, name=name, subdistrict=sub, community=community)


def seat(body, role=MemberRole.SECRETARY, name="书记", started_on=TERM_START, ended_on=None):
    user = f.user(name=name)
    Membership.objects.create(
        body=body, name=name, user=user, role=role, started_on=started_on, ended_on=ended_on
    )
    return user


def party_resident_user(community, name):
    """A resident with a login whose registry row says Party member."""
    user = f.resident_user(community, name)
    r = user.resident
    r.political_status = "party_member"
    r.birth_date = datetime.date(1985, 5, 1)
    r.save()
    return user


def party_world(world):
    hd_branch = body(world, BodyKind.PARTY_BRANCH, world.hd)
    xh_branch = body(world, BodyKind.PARTY_BRANCH, world.xh)
    dh_committee = body(world, BodyKind.SUBDISTRICT_PARTY_COMMITTEE, sub=world.dh)
    nh_committee = body(world, BodyKind.SUBDISTRICT_PARTY_COMMITTEE, sub=world.nh)
    p = SimpleNamespace(
        hd_branch=hd_branch,
        hd_secretary=seat(hd_branch, name="湖东书记"),
        xh_secretary=seat(xh_branch, name="西湖书记"),
        dh_committee=seat(dh_committee, MemberRole.MEMBER, "东湖党工委委员"),
        nh_committee=seat(nh_committee, MemberRole.MEMBER, "南湖党工委委员"),
    )
    p.org = actions.do_register_organisation(
        world.hd, name="区税务局机关党支部", employer="区税务局", actor=p.hd_secretary
    )
    p.post = actions.do_create_post(
        world.hd, title="周末巡逻", description="周六上午", places=5, actor=p.hd_secretary
    )
    p.post2 = actions.do_create_post(world.hd, title="法律咨询", actor=p.hd_secretary)
    # an in-service member with a login: reports in, claims a post
    p.member_user = party_resident_user(world.hd, "湖东党员")
    actions.do_report_in(
        employer="区税务局",
        organisation=p.org,
        joined_on=datetime.date(2010, 7, 1),
        skills="税务咨询",
        actor=p.member_user,
    )
    p.member = p.member_user.resident.party_member
    p.claim = actions.do_claim_post(p.post, actor=p.member_user)
    # a retired member without a login
    other = f.resident(world.hd, name="老党员", born=datetime.date(1940, 6, 1))
    p.other = actions.do_register_member(
        world.hd,
        other,
        status="retired",
        joined_on=datetime.date(1965, timezone.localdate().month, 1),
        actor=p.hd_secretary,
    )
    p.quarter = quarter_of(timezone.localdate())
    p.report = actions.do_evaluate_member(
        p.member, p.quarter, grade="excellent", comment="积极", actor=p.hd_secretary
    )
    p.other_report = actions.do_evaluate_member(
        p.other, p.quarter, grade="qualified", actor=p.hd_secretary
    )
    p.visit = actions.do_record_visit(
        p.other,
        visited_on=timezone.localdate(),
        kind="visit",
        visitor="湖东书记",
        actor=p.hd_secretary,
    )
    xh_res = f.resident(world.xh, name="西湖党员", born=datetime.date(1970, 1, 1))
    p.xh_member = actions.do_register_member(
        world.xh,
        xh_res,
        status="retired",
        joined_on=datetime.date(1995, 1, 1),
        actor=p.xh_secretary,
    )
    p.xh_post = actions.do_create_post(world.xh, title="西湖岗位", actor=p.xh_secretary)
    return p


def issued(report: QuarterlyReport) -> QuarterlyReport:
    return QuarterlyReport.objects.get(pk=report.pk)


def reported_in_member(community, name, employer="区税务局", organisation=None):
    """An in-service Party member with a login who lives in `community` and has reported in
    to it through the party app (so party.queries.is_member is True for it)."""
    user = party_resident_user(community, name)
    actions.do_report_in(
        employer=employer,
        organisation=organisation,
        joined_on=datetime.date(2010, 7, 1),
        actor=user,
    )
    return user
