"""The subdistrict's suggestion pages: each community's on-time and satisfaction rates for a
period, the suggestions escalated to the subdistrict (answered on the suggestion's staff page),
and the Excel export of the period for the monthly report."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from zizhi.accounts.access import access_for
from zizhi.registry.models import Subdistrict

from . import queries
from .export import suggestions_xlsx
from .forms import PeriodForm
from .models import Suggestion, SuggestionStatus
from .staff_views import period_or_message, xlsx_response


def get_admin_subdistrict(user, code: str) -> Subdistrict:
    """A subdistrict the user administers, by code; 404 otherwise."""
    try:
        return Subdistrict.objects.get(code=code, pk__in=access_for(user).subdistrict_ids)
    except Subdistrict.DoesNotExist as exc:
        raise Http404 from exc


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@login_required
def overview(request, code):
    subdistrict = get_admin_subdistrict(request.user, code)
    today = timezone.localdate()
    initial = {"start": datetime.date(today.year, 1, 1), "end": today}
    period_form = PeriodForm(request.GET if "start" in request.GET else None, initial=initial)
    start, end = initial["start"], initial["end"]
    if period_form.is_bound and period_form.is_valid():
        start, end = period_form.cleaned_data["start"], period_form.cleaned_data["end"]
    rates = [
        {
            **row,
            "on_time_rate_label": _percent(row["on_time_rate"]),
            "satisfaction_rate_label": _percent(row["satisfaction_rate"]),
        }
        for row in queries.on_time_rates(subdistrict, start, end)
    ]
    escalated = (
        Suggestion.objects.filter(
            community__subdistrict=subdistrict, status=SuggestionStatus.ESCALATED
        )
        .select_related("community")
        .order_by("created_at")[:200]
    )
    return render(
        request,
        "proposals/subdistrict.html",
        {
            "subdistrict": subdistrict,
            "period_form": period_form if period_form.is_bound else PeriodForm(initial=initial),
            "start": start,
            "end": end,
            "rates": rates,
            "escalated": escalated,
        },
    )


@login_required
def export(request, code):
    subdistrict = get_admin_subdistrict(request.user, code)
    period = period_or_message(request)
    if period is None:
        return redirect("proposals:subdistrict", code)
    start, end = period
    data = suggestions_xlsx(subdistrict, start, end, actor=request.user)
    return xlsx_response(data, f"suggestions-{subdistrict.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
