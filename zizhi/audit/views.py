from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from zizhi.accounts.access import require_staff, staff_communities

from .models import Event


@login_required
def events(request):
    """Staff see the audit events of their scope: their communities (and subdistricts)."""
    access = require_staff(request.user)
    scope = Q(community_id__in=access.community_ids) | Q(
        community__isnull=True, subdistrict_id__in=access.subdistrict_ids
    )
    qs = Event.objects.filter(scope)
    code = request.GET.get("c", "")
    communities = list(staff_communities(request.user))
    chosen = next((c for c in communities if c.code == code), None)
    if chosen:
        qs = qs.filter(community=chosen)
    verb = request.GET.get("verb", "").strip()
    if verb:
        qs = qs.filter(verb__startswith=verb)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "communities": communities,
            "chosen": chosen,
            "verb": verb,
        },
    )
