"""Public pages (phone-first): the community's published books with the 12-month trend, one
published month with its chart, table and entries, the asset list, and receipts (residents
of the community and its staff only)."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from zizhi.accounts.access import get_public_community

from . import queries
from .access import can_see_receipts, get_public_period, get_receipt_for, is_staff_of
from .models import AssetState, PeriodStatus


def public_list(request, code):
    community = get_public_community(code)
    periods = list(
        community.finance_periods.filter(status=PeriodStatus.PUBLISHED).order_by("-year", "-month")
    )
    return render(
        request,
        "finance/public_list.html",
        {
            "community": community,
            "periods": periods,
            "trend": queries.trend(periods),
            "is_staff": is_staff_of(request.user, community.pk),
        },
    )


def public_period(request, code, year, month):
    period = get_public_period(code, year, month)
    return render(
        request,
        "finance/public_period.html",
        {
            "community": period.community,
            "period": period,
            "report": queries.period_report(period),
            "show_receipts": can_see_receipts(request.user, period.community_id),
            "is_staff": is_staff_of(request.user, period.community_id),
        },
    )


def public_assets(request, code):
    community = get_public_community(code)
    assets = community.assets.order_by("kind", "name", "id")
    show_disposed = request.GET.get("disposed") == "1"
    if not show_disposed:
        assets = assets.exclude(state=AssetState.DISPOSED)
    return render(
        request,
        "finance/public_assets.html",
        {
            "community": community,
            "assets": assets,
            "show_disposed": show_disposed,
            "is_staff": is_staff_of(request.user, community.pk),
        },
    )


def receipt(request, code, pk):
    """A receipt file: residents of the community (published months) and its staff."""
    item = get_receipt_for(request.user, code, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
