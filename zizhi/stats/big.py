"""The figures of the three big tables (attendance, service records, ledger postings), from the
summaries where they are up to date and from the rows for the rest (see summary_models.py).

A Split says which communities are read from their summary (`rolled`, all summarised through
the same day) and which are counted from the rows (`live`). Each function answers the period's
figures per community and the trend's per month, in two or three queries for any number of
communities.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from zizhi.associations.models import Attendance, ServiceRecord
from zizhi.moralbank.models import AccountKind, EntryKind, EntryStatus, Posting

from .period import Period
from .summary_models import DaySummary, MonthParticipants

ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Split:
    live: list[int]
    rolled: list[int] = field(default_factory=list)
    through: datetime.date | None = None  # the rolled communities' last summarised day
    # the rolled communities' figures of people ({community_id: {key: n}}) as at people_on
    people: dict = field(default_factory=dict)
    people_on: datetime.date | None = None


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - ONE_DAY


def window(period: Period) -> tuple[datetime.date, datetime.date]:
    """The days the dashboard reads: the period and the trend's 12 months."""
    return min(period.start, period.months()[0]), period.end


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def in_days(field_name: str, first, last, is_datetime: bool) -> Q:
    if is_datetime:
        return Q(
            **{f"{field_name}__gte": _aware(first), f"{field_name}__lt": _aware(last + ONE_DAY)}
        )
    return Q(**{f"{field_name}__gte": first, f"{field_name}__lte": last})


def live_q(split: Split, community: str, day_field: str, ranges, is_datetime=False) -> Q:
    """Rows to count from the table: live communities' over the window, rolled communities'
    in the given day ranges only (those their summary does not cover)."""
    q = Q(pk__in=[])
    first, last = ranges["window"]
    if split.live:
        q |= Q(**{f"{community}__in": split.live}) & in_days(day_field, first, last, is_datetime)
    for a, b in ranges["rolled"]:
        if split.rolled and a <= b:
            q |= Q(**{f"{community}__in": split.rolled}) & in_days(day_field, a, b, is_datetime)
    return q


def _after_summary(split: Split, period: Period) -> dict:
    first, last = window(period)
    rolled = []
    if split.rolled:
        rolled.append((max(first, split.through + ONE_DAY), last))
    return {"window": (first, last), "rolled": rolled}


def _fold(rows, period: Period, out_c, out_m, keys) -> None:
    """Add rows of (community_id, day or month, values...) into the period's figures per
    community (days in the period) and the trend's per month (every day of the window)."""
    months = set(period.months())
    for community_id, day, *values in rows:
        if hasattr(day, "date") and callable(day.date):
            day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
        month = _month(day)
        in_period = period.start <= day <= period.end
        for key, value in zip(keys, values, strict=True):
            if in_period:
                out_c[community_id][key] = out_c[community_id].get(key, 0) + (value or 0)
            if month in months:
                out_m[month][key] = out_m[month].get(key, 0) + (value or 0)


SERVICE_KEYS = ("service_minutes", "party_minutes")
CREDIT_KEYS = ("credit_issued", "credit_redeemed")


def flows(split: Split, period: Period) -> tuple[dict, dict]:
    """Attested service (in all, by Party members) and Moral Bank credit issued and
    redeemed: ({community_id: {key: minutes}}, {month: {key: minutes}}). Three queries."""
    out_c, out_m = defaultdict(dict), defaultdict(dict)
    ranges = _after_summary(split, period)
    if split.rolled:
        _summed(split, period, ranges["window"], out_c, out_m)
    service = service_by_day(live_q(split, "community_id", "service_date", ranges))
    _fold(service, period, out_c, out_m, SERVICE_KEYS)
    _fold(credit_by_day(live_q(split, "account__community_id", "entry__decided_at", ranges, True)),
          period, out_c, out_m, CREDIT_KEYS)  # fmt: skip
    return out_c, out_m


def _summed(split: Split, period: Period, window_days, out_c, out_m) -> None:
    """The rolled communities' day sums, added up by the database per community and month:
    in the period (for the figures) and in all (for the trend)."""
    first, last = window_days
    keys = SERVICE_KEYS + CREDIT_KEYS
    in_period = Q(day__gte=period.start, day__lte=period.end)
    rows = (
        DaySummary.objects.filter(
            community_id__in=split.rolled, day__gte=first, day__lte=min(last, split.through)
        )
        .annotate(month=TruncMonth("day"))
        .values("community_id", "month")
        .annotate(
            **{f"p_{k}": Sum(k, filter=in_period) for k in keys},
            **{f"t_{k}": Sum(k) for k in keys},
        )
        .order_by()
    )
    months = set(period.months())
    for row in rows:
        totals, month = out_c[row["community_id"]], row["month"]
        for key in keys:
            totals[key] = totals.get(key, 0) + (row[f"p_{key}"] or 0)
            if month in months:
                out_m[month][key] = out_m[month].get(key, 0) + (row[f"t_{key}"] or 0)


def service_by_day(where: Q):
    """Attested minutes, in all and by Party members, per community and day."""
    party = Q(resident__party_member__isnull=False)
    return (
        ServiceRecord.objects.filter(where)
        .values("community_id", "service_date")
        .annotate(s=Sum("minutes"), p=Coalesce(Sum("minutes", filter=party), 0))
        .values_list("community_id", "service_date", "s", "p")
        .order_by()
    )


