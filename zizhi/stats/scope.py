"""Whose figures a dashboard counts, and who may see them.

- a community: its staff (community workers, the subdistrict's administrators) and the
  administrators of its city;
- a subdistrict: its administrators and the administrators of its city;
- a city: its administrators.
A city administrator sees figures only: the lists behind them (names) are for the staff of the
community (`may_list`). Anything else is a 404, like every other page.
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse

from zizhi.accounts.access import access_for
from zizhi.registry.models import City, Community, Subdistrict


@dataclass
class Unit:
    """One row of the comparison: a community (in a community's or subdistrict's dashboard)
    or a subdistrict (in a city's)."""

    kind: str
    code: str
    name: str
    community_ids: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        name = "stats:community" if self.kind == "community" else "stats:subdistrict"
        return reverse(name, args=[self.code])


@dataclass
class Scope:
    kind: str  # community | subdistrict | city
    code: str
    name: str
    units: list[Unit]
    parent: tuple[str, str] | None = None  # (name, url) of the level above, if the user may

    @property
    def community_ids(self) -> list[int]:
        return [pk for unit in self.units for pk in unit.community_ids]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"


def _community_unit(row) -> Unit:
    return Unit("community", row.code, row.name, [row.pk])


def community_scope(user, code: str) -> Scope:
    access = access_for(user)
    community = Community.objects.select_related("subdistrict").filter(code=code).first()
    if community is None or not (
        community.pk in access.community_ids or community.subdistrict.city_id in access.city_ids
    ):
        raise Http404
    sub = community.subdistrict
    parent = None
    if sub.pk in access.subdistrict_ids or sub.city_id in access.city_ids:
        parent = (sub.name, reverse("stats:subdistrict", args=[sub.code]))
    return Scope("community", community.code, community.name, [_community_unit(community)], parent)


def subdistrict_scope(user, code: str) -> Scope:
    access = access_for(user)
    sub = Subdistrict.objects.select_related("city").filter(code=code).first()
    if sub is None or not (sub.pk in access.subdistrict_ids or sub.city_id in access.city_ids):
        raise Http404
    units = [_community_unit(c) for c in Community.objects.filter(subdistrict=sub)]
    parent = None
    if sub.city_id in access.city_ids:
        parent = (sub.city.name, reverse("stats:city", args=[sub.city.code]))
    return Scope("subdistrict", sub.code, sub.name, units, parent)


def city_scope(user, code: str) -> Scope:
    city = City.objects.filter(code=code).first()
    if city is None or city.pk not in access_for(user).city_ids:
        raise Http404
    units: dict[int, Unit] = {}
    for sub in Subdistrict.objects.filter(city=city):
        units[sub.pk] = Unit("subdistrict", sub.code, sub.name)
    for pk, sub_id in Community.objects.filter(subdistrict__city=city).values_list(
        "pk", "subdistrict_id"
    ):
        units[sub_id].community_ids.append(pk)
    return Scope("city", city.code, city.name, list(units.values()))


SCOPES = {"community": community_scope, "subdistrict": subdistrict_scope, "city": city_scope}


def get_scope(user, kind: str, code: str) -> Scope:
    return SCOPES[kind](user, code)


def may_list(user, community_id: int) -> bool:
    """The lists behind a community's figures name people: for the community's staff."""
    return community_id in access_for(user).community_ids
