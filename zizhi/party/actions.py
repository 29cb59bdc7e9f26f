"""Changes to Party data. Each checks permission and rules, changes rows and writes one
audit event. The branch (and the subdistrict Party committee) registers members and
organisations, lists posts, evaluates and records visits; a member reports in and claims."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.registry.models import Community, Resident

from .access import can_manage, own_member
from .models import (
    BranchKind,
    CareVisit,
    Grade,
    MemberStatus,
    PartyMember,
    PartyOrganisation,
    PostClaim,
    PostKind,
    QuarterlyReport,
    ReportIn,
    ServicePost,
    VisitKind,
    quarter_bounds,
)
from .queries import quarter_report

PARTY_STATUSES = ("party_member", "probationary")


def _require_branch(community_id: int, actor) -> None:
    if not can_manage(actor, community_id):
        raise PermissionDenied(_("只有本社区党支部委员或街道党工委成员可以进行此操作"))


def _text(value, limit: int, label: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("请填写%(f)s") % {"f": label})
    if len(value) > limit:
        raise ValidationError(_("%(f)s不能超过 %(n)s 个字") % {"f": label, "n": limit})
    return value


def _check_joined(resident: Resident, joined_on) -> None:
    today = timezone.localdate()
    if not isinstance(joined_on, datetime.date):
        raise ValidationError(_("请填写入党日期"))
    if joined_on > today:
        raise ValidationError(_("入党日期不能晚于今天"))
    try:
        eighteen = resident.birth_date.replace(year=resident.birth_date.year + 18)
    except ValueError:
        eighteen = resident.birth_date.replace(year=resident.birth_date.year + 18, day=28)
    if joined_on < eighteen:
        raise ValidationError(_("入党日期早于年满十八周岁，请核对"))


def _member_summary(m: PartyMember) -> dict:
    return {
        "resident": m.resident_id,
        "status": m.status,
        "joined_on": m.joined_on.isoformat(),
        "branch": m.branch,
        "organisation": m.organisation_id,
    }


def _check_org(community_id: int, organisation) -> None:
    if organisation is not None and organisation.community_id != community_id:
        raise ValidationError(_("所选单位党组织没有在本社区报到"))


@transaction.atomic
def do_register_member(
    community: Community,
    resident: Resident,
    *,
    status: str,
    joined_on,
    employer: str = "",
    organisation: PartyOrganisation | None = None,
    branch: str = BranchKind.COMMUNITY,
    note: str = "",
    actor,
) -> PartyMember:
    _require_branch(community.pk, actor)
    if resident.community_id != community.pk:
        raise ValidationError(_("这位居民不住在本社区"))
    if status not in MemberStatus.values:
        raise ValidationError(_("请选择党员类别"))
    if branch not in BranchKind.values:
        raise ValidationError(_("请选择组织关系所在"))
    _check_joined(resident, joined_on)
    _check_org(community.pk, organisation)
    if status != MemberStatus.IN_SERVICE:
        organisation, employer = None, employer if status == MemberStatus.MOBILE else ""
    if PartyMember.objects.filter(resident=resident).exists():
        raise ValidationError(_("这位居民已经登记为党员"))
    member = PartyMember.objects.create(
        community=community,
        resident=resident,
        status=status,
        joined_on=joined_on,
        branch=branch,
        employer=_text(employer, 100, _("工作单位")),
        organisation=organisation,
        note=_text(note, 200, _("备注")),
    )
    record(
        actor, "party.member.register", member, community=community, after=_member_summary(member)
    )
    return member


@transaction.atomic
def do_register_organisation(
    community: Community,
    *,
    name: str,
    employer: str,
    contact_name: str = "",
    contact_phone: str = "",
    actor,
) -> PartyOrganisation:
    """An employer's Party organisation reports in to the community (recorded by the branch)."""
    _require_branch(community.pk, actor)
    name = _text(name, 100, _("党组织名称"), required=True)
    employer = _text(employer, 100, _("所在单位"), required=True)
    if PartyOrganisation.objects.filter(community=community, name=name).exists():
        raise ValidationError(_("这个单位党组织已经报到过了"))
    org = PartyOrganisation.objects.create(
        community=community,
        name=name,
        employer=employer,
        contact_name=_text(contact_name, 50, _("联系人")),
        contact_phone=_text(contact_phone, 30, _("联系电话")),
        registered_on=timezone.localdate(),
    )
    record(actor, "party.organisation.register", org, community=community, after={"name": name})
    return org


