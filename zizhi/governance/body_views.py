"""The community's bodies and their members (with terms), and residents' groups."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions
from .access import is_staff_of, require_governance_community, require_staff_community
from .actions.bodies import ROLES
from .models import Body, MemberRole, Membership, ResidentGroup
from .web import attempt, find_resident, form_errors


class TermForm(forms.Form):
    term_start = forms.DateField(label=_("本届任期开始"))
    term_end = forms.DateField(label=_("本届任期届满（不填按任期年限）"), required=False)


@login_required
def bodies(request, code):
    community = require_governance_community(request.user, code)
    rows = Body.objects.filter(community=community).annotate(
        members=Count("memberships", filter=Q(memberships__ended_on__isnull=True))
    )
    groups = ResidentGroup.objects.filter(community=community).prefetch_related("buildings")
    return render(
        request,
        "governance/bodies.html",
        {
            "community": community,
            "current_community": community if is_staff_of(request.user, community.pk) else None,
            "bodies": rows,
            "groups": groups,
        },
    )


def _body(community, pk) -> Body:
    try:
        return Body.objects.get(pk=pk, community=community)
    except (Body.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@login_required
def body(request, code, pk):
    community = require_governance_community(request.user, code)
    return _body_page(request, community, _body(community, pk))


def _body_page(request, community, the_body, term_form=None):
    """The body with its members; staff get the forms (a refused term form comes back filled)."""
    members = (
        Membership.objects.filter(body=the_body).select_related("group").order_by("ended_on", "id")
    )
    staff = is_staff_of(request.user, community.pk)
    days_left = the_body.days_left(timezone.localdate())
    return render(
        request,
        "governance/body.html",
        {
            "days_left": days_left,
            "term_ending": days_left is not None and days_left <= Body.ELECTION_NOTICE_DAYS,
            "community": community,
            "current_community": community if staff else None,
            "body": the_body,
            "members": members,
            "is_staff": staff,
            "roles": [
                (r, MemberRole(r).label)
                for r in MemberRole.values
                if r in ROLES.get(the_body.kind, ())
            ],
            "groups": ResidentGroup.objects.filter(community=community),
            "term_form": term_form
            or TermForm(initial={"term_start": the_body.term_start, "term_end": the_body.term_end}),
        },
    )


@require_POST
@login_required
def add_member(request, code, pk):
    community = require_staff_community(request.user, code)
    the_body = _body(community, pk)
    resident = find_resident(request, community, request.POST.get("who", ""))
    if resident is None:
        return redirect("governance:body", code, pk)
    group = ResidentGroup.objects.filter(
        community=community, pk=request.POST.get("group") or 0
    ).first()
    attempt(
        request,
        actions.do_add_membership,
        the_body,
        resident,
        role=request.POST.get("role", ""),
        group=group,
        actor=request.user,
        done=_("已任命%(n)s") % {"n": resident.name},
    )
    return redirect("governance:body", code, pk)


@require_POST
@login_required
def end_member(request, code, pk, membership_id):
    community = require_staff_community(request.user, code)
    the_body = _body(community, pk)
    membership = Membership.objects.filter(body=the_body, pk=membership_id).first()
    if membership is None:
        raise Http404
    attempt(
        request,
        actions.do_end_membership,
        membership,
        reason=request.POST.get("reason", ""),
        actor=request.user,
    )
    return redirect("governance:body", code, pk)


@require_POST
@login_required
def set_term(request, code, pk):
    """Staff record the current term after an election (the end defaults to term_years)."""
    community = require_staff_community(request.user, code)
    the_body = _body(community, pk)
    form = TermForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _body_page(request, community, the_body, form)
    done = attempt(
        request,
        actions.do_set_term,
        the_body,
        term_start=form.cleaned_data["term_start"],
        term_end=form.cleaned_data["term_end"],
        actor=request.user,
        done=_("已更新本届任期"),
    )
    if not done:
        return _body_page(request, community, the_body, form)
    return redirect("governance:body", code, pk)
