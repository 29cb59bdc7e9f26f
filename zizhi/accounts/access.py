"""The one access layer: who may see what.

Every view and API route fetches rows through these helpers. Missing and forbidden look
the same (404), so ids reveal nothing. Scopes today: a subdistrict administrator sees every
community of the subdistrict; a community worker sees their communities; a resident sees
public items and their own data. Later apps add memberships of bodies (Party branch,
assembly, clerk) by extending `Access` with the scopes those memberships grant.
"""

from dataclasses import dataclass, field

from django.http import Http404

from zizhi.registry.models import Community, Household, Resident

from .models import Role, RoleKind


@dataclass(frozen=True)
class Access:
    user_id: int | None
    community_ids: frozenset[int] = field(default_factory=frozenset)
    subdistrict_ids: frozenset[int] = field(default_factory=frozenset)
    resident_id: int | None = None
    resident_community_id: int | None = None
    # a city administrator's cities: figures of their subdistricts, never a person's data
    city_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return bool(self.community_ids)

    @property
    def is_subdistrict_admin(self) -> bool:
        return bool(self.subdistrict_ids)

    @property
    def is_city_admin(self) -> bool:
        return bool(self.city_ids)

    @property
    def is_resident(self) -> bool:
        return self.resident_id is not None


ANONYMOUS = Access(user_id=None)


def access_for(user) -> Access:
    """The user's scopes, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_zizhi_access", None)
    if cached is not None:
        return cached
    subdistricts, communities, cities = set(), set(), set()
    for kind, sub_id, com_id, city_id in Role.objects.filter(user=user).values_list(
        "kind", "subdistrict_id", "community_id", "city_id"
    ):
        if kind == RoleKind.SUBDISTRICT_ADMIN:
            subdistricts.add(sub_id)
        elif kind == RoleKind.COMMUNITY_WORKER:
            communities.add(com_id)
        elif kind == RoleKind.CITY_ADMIN:
            cities.add(city_id)
    if subdistricts:
        communities |= set(
            Community.objects.filter(subdistrict_id__in=subdistricts).values_list("id", flat=True)
        )
    resident = Resident.objects.filter(user=user).values_list("id", "community_id").first()
    access = Access(
        user_id=user.pk,
        community_ids=frozenset(communities),
        subdistrict_ids=frozenset(subdistricts),
        resident_id=resident[0] if resident else None,
        resident_community_id=resident[1] if resident else None,
        city_ids=frozenset(cities),
    )
    user._zizhi_access = access
    return access


def staff_communities(user):
    return Community.objects.filter(id__in=access_for(user).community_ids).select_related(
        "subdistrict"
    )


def get_staff_community(user, code: str) -> Community:
    """A community the user works for, by code; 404 otherwise."""
    try:
        return staff_communities(user).get(code=code)
    except Community.DoesNotExist as exc:
        raise Http404 from exc


def get_public_community(code: str) -> Community:
    try:
        return Community.objects.select_related("subdistrict").get(code=code)
    except Community.DoesNotExist as exc:
        raise Http404 from exc


def residents_for(user):
    """Residents the user may see: staff their communities', a resident only themself."""
    access = access_for(user)
    if access.is_staff:
        return Resident.objects.filter(community_id__in=access.community_ids)
    if access.is_resident:
        return Resident.objects.filter(pk=access.resident_id)
    return Resident.objects.none()


def get_resident_for(user, pk, community: Community | None = None) -> Resident:
    qs = residents_for(user).select_related("household__building", "community", "user")
    if community is not None:
        qs = qs.filter(community=community)
    try:
        return qs.get(pk=pk)
    except (Resident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def households_for(user):
    access = access_for(user)
    if access.is_staff:
        return Household.objects.filter(community_id__in=access.community_ids)
    if access.is_resident:
        return Household.objects.filter(members__id=access.resident_id)
    return Household.objects.none()


def get_household_for(user, pk, community: Community | None = None) -> Household:
    qs = households_for(user).select_related("building", "community")
    if community is not None:
        qs = qs.filter(community=community)
    try:
        return qs.get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_reveal_id_number(user, resident: Resident) -> bool:
    return resident.community_id in access_for(user).community_ids


def require_staff(user) -> Access:
    access = access_for(user)
    if not access.is_staff:
        raise Http404
    return access
