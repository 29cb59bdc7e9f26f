"""A case's page and its actions: assign (lead), accept or decline (mediator), sessions,
outcome, follow-up, withdraw; the agreement PDF and the referral letter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.registry.models import Resident

from . import actions
from .access import (
    assignment_of,
    get_case_for,
    get_full_case_for,
    get_lead_case_for,
    is_lead,
)
from .conflicts import candidates
from .forms import FollowUpForm, OutcomeForm, ReasonForm, SessionForm
from .models import CaseStatus, FollowUp
from .pdf import render_agreement_pdf


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _mediator_choices(case):
    return [
        (a.user_id, a.resident.name)
        for a in case.assignments.filter(
            accepted_at__isnull=False, declined_at__isnull=True
        ).select_related("resident")
    ]


def _render_case(request, seen, session_form=None, follow_up_form=None, status=200):
    case = seen.case
    context = {
        "current_community": case.community,
        "case": case,
        "full": seen.full,
        "parties": case.parties.all(),
        "follow_up": FollowUp.objects.filter(case=case).first(),
    }
    if seen.full:
        mine = assignment_of(request.user, case)
        lead = is_lead(request.user, case.community_id)
        can_act = lead or (mine is not None and mine.accepted_at is not None)
        context.update(
            assignments=case.assignments.select_related("resident"),
            sessions=case.sessions.prefetch_related("mediators"),
            pending=mine if mine is not None and mine.accepted_at is None else None,
            is_lead=lead,
            can_act=can_act,
            session_form=session_form
            or SessionForm(
                initial={"held_on": timezone.localdate()}, mediators=_mediator_choices(case)
            ),
            follow_up_form=follow_up_form or FollowUpForm(),
        )
    context["can_withdraw"] = case.is_open
    return render(request, "mediation/case.html", context, status=status)


@login_required
def case_page(request, pk):
    return _render_case(request, get_case_for(request.user, pk))


@login_required
def assign(request, pk):
    case = get_lead_case_for(request.user, pk)
    if request.method == "POST":
        try:
            resident = Resident.objects.get(pk=int(request.POST.get("resident", "")))
            actions.do_assign_mediator(case, resident, actor=request.user)
        except (ValueError, Resident.DoesNotExist):
            messages.error(request, _("请选择调解员"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已指派，等待调解员确认。"))
            return redirect("mediation:case", case.pk)
    context = {
        "current_community": case.community,
        "case": case,
        "parties": case.parties.select_related("building"),
        "candidates": candidates(case),
        "assignments": case.assignments.select_related("resident"),
    }
    return render(request, "mediation/assign.html", context)


@login_required
@require_POST
def respond(request, pk):
    case = get_full_case_for(request.user, pk)
    item = assignment_of(request.user, case)
    if item is None:
        raise Http404
    accept = request.POST.get("accept") == "yes"
    try:
        actions.do_respond_assignment(
            item, accept=accept, reason=request.POST.get("reason", ""), actor=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("mediation:case", case.pk)
    if accept:
        messages.success(request, _("已接受指派。"))
        return redirect("mediation:case", case.pk)
    messages.success(request, _("已告知调解负责人您不接受这项指派。"))
    return redirect("mediation:mine")


@login_required
@require_POST
def add_session(request, pk):
    seen = get_case_for(request.user, pk)
    if not seen.full:
        raise Http404
    case = seen.case
    form = SessionForm(request.POST, mediators=_mediator_choices(case))
    if form.is_valid():
        try:
            actions.do_record_session(
                case,
                held_on=form.cleaned_data["held_on"],
                place=form.cleaned_data["place"],
                notes=form.cleaned_data["notes"],
                mediator_ids=form.cleaned_data["mediators"],
                minutes=form.cleaned_data["minutes"] or 0,
                actor=request.user,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("调解记录已保存。"))
            return redirect("mediation:case", case.pk)
    return _render_case(request, seen, session_form=form, status=400)


@login_required
def outcome(request, pk):
    case = get_full_case_for(request.user, pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_outcome(case, **form.cleaned_data, actor=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("调解结果已记录，到期请回访。"))
            return redirect("mediation:case", case.pk)
    context = {"current_community": case.community, "case": case, "form": form}
    return render(request, "mediation/outcome.html", context)


@login_required
@require_POST
def follow_up(request, pk):
    seen = get_case_for(request.user, pk)
    if not seen.full:
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_follow_up(
                seen.case,
                kept=form.kept_value(),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("回访已记录，案件已结案。"))
            return redirect("mediation:case", seen.case.pk)
    return _render_case(request, seen, follow_up_form=form, status=400)


@login_required
@require_POST
def withdraw(request, pk):
    case = get_case_for(request.user, pk).case
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请写明撤回原因"))
        actions.do_withdraw_case(case, reason=form.cleaned_data["reason"], actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("案件已撤回。"))
    return redirect("mediation:case", case.pk)


@login_required
def agreement_pdf(request, pk):
    """The mediation agreement (人民调解协议书): the mediators, the lead and the parties."""
    case = get_case_for(request.user, pk).case
    if case.status not in (CaseStatus.AGREED, CaseStatus.CLOSED) or not case.terms:
        raise Http404
    pdf = render_agreement_pdf(case)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mediation-{case.pk}.pdf"'
    return response


@login_required
def referral(request, pk):
    """The printable referral letter of a case not settled by mediation."""
    case = get_case_for(request.user, pk).case
    if not case.referral_to:
        raise Http404
    context = {"current_community": case.community, "case": case, "parties": case.parties.all()}
    return render(request, "mediation/referral.html", context)