@transaction.atomic
def do_report_in(
    *,
    employer: str,
    organisation: PartyOrganisation | None = None,
    joined_on=None,
    skills: str = "",
    availability: str = "",
    actor,
) -> ReportIn:
    """An in-service member reports in to the community where they live. A resident whose
    registry row says Party member and who is not yet registered becomes an in-service
    member of the community (organisation relation with the employer)."""
    resident = Resident.objects.select_related("community").filter(user_id=actor.pk).first()
    if resident is None:
        raise PermissionDenied(_("只有本社区居民党员可以报到"))
    community = resident.community
    _check_org(community.pk, organisation)
    employer = _text(employer, 100, _("工作单位"), required=True)
    member = own_member(actor)
    if member is None:
        if resident.political_status not in PARTY_STATUSES:
            raise PermissionDenied(_("只有党员可以报到"))
        _check_joined(resident, joined_on)
        member = PartyMember.objects.create(
            community=community,
            resident=resident,
            status=MemberStatus.IN_SERVICE,
            joined_on=joined_on,
            branch=BranchKind.EMPLOYER,
            employer=employer,
            organisation=organisation,
        )
        actor._zizhi_party_member = member
    else:
        if member.status != MemberStatus.IN_SERVICE:
            raise ValidationError(_("只有在职党员需要到居住地社区报到"))
        member.employer = employer
        member.organisation = organisation or member.organisation
        member.save(update_fields=["employer", "organisation"])
    if ReportIn.objects.filter(member=member).exists():
        raise ValidationError(_("您已经报到过了"))
    report_in = ReportIn.objects.create(
        community=community,
        member=member,
        reported_on=timezone.localdate(),
        skills=_text(skills, 200, _("特长")),
        availability=_text(availability, 100, _("可服务时间")),
    )
    record(
        actor,
        "party.report_in",
        report_in,
        community=community,
        after={"member": member.pk, "employer": employer, "organisation": member.organisation_id},
    )
    return report_in


@transaction.atomic
def do_create_post(
    community: Community,
    *,
    title: str,
    kind: str = PostKind.POST,
    description: str = "",
    places: int = 0,
    actor,
) -> ServicePost:
    _require_branch(community.pk, actor)
    if kind not in PostKind.values:
        raise ValidationError(_("请选择类型"))
    try:
        places = int(places or 0)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("名额请填写数字")) from exc
    if places < 0 or places > 500:
        raise ValidationError(_("名额应在 0 到 500 之间（0 表示不限）"))
    post = ServicePost.objects.create(
        community=community,
        kind=kind,
        title=_text(title, 100, _("岗位名称"), required=True),
        description=_text(description, 2000, _("说明")),
        places=places,
    )
    record(actor, "party.post.create", post, community=community, after={"title": post.title})
    return post


@transaction.atomic
def do_claim_post(post: ServicePost, *, note: str = "", actor) -> PostClaim:
    """A member of the post's community claims it (an in-service member once reported in)."""
    member = own_member(actor)
    if member is None or member.community_id != post.community_id:
        raise PermissionDenied(_("只有本社区的党员可以认领岗位"))
    if (
        member.status == MemberStatus.IN_SERVICE
        and not ReportIn.objects.filter(member=member).exists()
    ):
        raise ValidationError(_("请先到社区报到，再认领岗位"))
    post = ServicePost.objects.select_for_update().get(pk=post.pk)
    if not post.is_open:
        raise ValidationError(_("这个岗位已停止认领"))
    if PostClaim.objects.filter(post=post, member=member).exists():
        raise ValidationError(_("您已经认领了这个岗位"))
    if post.places and PostClaim.objects.filter(post=post).count() >= post.places:
        raise ValidationError(_("这个岗位的名额已满"))
    try:
        with transaction.atomic():
            claim = PostClaim.objects.create(
                community_id=post.community_id,
                post=post,
                member=member,
                claimed_on=timezone.localdate(),
                note=_text(note, 200, _("说明")),
            )
    except IntegrityError as exc:
        raise ValidationError(_("您已经认领了这个岗位")) from exc
    record(
        actor,
        "party.post.claim",
        claim,
        community=post.community,
        after={"post": post.pk, "member": member.pk},
    )
    return claim


