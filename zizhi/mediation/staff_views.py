"""Staff pages: the case register (no names) with the walk-in form, the lead's desk and
appointing the lead."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import get_staff_community
from zizhi.accounts.models import RoleKind, User
from zizhi.associations.queries import legal_association_members

from . import actions
from .access import get_lead_community, get_register_community, is_lead
from .forms import LeadForm, RegisterForm
from .models import MediationCase, MediationLead, MediationSettings
from .queries import desk_counts, follow_ups_due

PAGE_SIZE = 30


@login_required
def register(request, code):
    """The register: number, kind, status, dates. No party, no contents."""
    community = get_register_community(request.user, code)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.do_register_case(
                community,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                parties=form.parties(),
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("已登记，案件编号 %(n)s，已转调解负责人。") % {"n": case.number}
            )
            return redirect("mediation:register", community.code)
    qs = MediationCase.objects.filter(community=community).only(
        "number", "kind", "status", "registered_at", "outcome_on", "closed_at", "community_id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "current_community": community,
        "page": page,
        "form": form,
        "is_lead": is_lead(request.user, community.pk),
        "lead": MediationLead.objects.filter(community=community, ended_on__isnull=True)
        .select_related("user")
        .first(),
    }
    return render(request, "mediation/register.html", context)


@login_required
def desk(request, code):
    """The lead's desk: cases to assign, open cases, follow-ups due or overdue."""
    community = get_lead_community(request.user, code)
    cases = (
        MediationCase.objects.filter(community=community)
        .prefetch_related("parties", "assignments__resident")
        .order_by("-registered_at")
    )
    context = {
        "current_community": community,
        "open_cases": [c for c in cases if c.is_open],
        "counts": desk_counts(community),
        "follow_ups": follow_ups_due(community),
        "today": timezone.localdate(),
        "done_cases": [c for c in cases if not c.is_open][:30],
    }
    return render(request, "mediation/desk.html", context)


def _lead_choices(community):
    workers = User.objects.filter(
        roles__kind=RoleKind.COMMUNITY_WORKER, roles__community=community, is_active=True
    ).distinct()
    choices = [(u.pk, _("%(name)s（社区工作者）") % {"name": u.name}) for u in workers]
    seen = {pk for pk, _label in choices}
    for r in legal_association_members(community):
        if r.user_id and r.user_id not in seen:
            choices.append((r.user_id, _("%(name)s（法律服务协会会员）") % {"name": r.name}))
            seen.add(r.user_id)
    return choices


@login_required
def lead(request, code):
    community = get_staff_community(request.user, code)
    choices = _lead_choices(community)
    days = MediationSettings.follow_up_days_for(community.pk)
    current = (
        MediationLead.objects.filter(community=community, ended_on__isnull=True)
        .select_related("user")
        .first()
    )
    initial = {"follow_up_days": days, "user": current.user_id if current else ""}
    form = LeadForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = User.objects.get(pk=form.cleaned_data["user"])
            if current is None or current.user_id != user.pk:
                actions.do_appoint_lead(community, user, actor=request.user)
            if form.cleaned_data["follow_up_days"] != days:
                actions.do_set_follow_up_days(
                    community, form.cleaned_data["follow_up_days"], actor=request.user
                )
        except User.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("mediation:register", community.code)
    history = MediationLead.objects.filter(community=community).select_related("user")[:10]
    context = {"current_community": community, "form": form, "current": current, "history": history}
    return render(request, "mediation/lead.html", context)
