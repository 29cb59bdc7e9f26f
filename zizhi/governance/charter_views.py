"""The community's charter page: workflow preset, notice days, and the voting rules in force."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import actions
from .access import is_staff_of, require_governance_community, require_staff_community
from .models import BodyKind, Charter, MatterType, Rule, WorkflowPreset
from .web import attempt, to_int


@login_required
def charter(request, code):
    community = require_governance_community(request.user, code)
    staff = is_staff_of(request.user, community.pk)
    rules = Rule.objects.filter(Q(community=community) | Q(community__isnull=True)).order_by(
        "body_kind", "matter_type", "-community_id"
    )
    return render(
        request,
        "governance/charter.html",
        {
            "community": community,
            "current_community": community if staff else None,
            "charter": Charter.objects.filter(community=community).first(),
            "rules": rules,
            "is_staff": staff,
            "presets": WorkflowPreset.choices,
            "kinds": [k for k in BodyKind.choices if k[0] != BodyKind.RESIDENTS_MEETING],
            "matter_types": MatterType.choices,
        },
    )


@require_POST
@login_required
def update_charter(request, code):
    community = require_staff_community(request.user, code)
    attempt(
        request,
        actions.do_update_charter,
        community,
        workflow=request.POST.get("workflow", ""),
        meeting_notice_days=to_int(request.POST.get("meeting_notice_days")),
        actor=request.user,
    )
    return redirect("governance:charter", code)


@require_POST
@login_required
def add_rule(request, code):
    community = require_staff_community(request.user, code)
    p = request.POST
    attempt(
        request,
        actions.do_add_rule,
        community,
        body_kind=p.get("body_kind", ""),
        matter_type=p.get("matter_type", ""),
        name=p.get("name", ""),
        source=p.get("source", ""),
        quorum=(
            to_int(p.get("quorum_num")),
            to_int(p.get("quorum_den")),
            p.get("quorum_strict") == "1",
        ),
        majority=(
            to_int(p.get("pass_num")),
            to_int(p.get("pass_den")),
            p.get("pass_strict") == "1",
        ),
        of_all=p.get("pass_of_all") == "1",
        actor=request.user,
    )
    return redirect("governance:charter", code)
