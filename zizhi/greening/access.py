"""Who may see and do what with plots, adoptions, logs and the greening fund.

Staff of a community (its workers, administrators of its subdistrict) manage its plots,
review applications, record inspections, donations and uses of the fund. An adopter logs
upkeep for their own active adoption: the resident who applied (or is named), members of the
household that adopted, current members of the association that adopted. A local unit has
no login: staff record for it. Anyone sees the public plot pages. Missing and forbidden both
answer 404.
"""

from django.db.models import Q
from django.http import Http404

from zizhi.accounts.access import access_for, get_public_community
from zizhi.associations.queries import association_choices
from zizhi.registry.models import Resident

from .models import Adoption, Plot, PlotState


def is_staff_of(user, community_id: int) -> bool:
    return community_id in access_for(user).community_ids


def my_resident(user) -> Resident | None:
    """The user's registry row (with household and community), or None."""
    rid = access_for(user).resident_id
    if rid is None:
        return None
    cached = getattr(user, "_greening_resident", None)
    if cached is None:
        cached = Resident.objects.select_related("community__subdistrict", "household").get(pk=rid)
        user._greening_resident = cached
    return cached


def my_resident_or_404(user) -> Resident:
    resident = my_resident(user)
    if resident is None:
        raise Http404
    return resident


def adopter_q(resident: Resident) -> Q:
    """Adoptions the resident acts for: their own, their household's, their associations'."""
    q = Q(resident_id=resident.pk)
    if resident.household_id:
        q |= Q(household_id=resident.household_id)
    ids = [pk for pk, _name in association_choices(resident.community, resident.pk)]
    if ids:
        q |= Q(association_id__in=ids)
    return Q(community_id=resident.community_id) & q


def my_adoptions(user):
    resident = my_resident(user)
    if resident is None:
        return Adoption.objects.none()
    return Adoption.objects.filter(adopter_q(resident))


def _get(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_my_adoption(user, pk) -> Adoption:
    return _get(my_adoptions(user).select_related("plot", "community"), pk=pk)


def can_log_upkeep(user, adoption: Adoption) -> bool:
    if is_staff_of(user, adoption.community_id):
        return True
    resident = my_resident(user)
    return resident is not None and my_adoptions(user).filter(pk=adoption.pk).exists()


def public_plots(community):
    return Plot.objects.filter(community=community).exclude(state=PlotState.RETIRED)


def get_public_plot(code: str, pk) -> Plot:
    community = get_public_community(code)
    return _get(public_plots(community).select_related("community"), pk=pk)


def staff_plots(user):
    return Plot.objects.filter(community_id__in=access_for(user).community_ids)


def get_staff_plot(user, code: str, pk) -> Plot:
    return _get(
        staff_plots(user).select_related("community__subdistrict"), community__code=code, pk=pk
    )


def get_staff_plot_by_id(user, pk) -> Plot:
    return _get(staff_plots(user).select_related("community"), pk=pk)


def staff_adoptions(user):
    return Adoption.objects.filter(community_id__in=access_for(user).community_ids)


def get_staff_adoption(user, code: str, pk) -> Adoption:
    return _get(
        staff_adoptions(user).select_related("plot", "community__subdistrict"),
        community__code=code,
        pk=pk,
    )


def get_adoption_for(user, pk) -> Adoption:
    """By id (the API): staff of its community, or its adopter."""
    found = staff_adoptions(user).select_related("plot", "community").filter(pk=pk).first()
    if found is not None:
        return found
    return get_my_adoption(user, pk)
