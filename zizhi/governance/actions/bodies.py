"""Seats in bodies: appoint a member, end a membership (never deleted: the history stays)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.registry.models import Resident

from ..models import Body, BodyKind, MemberRole, Membership, ResidentGroup
from .common import refuse, require_staff

# the roles each kind of body has
ROLES = {
    BodyKind.PARTY_BRANCH: {MemberRole.SECRETARY, MemberRole.DEPUTY_SECRETARY, MemberRole.MEMBER},
    BodyKind.RESIDENTS_COMMITTEE: {MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER},
    BodyKind.REPRESENTATIVE_ASSEMBLY: {MemberRole.REPRESENTATIVE, MemberRole.CLERK},
    BodyKind.MEMBERS_ASSEMBLY: {
        MemberRole.REPRESENTATIVE,
        MemberRole.UNIT_DELEGATE,
        MemberRole.CLERK,
    },
    BodyKind.JOINT_MEETING: {MemberRole.UNIT_DELEGATE, MemberRole.CHAIR, MemberRole.CLERK},
    BodyKind.RESIDENTS_MEETING: {MemberRole.CLERK},
}


def do_add_membership(
    body: Body,
    resident: Resident,
    *,
    role: str,
    group: ResidentGroup | None = None,
    started_on: datetime.date | None = None,
    actor,
) -> Membership:
    """Seat a resident of the community in one of its bodies (their login, if any, acts)."""
    require_staff(actor, body.community_id)
    if resident.community_id != body.community_id:
        refuse(_("只能任命本社区的居民"))
    if role not in ROLES.get(body.kind, set()):
        refuse(
            _("%(body)s没有“%(role)s”这一职务")
            % {
                "body": body.name,
                "role": MemberRole(role).label if role in MemberRole.values else role,
            }
        )
    if group is not None and group.community_id != body.community_id:
        refuse(_("居民小组不属于本社区"))
    if Membership.objects.active().filter(body=body, resident=resident).exists():
        refuse(_("%(n)s已经是%(b)s的成员") % {"n": resident.name, "b": body.name})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                body=body,
                name=resident.name,
                resident=resident,
                user_id=resident.user_id,
                role=role,
                group=group,
                started_on=started_on or timezone.localdate(),
            )
            record(
                actor,
                "body.add_member",
                body,
                community=body.community,
                after={"member": resident.name, "role": role, "group": group.name if group else ""},
            )
    except IntegrityError:
        refuse(_("此账号已在本组织任职"))
    return membership


def do_end_membership(membership: Membership, *, reason: str, actor) -> Membership:
    body = membership.body
    require_staff(actor, body.community_id)
    if membership.ended_on is not None:
        refuse(_("此人已经离任"))
    if not reason.strip():
        refuse(_("请写明离任原因（任期届满、辞职、罢免、迁出等）"))
    with transaction.atomic():
        membership.ended_on = timezone.localdate()
        membership.save(update_fields=["ended_on"])
        record(
            actor,
            "body.end_member",
            body,
            community=body.community,
            after={"member": membership.name, "reason": reason.strip()},
        )
    return membership


def term_end_for(body: Body, start: datetime.date) -> datetime.date:
    """The day before the same date term_years later (a five-year term from 2021-06-01 ends
    on 2026-05-31)."""
    try:
        same_day = start.replace(year=start.year + body.term_years)
    except ValueError:  # 29 February
        same_day = start.replace(year=start.year + body.term_years, day=28)
    return same_day - datetime.timedelta(days=1)


def do_set_term(
    body: Body, *, term_start: datetime.date, term_end: datetime.date | None = None, actor
) -> Body:
    """Record the current term of a body (after an election): the start, and the end, by
    default term_years later. A term longer than term_years is refused."""
    require_staff(actor, body.community_id)
    if term_start is None:
        refuse(_("请填写本届任期开始日期"))
    longest = term_end_for(body, term_start)
    term_end = term_end or longest
    if term_end <= term_start:
        refuse(_("任期届满日期必须晚于开始日期"))
    if term_end > longest:
        refuse(
            _("%(b)s每届任期%(n)s年，届满日期不能晚于%(d)s")
            % {"b": body.name, "n": body.term_years, "d": longest.isoformat()}
        )
    before = {
        "term_start": body.term_start.isoformat() if body.term_start else None,
        "term_end": body.term_end.isoformat() if body.term_end else None,
    }
    with transaction.atomic():
        body.term_start, body.term_end = term_start, term_end
        body.save(update_fields=["term_start", "term_end"])
        record(
            actor,
            "body.set_term",
            body,
            community=body.community,
            before=before,
            after={"term_start": term_start.isoformat(), "term_end": term_end.isoformat()},
        )
    return body
