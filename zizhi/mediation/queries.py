"""Read-side functions of mediation: the public statistics (no names, small counts
suppressed), the lead's desk and the home-page counts."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community

from .models import CaseKind, CaseStatus, FollowUp, MediationCase

# Small-count suppression. A mediation case is a private quarrel between neighbours; in a
# community of a few thousand people "one noise case in Building 3 in March" is enough for
# the neighbours to know who. Public cells (a kind in a month, a kind over the period, an
# outcome) therefore show "<3" for 1 or 2 cases, the rule statistical offices use for small
# cells; 0 stays 0 (it identifies nobody), and the agreement rate and the average days are
# shown only when at least 3 cases had an outcome.
SMALL = 3


def suppressed(n: int) -> int | str:
    return f"<{SMALL}" if 0 < n < SMALL else n


def _communities(scope) -> list[int]:
    if isinstance(scope, Community):
        return [scope.pk]
    return [c.pk if isinstance(c, Community) else int(c) for c in scope]


def _months(start: datetime.date, end: datetime.date) -> list[str]:
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, from the first day of the month eleven months ago."""
    today = today or timezone.localdate()
    y, m = today.year, today.month - 11
    if m <= 0:
        y, m = y - 1, m + 12
    return datetime.date(y, m, 1), today


def statistics(scope, date_range=None, *, suppress: bool = True) -> dict:
    """Cases registered in the date range in the community (or communities): by kind, by
    outcome, agreement rate, average days to outcome, by kind and month. No names, no
    contents. One query. With suppress (the public pages), small cells read "<3"."""
    start, end = date_range or default_range()
    rows = list(
        MediationCase.objects.filter(
            community_id__in=_communities(scope),
            registered_at__date__gte=start,
            registered_at__date__lte=end,
        ).values_list("kind", "status", "registered_at", "outcome_on", "referral_to")
    )
    cell = suppressed if suppress else (lambda n: n)
    by_kind, by_month, outcomes = Counter(), defaultdict(Counter), Counter()
    days = []
    for kind, status, registered_at, outcome_on, referral_to in rows:
        by_kind[kind] += 1
        month = timezone.localtime(registered_at).strftime("%Y-%m")
        by_month[kind][month] += 1
        if outcome_on is not None:
            outcomes["agreed" if not referral_to else "not_agreed"] += 1
            days.append((outcome_on - timezone.localtime(registered_at).date()).days)
        elif status == CaseStatus.WITHDRAWN:
            outcomes["withdrawn"] += 1
        else:
            outcomes["open"] += 1
    decided = outcomes["agreed"] + outcomes["not_agreed"]
    enough = decided >= SMALL or not suppress
    months = _months(start, end)
    return {
        "start": start,
        "end": end,
        "total": cell(len(rows)),
        "months": months,
        "by_kind": [
            {
                "kind": kind.value,
                "label": str(kind.label),
                "count": cell(by_kind[kind.value]),
                "by_month": [cell(by_month[kind.value][m]) for m in months],
            }
            for kind in CaseKind
        ],
        "by_outcome": {
            key: cell(outcomes[key]) for key in ("agreed", "not_agreed", "withdrawn", "open")
        },
        "agreement_rate": round(100 * outcomes["agreed"] / decided, 1)
        if decided and enough
        else None,
        "average_days_to_outcome": round(sum(days) / len(days), 1) if days and enough else None,
    }


OUTCOME_LABELS = {
    "agreed": _("达成协议"),
    "not_agreed": _("未达成协议"),
    "withdrawn": _("撤回"),
    "open": _("办理中"),
}


def follow_ups_due(community, today=None, within_days: int = 7):
    """Follow-up visits of the community not yet made, due within a week or overdue."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            case__community=community,
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def desk_counts(community) -> dict:
    """Open cases by status of the community (one query)."""
    counts = MediationCase.objects.filter(community=community).aggregate(
        registered=Count("id", filter=Q(status=CaseStatus.REGISTERED)),
        assigned=Count("id", filter=Q(status=CaseStatus.ASSIGNED)),
        in_mediation=Count("id", filter=Q(status=CaseStatus.IN_MEDIATION)),
        follow_up=Count("id", filter=Q(status__in=[CaseStatus.AGREED, CaseStatus.NOT_AGREED])),
    )
    return counts
