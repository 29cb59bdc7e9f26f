"""Who may see and do what with Party data. The whole rule is here.

Party data (members, report-ins, claims, reports, visits) is seen by:
- users with a current seat (started, not ended) in the community's Party branch
  (Body kind party_branch) as secretary, deputy secretary or committee member
  (MemberRole secretary / deputy_secretary / member); a clerk's seat does not count;
- users with any current seat in the subdistrict's Party committee
  (Body kind subdistrict_party_committee) for every community of the subdistrict;
- a Party member: their own record, claims and quarterly reports only.
Community workers and subdistrict administrators without such a seat see nothing: they get
404 like anyone. Missing and forbidden are both 404. Service posts themselves are public.
"""

from django.http import Http404

from zizhi.accounts.access import access_for
from zizhi.governance.queries import party_seats
from zizhi.registry.models import Community

from .models import (
    CareVisit,
    MemberStatus,
    PartyMember,
    PartyOrganisation,
    PostClaim,
    QuarterlyReport,
    ServicePost,
)

BRANCH_KIND = "party_branch"
COMMITTEE_KIND = "subdistrict_party_committee"
BRANCH_ROLES = ("secretary", "deputy_secretary", "member")


def party_community_ids(user) -> frozenset[int]:
    """Communities whose Party data the user may see and manage (cached per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_zizhi_party_scope", None)
    if cached is not None:
        return cached
    communities, subdistricts = set(), set()
    for kind, role, community_id, subdistrict_id in party_seats(user):
        if kind == BRANCH_KIND and role in BRANCH_ROLES and community_id:
            communities.add(community_id)
        elif kind == COMMITTEE_KIND:
            subdistricts.add(subdistrict_id)
    if subdistricts:
        communities |= set(
            Community.objects.filter(subdistrict_id__in=subdistricts).values_list("id", flat=True)
        )
    scope = frozenset(communities)
    user._zizhi_party_scope = scope
    return scope


def can_manage(user, community_id: int) -> bool:
    return community_id in party_community_ids(user)


def is_branch_user(user) -> bool:
    return bool(party_community_ids(user))


def get_party_community(user, code: str) -> Community:
    """A community whose Party data the user may see, by code; 404 otherwise."""
    ids = party_community_ids(user)
    try:
        community = Community.objects.select_related("subdistrict").get(code=code)
    except Community.DoesNotExist as exc:
        raise Http404 from exc
    if community.pk not in ids:
        raise Http404
    return community


def own_member(user) -> PartyMember | None:
    """The user's own PartyMember row (through their registry resident), or None."""
    resident_id = access_for(user).resident_id
    if resident_id is None:
        return None
    cached = getattr(user, "_zizhi_party_member", False)
    if cached is not False:
        return cached
    member = (
        PartyMember.objects.select_related("resident", "community", "organisation")
        .filter(resident_id=resident_id)
        .first()
    )
    user._zizhi_party_member = member
    return member


def members_for(user, community: Community):
    """Members of the community the user may see: all for the branch, else only their own."""
    qs = PartyMember.objects.filter(community=community).select_related(
        "resident__household__building", "organisation", "community", "report_in"
    )
    if can_manage(user, community.pk):
        return qs
    me = own_member(user)
    return qs.filter(pk=me.pk) if me else qs.none()


def get_member_for(user, pk, community: Community | None = None) -> PartyMember:
    """A member the user may see: the branch of its community, or the member themself."""
    qs = PartyMember.objects.select_related(
        "resident__household__building", "organisation", "community__subdistrict"
    )
    if community is not None:
        qs = qs.filter(community=community)
    try:
        member = qs.get(pk=pk)
    except (PartyMember.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if can_manage(user, member.community_id):
        return member
    me = own_member(user)
    if me is not None and me.pk == member.pk:
        return member
    raise Http404


def get_managed_member(user, pk, community: Community | None = None) -> PartyMember:
    """A member for an action of the branch (evaluate, visit): the branch only."""
    member = get_member_for(user, pk, community)
    if not can_manage(user, member.community_id):
        raise Http404
    return member


def get_post_for(user, pk, community: Community | None = None) -> ServicePost:
    """Posts are public: any post by id (within the community when given)."""
    qs = ServicePost.objects.select_related("community")
    if community is not None:
        qs = qs.filter(community=community)
    try:
        return qs.get(pk=pk)
    except (ServicePost.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_claimable_post(user, pk, community: Community | None = None) -> ServicePost:
    """A post for the user to claim: only a Party member of the post's community; 404 for
    anyone else (a resident who is not a member learns nothing more than the public list)."""
    post = get_post_for(user, pk, community)
    me = own_member(user)
    if me is None or me.community_id != post.community_id:
        raise Http404
    return post


def get_own_claim(user, pk, community: Community | None = None) -> PostClaim:
    """A claim for its member to withdraw: only the member's own; 404 for anyone else
    (the branch included: withdrawing is the member's decision)."""
    me = own_member(user)
    qs = PostClaim.objects.select_related("post__community")
    if community is not None:
        qs = qs.filter(community=community)
    try:
        claim = qs.get(pk=pk)
    except (PostClaim.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if me is None or claim.member_id != me.pk:
        raise Http404
    return claim


def claims_for(user, community: Community):
    """Who claimed what: the branch sees every claim, a member their own, others nothing."""
    qs = PostClaim.objects.filter(community=community).select_related("post", "member__resident")
    if can_manage(user, community.pk):
        return qs
    me = own_member(user)
    return qs.filter(member=me) if me else qs.none()


def organisations_for(user, community: Community):
    if not can_manage(user, community.pk):
        return PartyOrganisation.objects.none()
    return PartyOrganisation.objects.filter(community=community)


def visits_for(user, community: Community):
    if not can_manage(user, community.pk):
        return CareVisit.objects.none()
    return CareVisit.objects.filter(community=community)


def reports_for(user, member: PartyMember):
    """Issued reports of a member the user may already see (get_member_for)."""
    return QuarterlyReport.objects.filter(member=member)


def may_report_in(user) -> bool:
    """A resident whose registry row says Party member, or an in-service PartyMember."""
    me = own_member(user)
    if me is not None:
        return me.status == MemberStatus.IN_SERVICE
    access = access_for(user)
    if access.resident_id is None:
        return False
    from zizhi.registry.models import Resident

    return Resident.objects.filter(
        pk=access.resident_id, political_status__in=["party_member", "probationary"]
    ).exists()
