"""Major-matter pages: the list, registration, the matter with its timeline and the form of
the step it is at, the residents' consultation page and the committee's escalations."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for
from zizhi.registry.models import Community

from . import actions, matter_queries, workflow
from .access import (
    get_matter_for,
    is_branch_secretary,
    is_committee_member,
    is_staff_of,
    require_governance_community,
    require_staff_community,
)
from .forms import MatterForm
from .matter_steps import HANDLERS
from .models import Matter
from .web import attempt, form_errors


@login_required
def matters(request, code):
    community = require_governance_community(request.user, code)
    state = request.GET.get("state", "")
    rows = Matter.objects.filter(community=community).select_related("resolution")
    if state in workflow.STATES:
        rows = rows.filter(state=state)
    return render(
        request,
        "governance/matters.html",
        {
            "community": community,
            "current_community": community,
            "matters": rows[:200],
            "state": state,
            "states": workflow.STATES,
            "is_staff": is_staff_of(request.user, community.pk),
        },
    )


@login_required
def matter_new(request, code):
    community = require_staff_community(request.user, code)
    form = MatterForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            matter = attempt(
                request,
                actions.do_register_matter,
                community,
                actor=request.user,
                **form.cleaned_data,
            )
            if matter:
                return redirect("governance:matter", code, matter.pk)
        else:
            form_errors(request, form)
    return render(
        request,
        "governance/matter_new.html",
        {"community": community, "current_community": community, "form": form},
    )


@login_required
def matter(request, code, pk):
    community = require_governance_community(request.user, code)
    matter = get_matter_for(request.user, community, pk)
    context = matter_queries.matter_page(matter, request.user)
    context.update(
        community=community,
        current_community=community if is_staff_of(request.user, community.pk) else None,
        is_staff=is_staff_of(request.user, community.pk),
        is_secretary=is_branch_secretary(request.user, community.pk),
        is_committee=is_committee_member(request.user, community.subdistrict_id),
    )
    return render(request, "governance/matter.html", context)


@require_POST
@login_required
def matter_act(request, code, pk, verb):
    community = require_governance_community(request.user, code)
    matter = get_matter_for(request.user, community, pk)
    handler = HANDLERS.get(verb)
    if handler is None:
        raise Http404
    handler(request, matter)
    return redirect("governance:matter", code, matter.pk)


@login_required
def consult(request, code, pk):
    """A resident's own answer to a consultation (the branch intends to reject a matter)."""
    access = access_for(request.user)
    try:
        community = Community.objects.get(code=code, pk=access.resident_community_id)
        matter = Matter.objects.get(pk=pk, community=community, state="in_consultation")
    except (Community.DoesNotExist, Matter.DoesNotExist) as exc:
        raise Http404 from exc
    consultation = matter.consultations.filter(closed_at__isnull=True).last()
    resident = request.user.resident
    if request.method == "POST":
        consent = request.POST.get("consent")
        if consent in ("0", "1"):
            attempt(
                request,
                actions.do_answer_consultation,
                matter,
                resident,
                consent=consent == "1",
                actor=request.user,
            )
            return redirect("governance:consult", code, pk)
    mine = consultation.answers.filter(resident=resident).first() if consultation else None
    return render(
        request,
        "governance/consult.html",
        {"community": community, "matter": matter, "consultation": consultation, "mine": mine},
    )


@login_required
def escalations(request):
    """Requests for instructions waiting for the subdistrict Party working committee."""
    rows = matter_queries.open_escalations_for(request.user)
    if rows is None:
        raise Http404
    return render(request, "governance/escalations.html", {"escalations": rows})
