"""Staff pages of a community's greening fund (donations into the finance disclosure, uses
of the fund) and a subdistrict administrator's side-by-side totals of its communities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_staff_community
from zizhi.registry.models import Community, LocalUnit

from . import actions
from .models import Donation, DonorKind, FundUse, Plot
from .queries import fund, totals
from .staff_views import _errors, find_resident


def _fund_page(request, community, errors=(), form=None):
    return render(
        request,
        "greening/fund_desk.html",
        {
            "community": community,
            "fund": fund(community),
            "donations": Donation.objects.filter(community=community).select_related("plot")[:200],
            "uses": FundUse.objects.filter(community=community).select_related("plot")[:200],
            "donor_kinds": DonorKind.choices,
            "units": LocalUnit.objects.filter(community=community),
            "plots": Plot.objects.filter(community=community),
            "today": timezone.localdate(),
            "errors": errors,
            "form": form or {},
        },
    )


@login_required
def fund_desk(request, code):
    return _fund_page(request, get_staff_community(request.user, code))


def _plot_choice(community, value):
    value = value or ""
    return (
        Plot.objects.filter(community=community, pk=int(value)).first() if value.isdigit() else None
    )


@login_required
@require_POST
def donation_add(request, code):
    community = get_staff_community(request.user, code)
    p = request.POST
    try:
        resident = find_resident(community, p.get("who", ""))
        kind = p.get("donor_kind", "")
        if kind in (DonorKind.RESIDENT, DonorKind.HOUSEHOLD) and resident is None:
            raise ValidationError(_("没有找到这位居民，请填写社区登记的手机号"))
        unit = p.get("unit") or ""
        actions.do_record_donation(
            community,
            actor=request.user,
            donor_kind=kind,
            resident=resident,
            household=resident.household if resident else None,
            unit=LocalUnit.objects.filter(community=community, pk=int(unit)).first()
            if unit.isdigit()
            else None,
            donor_label=p.get("donor_label", ""),
            receipt_no=p.get("receipt_no", ""),
            given_on=p.get("given_on"),
            amount_yuan=p.get("amount", ""),
            purpose=p.get("purpose", ""),
            plot=_plot_choice(community, p.get("plot")),
        )
    except (ValidationError, PermissionDenied) as exc:
        return _fund_page(request, community, _errors(exc), p)
    messages.success(request, _("捐款已登记，并记入社区财务公开"))
    return redirect("greening:fund_desk", code)


@login_required
@require_POST
def fund_use_add(request, code):
    community = get_staff_community(request.user, code)
    p = request.POST
    try:
        actions.do_record_fund_use(
            community,
            actor=request.user,
            used_on=p.get("used_on"),
            purpose=p.get("purpose", ""),
            amount_yuan=p.get("amount", ""),
            plot=_plot_choice(community, p.get("plot")),
        )
    except (ValidationError, PermissionDenied) as exc:
        return _fund_page(request, community, _errors(exc), p)
    messages.success(request, _("资金使用已登记"))
    return redirect("greening:fund_desk", code)


@login_required
def subdistrict(request):
    """A subdistrict administrator's side-by-side totals of its communities."""
    access = access_for(request.user)
    if not access.is_subdistrict_admin:
        raise Http404
    communities = Community.objects.filter(subdistrict_id__in=access.subdistrict_ids).order_by(
        "subdistrict_id", "code"
    )
    rows = [(c, totals(c)) for c in communities]
    keys = (
        "households_adopting",
        "adoptions_active",
        "m2_adopted",
        "plots",
        "plots_adopted",
        "funds_raised_fen",
        "funds_used_fen",
    )
    sums = {k: sum(t[k] for _c, t in rows) for k in keys}
    return render(request, "greening/subdistrict.html", {"rows": rows, "sums": sums})
