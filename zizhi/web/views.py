from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zizhi.accounts.access import access_for, get_public_community, staff_communities
from zizhi.accounts.actions import do_set_large_text
from zizhi.associations.access import led_team_ids, managed_association_ids
from zizhi.audit.models import Event
from zizhi.governance import home as governance_home
from zizhi.moralbank.queries import links as bank_links
from zizhi.proposals import motion_queries
from zizhi.registry.models import Community, Resident

from .context import LARGE_TEXT_COOKIE
from .queries import community_figures
from .sections import home_sections


def home(request):
    access = access_for(request.user)
    if access.is_staff:
        return staff_home(request, access)
    if access.is_resident:
        resident = Resident.objects.select_related("community", "household__building").get(
            pk=access.resident_id
        )
        context = {
            "resident": resident,
            "gov": _governance(request.user),
            "organises": bool(managed_association_ids(request.user) or led_team_ids(request.user)),
            "bank": bank_links(request.user),
            "sections": home_sections("resident", request.user),
        }
        return render(request, "web/home_resident.html", context)
    if request.user.is_authenticated:
        # a seat in a body, or a savings branch to keep (a merchant's clerk, say)
        gov, bank = _governance(request.user), bank_links(request.user)
        sections = home_sections("member", request.user)
        if gov["has_seats"] or bank["clerk"] or sections:
            context = {"gov": gov, "bank": bank, "sections": sections}
            return render(request, "web/home_member.html", context)
    communities = Community.objects.select_related("subdistrict").order_by("subdistrict", "code")
    return render(request, "web/home_public.html", {"communities": communities})


def _governance(user) -> dict:
    """What the user's seats ask of them: governance's list, and motions to co-sign."""
    return {**governance_home.for_user(user), "motions": motion_queries.to_sign(user)}


def staff_home(request, access):
    communities = list(staff_communities(request.user))
    code = request.GET.get("c")
    current = next((c for c in communities if c.code == code), communities[0])
    events = Event.objects.filter(community=current).select_related(None)[:8]
    return render(
        request,
        "web/home_staff.html",
        {
            "communities": communities,
            "current_community": current,
            "figures": community_figures(current),
            "events": events,
            "sections": home_sections("staff", request.user, community=current),
        },
    )


def community_public(request, code):
    community = get_public_community(code)
    return render(request, "web/community_public.html", {"community": community})


@require_POST
def large_text(request):
    on = request.POST.get("on") == "1"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    if request.user.is_authenticated:
        do_set_large_text(request.user, on)
    response = redirect(target)
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if on else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
    )
    return response


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
