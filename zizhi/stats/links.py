"""The link behind each number: the list it counts, for those who may see that list."""

from django.urls import reverse

from zizhi.party.access import can_manage

from .definitions import Figure
from .period import Period
from .scope import Scope, Unit, may_list

# other apps' pages that anyone may open (the rest are for the community's staff)
PUBLIC_PAGES = {"greening:public_plots", "greening:fund", "mediation:stats"}


def community_href(user, figure: Figure, unit: Unit, period: Period) -> str:
    """The list behind one community's figure, or "" if the user may not see it."""
    kind, _, target = figure.link.partition(":")
    community_id = unit.community_ids[0]
    if kind == "list" and may_list(user, community_id):
        url = reverse("stats:list", args=[unit.code, target])
        return f"{url}?{period.query()}"
    if kind == "url" and (target in PUBLIC_PAGES or may_list(user, community_id)):
        return reverse(target, args=[unit.code])
    if kind == "party" and can_manage(user, community_id):
        return reverse(target, args=[unit.code])
    return ""


def href(user, figure: Figure, unit: Unit, period: Period) -> str:
    """A community's figure links to its list; a subdistrict's (in the city's dashboard) to
    that subdistrict's dashboard for the same period."""
    if unit.kind == "community":
        return community_href(user, figure, unit, period)
    return f"{unit.url}?{period.query()}#u-{figure.key}"


def scope_href(user, figure: Figure, scope: Scope, period: Period) -> str:
    """The scope's own total: a community's list; for more than one unit the comparison
    table below it on the same page."""
    if scope.kind == "community":
        return community_href(user, figure, scope.units[0], period)
    return f"#u-{figure.key}"
