"""党员服务 API. Party data for the branch (and the subdistrict Party committee) and, for a
member, their own record and reports; service posts are public. Not-yours is 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from zizhi.accounts.access import get_public_community
from zizhi.accounts.api_auth import PUBLIC
from zizhi.registry.models import Resident

from . import actions
from .access import (
    get_claimable_post,
    get_managed_member,
    get_member_for,
    get_own_claim,
    get_party_community,
    get_post_for,
    may_report_in,
    members_for,
    organisations_for,
    own_member,
)
from .models import PartyOrganisation, ServicePost, quarter_of
from .queries import birthdays, care_list, gaps, quarter_report
from .schemas import (
    CareOut,
    ClaimIn,
    ClaimOut,
    EvaluationIn,
    GapsOut,
    MemberIn,
    MemberOut,
    OrganisationIn,
    OrganisationOut,
    PostIn,
    PostOut,
    QuarterReportOut,
    ReportInIn,
    ReportInOut,
    VisitIn,
    VisitOut,
)

router = Router(tags=["party"])


def _forbidden(exc) -> HttpError:
    return HttpError(403, str(exc) if str(exc) else "")


@router.get(
    "/party/communities/{code}/members",
    response=list[MemberOut],
    url_name="party_members",
    summary="党员名册（本社区党支部委员、街道党工委）",
)
def list_members(request, code: str, status: str = ""):
    community = get_party_community(request.auth, code)
    qs = members_for(request.auth, community).select_related("report_in")
    if status:
        qs = qs.filter(status=status)
    return list(qs)


@router.post(
    "/party/communities/{code}/members",
    response={201: MemberOut},
    url_name="register_party_member",
    summary="登记党员",
)
def register_member(request, code: str, payload: MemberIn):
    community = get_party_community(request.auth, code)
    resident = Resident.objects.filter(pk=payload.resident_id, community=community).first()
    if resident is None:
        raise Http404
    org = None
    if payload.organisation_id:
        org = organisations_for(request.auth, community).filter(pk=payload.organisation_id).first()
        if org is None:
            raise Http404
    member = actions.do_register_member(
        community,
        resident,
        status=payload.status,
        joined_on=payload.joined_on,
        employer=payload.employer,
        organisation=org,
        branch=payload.branch,
        note=payload.note,
        actor=request.auth,
    )
    return Status(201, member)


@router.get(
    "/party/members/{int:member_id}",
    response=MemberOut,
    url_name="party_member",
    summary="党员详情（党支部，或党员本人）",
)
def get_member(request, member_id: int):
    return get_member_for(request.auth, member_id)


@router.get("/party/me", response=MemberOut, url_name="party_me", summary="我的党员信息")
def me(request):
    member = own_member(request.auth)
    if member is None:
        raise Http404
    return member


@router.get(
    "/party/communities/{code}/organisations",
    response=list[OrganisationOut],
    url_name="party_organisations",
    summary="已报到的单位党组织",
)
def list_organisations(request, code: str):
    return list(organisations_for(request.auth, get_party_community(request.auth, code)))


@router.post(
    "/party/communities/{code}/organisations",
    response={201: OrganisationOut},
    url_name="register_party_organisation",
    summary="登记单位党组织报到",
)
def register_organisation(request, code: str, payload: OrganisationIn):
    community = get_party_community(request.auth, code)
    org = actions.do_register_organisation(community, **payload.dict(), actor=request.auth)
    return Status(201, org)


@router.get(
    "/party/communities/{code}/posts",
    response=list[PostOut],
    auth=PUBLIC,
    url_name="party_posts",
    summary="社区党员服务岗位（公开）",
)
def list_posts(request, code: str):
    community = get_public_community(code)
    return list(ServicePost.objects.filter(community=community).select_related("community"))


@router.post(
    "/party/communities/{code}/posts",
    response={201: PostOut},
    url_name="create_service_post",
    summary="发布服务岗位或需求",
)
def create_post(request, code: str, payload: PostIn):
    community = get_party_community(request.auth, code)
    post = actions.do_create_post(community, **payload.dict(), actor=request.auth)
    return Status(201, post)


@router.post(
    "/party/posts/{int:post_id}/claims",
    response={201: ClaimOut},
    url_name="claim_service_post",
    summary="认领服务岗位（本社区党员）",
)
def claim_post(request, post_id: int, payload: ClaimIn):
    post = get_claimable_post(request.auth, post_id)
    try:
        claim = actions.do_claim_post(post, note=payload.note, actor=request.auth)
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    return Status(201, claim)


@router.post(
    "/party/claims/{int:claim_id}/withdraw",
    response=PostOut,
    url_name="withdraw_service_claim",
    summary="撤回自己对服务岗位的认领（本人；岗位开放且本季度尚未评价）",
)
def withdraw_claim(request, claim_id: int):
    claim = get_own_claim(request.auth, claim_id)
    try:
        return actions.do_withdraw_claim(claim, actor=request.auth)
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc


def _branch_post(request, post_id: int) -> ServicePost:
    post = get_post_for(request.auth, post_id)
    get_party_community(request.auth, post.community.code)
    return post


@router.post(
    "/party/posts/{int:post_id}/close",
    response=PostOut,
    url_name="close_service_post",
    summary="服务岗位停止认领（党支部）",
)
def close_post(request, post_id: int):
    return actions.do_close_post(_branch_post(request, post_id), actor=request.auth)


@router.post(
    "/party/posts/{int:post_id}/reopen",
    response=PostOut,
    url_name="reopen_service_post",
    summary="服务岗位重新开放认领（党支部）",
)
def reopen_post(request, post_id: int):
    return actions.do_reopen_post(_branch_post(request, post_id), actor=request.auth)


@router.post(
    "/party/report-in",
    response={201: ReportInOut},
    url_name="party_report_in",
    summary="在职党员到居住地社区报到",
)
def report_in(request, payload: ReportInIn):
    if not may_report_in(request.auth):
        raise Http404
    org = None
    if payload.organisation_id:
        org = PartyOrganisation.objects.filter(pk=payload.organisation_id).first()
        if org is None:
            raise Http404
    try:
        done = actions.do_report_in(
            employer=payload.employer,
            organisation=org,
            joined_on=payload.joined_on,
            skills=payload.skills,
            availability=payload.availability,
            actor=request.auth,
        )
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    return Status(201, done)


def _report_out(member, quarter: str) -> dict:
    try:
        rep = quarter_report(member, quarter)
    except ValueError as exc:
        raise Http404 from exc
    issued = rep.issued
    return {
        "member_id": member.pk,
        "quarter": quarter,
        "start": rep.start,
        "end": rep.end,
        "posts": [c.post.title for c in rep.posts],
        "services": rep.records,
        "minutes": rep.minutes,
        "evaluation": None
        if issued is None
        else {
            "number": issued.number,
            "grade": issued.grade,
            "comment": issued.comment,
            "minutes": issued.minutes,
            "evaluated_at": issued.evaluated_at,
        },
    }


@router.get(
    "/party/members/{int:member_id}/reports/{quarter}",
    response=QuarterReportOut,
    url_name="party_report",
    summary="党员季度报告（如 2026Q4）",
)
def get_report(request, member_id: int, quarter: str):
    return _report_out(get_member_for(request.auth, member_id), quarter)


@router.post(
    "/party/members/{int:member_id}/reports/{quarter}/evaluation",
    response=QuarterReportOut,
    url_name="evaluate_party_member",
    summary="社区评价并出具季度报告",
)
def evaluate(request, member_id: int, quarter: str, payload: EvaluationIn):
    member = get_managed_member(request.auth, member_id)
    actions.do_evaluate_member(
        member, quarter, grade=payload.grade, comment=payload.comment, actor=request.auth
    )
    return _report_out(member, quarter)


@router.get(
    "/party/communities/{code}/gaps",
    response=GapsOut,
    url_name="party_gaps",
    summary="未报到、未认领岗位或本季度没有服务的在职党员",
)
def list_gaps(request, code: str):
    community = get_party_community(request.auth, code)
    quarter = quarter_of(timezone.localdate())
    found = gaps(community, quarter)
    return {
        "quarter": quarter,
        "not_reported": found["not_reported"],
        "idle": [
            {
                "member_id": row["member"].pk,
                "name": row["member"].resident.name,
                "claimed": row["claimed"],
                "minutes": row["minutes"],
            }
            for row in found["idle"]
        ],
    }


@router.get(
    "/party/communities/{code}/care",
    response=CareOut,
    url_name="party_care",
    summary="离退休党员走访情况和本月政治生日",
)
def care(request, code: str):
    community = get_party_community(request.auth, code)
    return {
        "members": [
            {
                "member_id": r["member"].pk,
                "name": r["member"].resident.name,
                **{k: r[k] for k in ("age", "elderly", "alone", "ill", "last_visit", "due")},
            }
            for r in care_list(community)
        ],
        "birthdays": [
            {
                "member_id": b["member"].pk,
                "name": b["member"].resident.name,
                "day": b["day"],
                "years": b["years"],
            }
            for b in birthdays(community)
        ],
    }


@router.post(
    "/party/members/{int:member_id}/visits",
    response={201: VisitOut},
    url_name="record_care_visit",
    summary="记录走访慰问",
)
def record_visit(request, member_id: int, payload: VisitIn):
    member = get_managed_member(request.auth, member_id)
    visit = actions.do_record_visit(member, **payload.dict(), actor=request.auth)
    return Status(201, visit)