def credit_by_day(where: Q):
    """Service credits to depositors and redemptions, minutes, per community and day."""
    tz = timezone.get_current_timezone()
    return (
        Posting.objects.filter(
            where, account__kind=AccountKind.PERSONAL, entry__status=EntryStatus.POSTED
        )
        .annotate(day=TruncDate("entry__decided_at", tzinfo=tz))
        .values("account__community_id", "day")
        .annotate(
            issued=Coalesce(Sum("minutes", filter=Q(entry__kind=EntryKind.SERVICE_CREDIT)), 0),
            redeemed=Coalesce(-Sum("minutes", filter=Q(entry__kind=EntryKind.REDEMPTION)), 0),
        )
        .values_list("account__community_id", "day", "issued", "redeemed")
        .order_by()
    )


def participant_pairs(where: Q):
    """(community_id, day, resident_id) of everyone who checked in, once per day."""
    tz = timezone.get_current_timezone()
    return (
        Attendance.objects.filter(where)
        .annotate(day=TruncDate("check_in_at", tzinfo=tz))
        .values_list("resident__community_id", "day", "resident_id")
        .distinct()
        .order_by()
    )


def participants(split: Split, period: Period) -> tuple[dict, dict]:
    """Residents who took part in an activity: ({community_id: n} in the period,
    {month: n} for the trend). Live communities in two counting queries; rolled ones from the
    month bitmaps, with the days the bitmaps leave out read as (community, day, resident)."""
    by_c: dict = {}
    by_m: dict = defaultdict(int)
    first, last = window(period)
    months = period.months()
    if split.live:
        start, end = period.bounds()
        base = Attendance.objects.filter(resident__community_id__in=split.live)
        for row in (
            base.filter(check_in_at__gte=start, check_in_at__lt=end)
            .values("resident__community_id")
            .annotate(n=Count("resident", distinct=True))
            .order_by()
        ):
            by_c[row["resident__community_id"]] = row["n"]
        tz = timezone.get_current_timezone()
        trend = (
            base.filter(check_in_at__gte=_aware(months[0]), check_in_at__lt=end)
            .annotate(month=TruncMonth("check_in_at", tzinfo=tz))
            .values("month")
            .annotate(n=Count("resident", distinct=True))
            .order_by()
        )
        for row in trend:
            by_m[timezone.localtime(row["month"]).date().replace(day=1)] += row["n"]
    if split.rolled:
        _rolled_participants(split, period, by_c, by_m, first, last)
    return by_c, dict(by_m)


def _gaps(period: Period, covered: dict, first, last) -> list:
    """The day ranges of the window that the bitmaps leave out, month by month: for the
    trend, a month's bitmap serves if it ends by the window's last day; for the period, if
    the month also starts within the period."""
    gaps, month, trend = [], _month(first), set(period.months())
    while month <= last:
        days = (max(month, first), min(month_end(month), last))
        through = covered.get(month)
        starts = []
        if month in trend:
            starts.append(through + ONE_DAY if through and through <= last else days[0])
        if month <= period.end and month_end(month) >= period.start:
            serves = through and month >= period.start and through <= period.end
            starts.append(through + ONE_DAY if serves else max(month, period.start))
        if starts and min(starts) <= days[1]:
            gaps.append((min(starts), days[1]))
        month = month_end(month) + ONE_DAY
    return gaps


def _rolled_participants(split, period, by_c, by_m, first, last) -> None:
    bitmaps = list(
        MonthParticipants.objects.filter(
            community_id__in=split.rolled, month__gte=_month(first), month__lte=last
        ).order_by()
    )
    covered = {b.month: b.through for b in bitmaps}  # the same for every rolled community
    period_sets: dict = defaultdict(set)
    month_sets: dict = defaultdict(set)
    gaps = _gaps(period, covered, first, last)
    if gaps:
        ranges = {"window": (first, last), "rolled": gaps}
        where = live_q(
            Split([], split.rolled), "resident__community_id", "check_in_at", ranges, True
        )
        for community_id, day, resident_id in participant_pairs(where):
            if period.start <= day <= period.end:
                period_sets[community_id].add(resident_id)
            month_sets[(community_id, _month(day))].add(resident_id)
    offsets = _offsets(bitmaps, period_sets, month_sets)
    in_trend = set(period.months())
    period_bits: dict = defaultdict(int)
    month_bits: dict = defaultdict(int)
    for b in bitmaps:
        value = b.as_int(offsets[b.community_id])
        if b.month >= period.start and b.through <= period.end:
            period_bits[b.community_id] |= value
        if b.month in in_trend and b.through <= last:
            month_bits[(b.community_id, b.month)] |= value
    _add_sets(period_sets, period_bits, offsets)
    _add_sets(month_sets, month_bits, offsets, key=lambda k: k[0])
    for community_id in split.rolled:
        by_c[community_id] = period_bits.get(community_id, 0).bit_count()
    for (_community_id, month), value in month_bits.items():
        if month in in_trend:
            by_m[month] += value.bit_count()


def _offsets(bitmaps, *id_sets) -> dict:
    """Each community's smallest resident id in play: bitmaps are shifted from it."""
    lowest: dict = {}
    for b in bitmaps:
        lowest[b.community_id] = min(lowest.get(b.community_id, b.base), b.base)
    for sets in id_sets:
        for key, ids in sets.items():
            community_id = key[0] if isinstance(key, tuple) else key
            if ids:
                lowest[community_id] = min(lowest.get(community_id, min(ids)), min(ids))
    return lowest


def _add_sets(sets, bits, offsets, key=lambda k: k) -> None:
    for k, ids in sets.items():
        offset = offsets[key(k)]
        for pk in ids:
            bits[k] |= 1 << (pk - offset)
