"""Read side of green-plot adoption: care flags, the fund, the totals the seed reports.

`totals(community)` is the contract the dashboard calls.
"""

import datetime

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    DEFAULT_CARE_DAYS,
    AdopterKind,
    Adoption,
    AdoptionStatus,
    CareSetting,
    Donation,
    FundUse,
    LogKind,
    Plot,
    PlotState,
)

EXPIRING_DAYS = 30


def care_days(community) -> int:
    found = CareSetting.objects.filter(community=community).values_list("care_days", flat=True)
    return next(iter(found), DEFAULT_CARE_DAYS)


def with_care(plots):
    """Annotate plots with `last_upkeep` (date of the latest adopter's log), `adopted_since`
    (start of the active adoption), `active_adoption_id` and `care_from` (the later of the
    two that exists): filter with needs_care_q, or set `needs_care` with mark_care."""
    active = Adoption.objects.filter(plot=OuterRef("pk"), status=AdoptionStatus.ACTIVE)
    qs = plots.annotate(
        last_upkeep=Max("logs__done_on", filter=Q(logs__kind=LogKind.UPKEEP)),
        adopted_since=Subquery(active.values("starts_on")[:1]),
        active_adoption_id=Subquery(active.values("pk")[:1]),
    )
    # a GROUP BY query drops Meta.ordering: keep the plots in their areas explicitly
    return qs.annotate(
        care_from=Coalesce(F("last_upkeep"), F("adopted_since")),
    ).order_by(*Plot._meta.ordering)


def needs_care_q(today: datetime.date, days: int) -> Q:
    cutoff = today - datetime.timedelta(days=days)
    return Q(state=PlotState.ADOPTED, care_from__lt=cutoff)


def mark_care(plots, today: datetime.date, days: int) -> list:
    """The plots as a list, each with `needs_care` set (from the annotations of with_care)."""
    cutoff = today - datetime.timedelta(days=days)
    rows = list(plots)
    for plot in rows:
        plot.needs_care = bool(
            plot.state == PlotState.ADOPTED and plot.care_from and plot.care_from < cutoff
        )
    return rows


def expiring(community, today: datetime.date | None = None, within: int = EXPIRING_DAYS):
    """Active adoptions whose term ends within `within` days (or has ended already)."""
    today = today or timezone.localdate()
    return (
        Adoption.objects.filter(
            community=community,
            status=AdoptionStatus.ACTIVE,
            ends_on__lte=today + datetime.timedelta(days=within),
        )
        .select_related("plot")
        .order_by("ends_on", "id")
    )


def fund(community) -> dict:
    """In, out and balance of the community's greening fund (fen). Two queries."""
    raised = Donation.objects.filter(community=community).aggregate(
        t=Sum("amount_fen"), n=Count("id")
    )
    used = FundUse.objects.filter(community=community).aggregate(t=Sum("amount_fen"))["t"] or 0
    raised_fen = raised["t"] or 0
    return {
        "raised_fen": raised_fen,
        "donations": raised["n"],
        "used_fen": used,
        "balance_fen": raised_fen - used,
    }


def totals(community) -> dict:
    """What the seed reports, for one community: households adopting, adopters by kind,
    m² adopted, plots, funds raised and used (fen). A household counts once, whether it
    adopted as a household or through one of its residents. Four queries."""
    active = Adoption.objects.filter(community=community, status=AdoptionStatus.ACTIVE)
    by_kind = dict(active.values_list("adopter_kind").annotate(n=Count("id")).order_by())
    households = set(active.exclude(household=None).values_list("household_id", flat=True))
    households |= set(
        active.filter(household=None)
        .exclude(resident__household=None)
        .values_list("resident__household_id", flat=True)
    )
    plots = Plot.objects.filter(community=community).exclude(state=PlotState.RETIRED)
    plot_figures = plots.aggregate(
        n=Count("id"),
        adopted=Count("id", filter=Q(state=PlotState.ADOPTED)),
        area=Sum("area_m2"),
        area_adopted=Sum("area_m2", filter=Q(state=PlotState.ADOPTED)),
    )
    money = fund(community)
    return {
        "community": community.code,
        "households_adopting": len(households),
        "adopters_by_kind": {k: by_kind.get(k, 0) for k in AdopterKind.values},
        "adoptions_active": sum(by_kind.values()),
        "m2_adopted": float(plot_figures["area_adopted"] or 0),
        "m2_total": float(plot_figures["area"] or 0),
        "plots": plot_figures["n"],
        "plots_adopted": plot_figures["adopted"],
        "funds_raised_fen": money["raised_fen"],
        "funds_used_fen": money["used_fen"],
        "fund_balance_fen": money["balance_fen"],
    }
