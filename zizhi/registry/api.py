"""Registry API: communities (public), residents and households (scoped by the access layer)."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from zizhi.accounts.access import (
    access_for,
    get_household_for,
    get_public_community,
    get_resident_for,
    households_for,
    residents_for,
)

from .models import Community, Household
from .queries import FLAGS, households_with_counts, search_residents
from .schemas import (
    CommunityDetailOut,
    CommunityOut,
    HouseholdDetailOut,
    HouseholdOut,
    ResidentOut,
)

router = Router(tags=["registry"])
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    """Page size 50, at most 200; the page number is bounded so its offset fits the database."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def visible_community(user, code: str) -> Community:
    """A community whose rows the caller may list: staff's own, or a resident's own; else 404."""
    access = access_for(user)
    ids = access.community_ids if access.is_staff else {access.resident_community_id}
    community = Community.objects.filter(code=code, id__in=ids).first()
    if community is None:
        raise Http404
    return community


@router.get("/communities", response=list[CommunityOut], auth=None, summary="社区列表（公开）")
def list_communities(request, subdistrict: str = ""):
    qs = Community.objects.select_related("subdistrict").order_by("subdistrict__code", "code")
    if subdistrict:
        qs = qs.filter(subdistrict__code=subdistrict)
    return qs


@router.get(
    "/communities/{code}", response=CommunityDetailOut, auth=None, summary="社区详情（公开）"
)
def get_community(request, code: str):
    return get_public_community(code)


@router.get("/residents", response=list[ResidentOut], summary="居民名册（脱敏）")
@paginate(Pages)
def list_residents(request, community: str = "", q: str = "", flag: str = "", building: str = ""):
    if flag and flag not in FLAGS:
        raise HttpError(422, _("不支持的筛选条件：%(flag)s") % {"flag": flag})
    qs = residents_for(request.auth)
    if community:
        qs = qs.filter(community=visible_community(request.auth, community))
    return search_residents(qs, q, flag, building).select_related("community")


@router.get("/residents/{int:resident_id}", response=ResidentOut, summary="居民详情（脱敏）")
def get_resident(request, resident_id: int):
    return get_resident_for(request.auth, resident_id)


@router.get("/households", response=list[HouseholdOut], summary="户列表")
@paginate(Pages)
def list_households(request, community: str = "", building: str = ""):
    # Through a subquery: a resident's scope joins members, which would skew the count.
    qs = Household.objects.filter(pk__in=households_for(request.auth).values("pk"))
    if community:
        qs = qs.filter(community=visible_community(request.auth, community))
    if building:
        qs = qs.filter(building__name=building)
    return (
        households_with_counts(qs)
        .select_related("community")
        .order_by("community__code", "building__name", "door", "id")
    )


@router.get("/households/{int:household_id}", response=HouseholdDetailOut, summary="户详情")
def get_household(request, household_id: int):
    household = get_household_for(request.auth, household_id)
    members = list(
        residents_for(request.auth)
        .filter(household=household)
        .select_related("community", "household__building")
        .order_by("birth_date", "id")
    )
    household.visible_members = members
    household.member_count = household.members.count()
    return household
