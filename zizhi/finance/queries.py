"""The read side: reports of a period and the 12-month trend (a fixed number of queries)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from . import charts
from .actions import category_totals
from .models import Direction, Entry, Period, Receipt
from .money import format_fen


def period_report(period: Period) -> dict:
    """Totals by category (income first), the chart of them, and the entries with receipts."""
    totals = category_totals(period)
    for t in totals:
        t["label"] = f"{Direction(t['direction']).label}·{t['name']}"
        t["amount"] = format_fen(t["total_fen"])
    income = [t for t in totals if t["direction"] == Direction.INCOME]
    expense = [t for t in totals if t["direction"] == Direction.EXPENSE]
    entries = (
        period.entries.select_related("category")
        .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.order_by("id")))
        .order_by("date", "id")
    )
    return {
        "income_rows": income,
        "expense_rows": expense,
        "chart": charts.category_bars(income + expense),
        "entries": entries,
        "money": period.money(),
    }


def _months_back(year: int, month: int, n: int) -> list[tuple[int, int]]:
    key = year * 12 + month - 1
    return [divmod(k, 12) for k in range(key - n + 1, key + 1)]


def trend(periods: list[Period], months: int = 12) -> dict:
    """The last `months` months up to the latest of `periods` (published ones, say), with
    income and expense per month (None where the month has no period) and the chart."""
    if not periods:
        return {"points": [], "chart": ""}
    by_month = {(p.year, p.month): p for p in periods}
    latest = max(by_month)
    points = []
    for year, m0 in _months_back(*latest, months):
        month = m0 + 1
        p = by_month.get((year, month))
        points.append(
            {
                "year": year,
                "month": month,
                "label": _("%(y)d年%(m)d月") % {"y": year, "m": month},
                "short": _("%(m)d月") % {"m": month} if month != 1 else f"{year % 100:02d}/1",
                "income_fen": p.income_fen if p else None,
                "expense_fen": p.expense_fen if p else None,
                "income": format_fen(p.income_fen) if p else "—",
                "expense": format_fen(p.expense_fen) if p else "—",
                "period": p,
            }
        )
    return {"points": points, "chart": charts.trend_bars(points)}


def entries_for_export(period: Period):
    return Entry.objects.filter(period=period).select_related("category").order_by("date", "id")
