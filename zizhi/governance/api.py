"""Governance API: bodies and members here; meetings and attendance (api_meetings.py),
polls and ballots (api_polls.py), major matters (api_matters.py).

Who sees what is the access layer's (governance/access.py): staff of the community,
members of its bodies, members of the subdistrict Party working committee; everyone else
gets 404, as for a missing row. Every change goes through governance.actions: a refused
request answers 400 with the Chinese reason, a forbidden one 403.
"""

from django.db.models import CharField, Count, F, Q, Value
from django.http import Http404
from ninja import Router
from ninja.pagination import paginate

from zizhi.accounts.access import access_for
from zizhi.registry.api import Pages

from . import actions
from .access import is_committee_member, is_staff_of, require_governance_community
from .api_charter import router as charter_router
from .api_matters import router as matters_router
from .api_meetings import router as meetings_router
from .api_polls import router as polls_router
from .api_reports import router as reports_router
from .models import Body, Membership
from .schemas import BodyOut, MembershipOut, TermIn

router = Router(tags=["governance"])
router.add_router("/", meetings_router)
router.add_router("/", polls_router)
router.add_router("/", matters_router)
router.add_router("/", charter_router)
router.add_router("/", reports_router)


def _with_member_count(qs):
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__ended_on__isnull=True))
    )


@router.get(
    "/bodies",
    response=list[BodyOut],
    url_name="list_bodies",
    summary="社区的组织（党支部、居委会、居民代表大会……）",
)
@paginate(Pages)
def list_bodies(request, community: str):
    found = require_governance_community(request.auth, community)
    return (
        _with_member_count(Body.objects.filter(community=found))
        .select_related("community")
        .order_by("kind", "id")
    )


def _visible_body(user, pk) -> Body:
    body = Body.objects.select_related("community__subdistrict").filter(pk=pk).first()
    if body is None:
        raise Http404
    if body.community is not None:
        require_governance_community(user, body.community.code)
    elif not (
        body.subdistrict_id in access_for(user).subdistrict_ids
        or is_committee_member(user, body.subdistrict_id)
    ):
        raise Http404
    return body


@router.get(
    "/bodies/{int:body_id}/memberships",
    response=list[MembershipOut],
    url_name="list_memberships",
    summary="组织的成员（含任期；电话仅工作人员可见）",
)
@paginate(Pages)
def list_memberships(request, body_id: int, current: bool = False):
    body = _visible_body(request.auth, body_id)
    staff = (
        is_staff_of(request.auth, body.community_id)
        if body.community_id
        else body.subdistrict_id in access_for(request.auth).subdistrict_ids
    )
    qs = Membership.objects.filter(body=body)
    if current:
        qs = qs.filter(ended_on__isnull=True)
    phone = F("resident__phone") if staff else Value(None, output_field=CharField())
    return (
        qs.select_related("group")
        .annotate(visible_phone=phone)
        .order_by(F("ended_on").desc(nulls_first=True), "id")
    )


@router.put(
    "/bodies/{int:body_id}/term",
    response=BodyOut,
    url_name="set_term",
    summary="登记本届任期（换届选举后；届满日期不填按任期年限计算）",
)
def set_term(request, body_id: int, payload: TermIn):
    body = _visible_body(request.auth, body_id)
    actions.do_set_term(
        body, term_start=payload.term_start, term_end=payload.term_end, actor=request.auth
    )
    return _with_member_count(Body.objects.filter(pk=body.pk)).select_related("community").get()
