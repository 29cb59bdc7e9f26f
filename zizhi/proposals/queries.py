"""The read side of suggestions: the public board, the worker's list, a timeline, the
similar open ones, the subdistrict's on-time and satisfaction rates, a resident's own."""

import datetime

from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from . import similar
from .models import (
    OPEN_STATUSES,
    WAITING_ACCEPT,
    WAITING_REPLY,
    Rating,
    Suggestion,
    SuggestionStatus,
    SuggestionStep,
)

PAGE_SIZE = 20
# What the lists show; the long text stays in the database.
LIST_FIELDS = (
    "pk",
    "community__code",
    "community__name",
    "number",
    "title",
    "category",
    "channel",
    "status",
    "building__name",
    "resident__name",
    "show_name",
    "accept_due",
    "reply_due",
    "replied_at",
    "support_count",
    "public",
    "reopened",
    "created_at",
)


def overdue_q(today: datetime.date) -> Q:
    """Waiting past its deadline on `today`."""
    return Q(status__in=WAITING_ACCEPT, accept_due__lt=today) | Q(
        status__in=WAITING_REPLY, reply_due__lt=today
    )


def with_overdue(qs, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return qs.annotate(
        overdue=Case(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _page(qs, page):
    return Paginator(qs, PAGE_SIZE).get_page(page)


def _list(qs):
    return with_overdue(qs.select_related("community", "building", "resident").only(*LIST_FIELDS))


def board(community, order: str = "support", page=1):
    """The public board: accepted suggestions not marked private; the most supported first,
    or the newest first."""
    qs = Suggestion.objects.filter(community=community, public=True).exclude(
        status=SuggestionStatus.NOT_ACCEPTED
    )
    ordering = (
        ("-created_at", "-id") if order == "new" else ("-support_count", "-created_at", "-id")
    )
    return _page(_list(qs).order_by(*ordering), page)


def staff_list(community, status=None, overdue: bool = False, q: str = "", page=1):
    """The worker's list, newest first; each row knows whether it is overdue."""
    qs = Suggestion.objects.filter(community=community)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_q(timezone.localdate()))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__iexact=q) | Q(title__icontains=q) | Q(resident__name__icontains=q))
    return _page(_list(qs).order_by("-created_at", "-id"), page)


def timeline(s: Suggestion):
    """The steps the resident sees, oldest first."""
    return SuggestionStep.objects.filter(suggestion=s, visible_to_resident=True).order_by(
        "at", "pk"
    )


def similar_open(community, building, title: str, text: str = "", limit: int = 3) -> list:
    return similar.similar_open(community, building, title, text, limit=limit)


def mine(resident):
    return with_overdue(
        Suggestion.objects.filter(resident=resident)
        .select_related("community", "building")
        .order_by("-created_at", "-id")
    )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def on_time_rates(subdistrict, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per community of the subdistrict, the suggestions received in [start, end]:
    received; `due`: those handled (accepted-and-replied or declined) plus those still open
    past their deadline; `on_time`: handled with no deadline missed; the on-time rate
    on_time / due; `overdue`: open and late now; rated, satisfied (satisfied or basically
    satisfied; final ratings only) and the satisfaction rate. Rates are None when there is nothing to count."""
    from zizhi.registry.models import Community

    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    handled = Q(replied_at__isnull=False) | Q(status=SuggestionStatus.NOT_ACCEPTED)
    late_now = overdue_q(today)
    # a rating counts once it is final: closed, or sent to the subdistrict (not reopened)
    final = Q(status__in=[SuggestionStatus.CLOSED, SuggestionStatus.ESCALATED])
    rows = (
        Community.objects.filter(subdistrict=subdistrict)
        .order_by("code")
        .values("pk", "code", "name")
    )
    counts = {
        row["community_id"]: row
        for row in Suggestion.objects.filter(
            community__subdistrict=subdistrict, created_at__gte=since, created_at__lt=until
        )
        .values("community_id")
        .annotate(
            received=Count("pk"),
            handled=Count("pk", filter=handled),
            on_time=Count("pk", filter=handled & Q(late=False) & ~late_now),
            overdue=Count("pk", filter=late_now & ~handled),
            rated=Count("pk", filter=final & ~Q(rating="")),
            satisfied=Count("pk", filter=final & Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
        )
        .order_by()
    }
    result = []
    for row in rows:
        c = counts.get(row["pk"], {})
        received = c.get("received", 0)
        handled_n, on_time, overdue = c.get("handled", 0), c.get("on_time", 0), c.get("overdue", 0)
        rated, satisfied = c.get("rated", 0), c.get("satisfied", 0)
        due = handled_n + overdue
        result.append(
            {
                "community_id": row["pk"],
                "code": row["code"],
                "name": row["name"],
                "received": received,
                "handled": handled_n,
                "due": due,
                "on_time": on_time,
                "overdue": overdue,
                "on_time_rate": _rate(on_time, due),
                "rated": rated,
                "satisfied": satisfied,
                "satisfaction_rate": _rate(satisfied, rated),
            }
        )
    return result


def open_count(community) -> int:
    return Suggestion.objects.filter(community=community, status__in=OPEN_STATUSES).count()
