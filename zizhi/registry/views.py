from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zizhi.accounts.access import (
    get_household_for,
    get_resident_for,
    get_staff_community,
    households_for,
    residents_for,
)
from zizhi.accounts.actions import do_issue_activation_code

from . import actions
from .models import Building
from .queries import FLAGS, households_with_counts, search_residents

PAGE_SIZE = 50


@login_required
def roster(request, code):
    community = get_staff_community(request.user, code)
    q = request.GET.get("q", "").strip()
    flag = request.GET.get("flag", "")
    building = request.GET.get("building", "")
    qs = search_residents(
        residents_for(request.user).filter(community=community), q, flag, building
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "current_community": community,
        "page": page,
        "q": q,
        "flag": flag,
        "flags": FLAGS,
        "building": building,
        "buildings": Building.objects.filter(community=community).values_list("name", flat=True),
    }
    template = "registry/_roster_rows.html" if request.htmx else "registry/roster.html"
    return render(request, template, context)


@login_required
def resident_detail(request, code, pk):
    community = get_staff_community(request.user, code)
    resident = get_resident_for(request.user, pk, community)
    housemates = []
    if resident.household_id:
        housemates = resident.household.members.exclude(pk=resident.pk)
    return render(
        request,
        "registry/resident.html",
        {
            "current_community": community,
            "resident": resident,
            "housemates": housemates,
        },
    )


@login_required
@require_POST
def reveal_id_number(request, code, pk):
    community = get_staff_community(request.user, code)
    resident = get_resident_for(request.user, pk, community)
    full = actions.do_reveal_id_number(resident, actor=request.user)
    return render(request, "registry/_id_revealed.html", {"resident": resident, "full": full})


@login_required
@require_POST
def issue_activation_code(request, code, pk):
    community = get_staff_community(request.user, code)
    resident = get_resident_for(request.user, pk, community)
    try:
        activation = do_issue_activation_code(resident, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:resident", code, pk)
    return render(
        request,
        "registry/activation_slip.html",
        {
            "current_community": community,
            "resident": resident,
            "code": activation,
        },
    )


@login_required
def households(request, code):
    community = get_staff_community(request.user, code)
    building = request.GET.get("building", "")
    qs = households_with_counts(households_for(request.user).filter(community=community))
    if building:
        qs = qs.filter(building__name=building)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/households.html",
        {
            "current_community": community,
            "page": page,
            "building": building,
            "buildings": Building.objects.filter(community=community).values_list(
                "name", flat=True
            ),
        },
    )


@login_required
def household_detail(request, code, pk):
    community = get_staff_community(request.user, code)
    household = get_household_for(request.user, pk, community)
    return render(
        request,
        "registry/household.html",
        {
            "current_community": community,
            "household": household,
            "members": household.members.order_by("birth_date"),
        },
    )