def report_number(member: PartyMember, quarter: str) -> str:
    return f"DY-{member.community.code}-{quarter}-{member.pk:05d}"


@transaction.atomic
def do_evaluate_member(
    member: PartyMember, quarter: str, *, grade: str, comment: str = "", actor
) -> QuarterlyReport:
    """The branch evaluates a member's quarter: the report is issued (or re-issued with the
    figures of now), with its number and verification code."""
    _require_branch(member.community_id, actor)
    try:
        start, _end = quarter_bounds(quarter)
    except ValueError as exc:
        raise ValidationError(_("季度格式应为 2026Q4")) from exc
    if start > timezone.localdate():
        raise ValidationError(_("这个季度还没有开始，不能评价"))
    if grade not in Grade.values:
        raise ValidationError(_("请选择评价等次"))
    comment = _text(comment, 500, _("评语"))
    figures = quarter_report(member, quarter)
    fields = {
        "minutes": figures.minutes,
        "posts": [c.post.title for c in figures.posts],
        "activities": [
            {"date": r["date"].isoformat(), "content": r["content"], "minutes": r["minutes"]}
            for r in figures.records
        ],
        "grade": grade,
        "comment": comment,
        "evaluated_by": actor,
    }
    report = (
        QuarterlyReport.objects.select_for_update().filter(member=member, quarter=quarter).first()
    )
    before = {"grade": report.grade, "minutes": report.minutes} if report else None
    if report is None:
        report = QuarterlyReport.objects.create(
            community_id=member.community_id,
            member=member,
            quarter=quarter,
            number=report_number(member, quarter),
            verify_code=secrets.token_urlsafe(16),
            **fields,
        )
    else:
        for key, value in fields.items():
            setattr(report, key, value)
        report.save()
    record(
        actor,
        "party.report.evaluate",
        report,
        community=member.community,
        before=before,
        after={"quarter": quarter, "grade": grade, "minutes": report.minutes},
    )
    return report


@transaction.atomic
def do_record_visit(
    member: PartyMember,
    *,
    visited_on,
    kind: str,
    visitor: str,
    ill: bool = False,
    needs: str = "",
    notes: str = "",
    actor,
) -> CareVisit:
    _require_branch(member.community_id, actor)
    if not isinstance(visited_on, datetime.date):
        raise ValidationError(_("请填写走访日期"))
    if visited_on > timezone.localdate():
        raise ValidationError(_("走访日期不能晚于今天"))
    if kind not in VisitKind.values:
        raise ValidationError(_("请选择走访类型"))
    visit = CareVisit.objects.create(
        community_id=member.community_id,
        member=member,
        visited_on=visited_on,
        kind=kind,
        visitor=_text(visitor, 100, _("走访人"), required=True),
        ill=bool(ill),
        needs=_text(needs, 300, _("发现的需求")),
        notes=_text(notes, 5000, _("情况记录")),
        recorded_by=actor,
    )
    record(
        actor,
        "party.visit.record",
        visit,
        community=member.community,
        after={"member": member.pk, "kind": kind, "visited_on": visited_on.isoformat()},
    )
    return visit


from .post_actions import do_close_post, do_reopen_post, do_withdraw_claim  # noqa: E402

__all__ = [
    "do_claim_post",
    "do_close_post",
    "do_create_post",
    "do_evaluate_member",
    "do_record_visit",
    "do_register_member",
    "do_register_organisation",
    "do_reopen_post",
    "do_report_in",
    "do_withdraw_claim",
]
