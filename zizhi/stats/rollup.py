"""Writing the summaries of the big tables (summary_models.py), and choosing, per dashboard
view, which communities are read from them (big.Split).

`refresh()` recounts, per community, every day up to yesterday (or the last `days` days of a
community already summarised) from the rows, with the same queries the live figures use, and
stores the day sums and the month bitmaps of residents who took part. A community is read
from its summary only while no audit event of it is newer than the summary: any change makes
it live until the next refresh (`zizhi stats rollup`, on a timer).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from zizhi.associations.models import Attendance, ServiceRecord
from zizhi.registry.models import Community

from . import big, figures
from .period import Period
from .summary_models import DaySummary, MonthParticipants, SummaryState, to_bitmap

ONE_DAY = datetime.timedelta(days=1)
DEFAULT_DAYS = 40  # how far back a refresh recounts a community already summarised


def split(ids, latest: dict) -> big.Split:
    """Communities with an up-to-date summary (no audit event after it, summarised through
    the same latest day) are `rolled`; the others `live`. One query."""
    states = {
        s.community_id: s for s in SummaryState.objects.filter(community_id__in=ids).order_by()
    }
    through = max((s.through for s in states.values()), default=None)
    people_on = max((s.people_on for s in states.values() if s.people_on), default=None)
    rolled, live = [], []
    for pk in ids:
        state, last_event = states.get(pk), latest.get(pk)
        fresh = (
            state is not None
            and state.through == through
            and (last_event is None or last_event <= state.computed_at)
        )
        (rolled if fresh else live).append(pk)
    people = {pk: states[pk].people for pk in rolled if states[pk].people_on == people_on}
    return big.Split(live, rolled, through if rolled else None, people, people_on)


def _first_day(ids) -> datetime.date | None:
    """The earliest day in the big tables for these communities."""
    days = [
        ServiceRecord.objects.filter(community_id__in=ids).aggregate(d=Min("service_date"))["d"],
        Attendance.objects.filter(resident__community_id__in=ids).aggregate(d=Min("check_in_at"))[
            "d"
        ],
    ]
    days = [timezone.localtime(d).date() if hasattr(d, "hour") else d for d in days if d]
    return min(days) if days else None


BATCH = 10  # communities counted together (one transaction each)


def refresh(ids=None, *, days: int | None = None, today=None, progress=None) -> dict:
    """Recount the summaries of these communities (all if None) through yesterday, BATCH
    communities at a time (`progress(n)` after each). With `days`, a community summarised
    before is recounted for its last `days` days only. Answers {"communities", "days"}."""
    today = today or timezone.localdate()
    through = today - ONE_DAY
    ids = list(ids if ids is not None else Community.objects.values_list("pk", flat=True))
    states = set(
        SummaryState.objects.filter(community_id__in=ids).values_list("community_id", flat=True)
    )
    written = 0
    for i in range(0, len(ids), BATCH):
        batch = ids[i : i + BATCH]
        started = timezone.now()  # an event during the count makes the community live again
        recent = [pk for pk in batch if days and pk in states]
        full = [pk for pk in batch if pk not in recent]
        if recent:
            written += _write(recent, through - datetime.timedelta(days=days - 1), through, started)
        if full:
            first = _first_day(full) or through
            written += _write(full, min(first, through), through, started)
        if progress:
            progress(len(batch))
    return {"communities": len(ids), "days": written}


def _write(ids, first: datetime.date, through: datetime.date, started) -> int:
    """Recount [first, through] (months whole for the bitmaps) of these communities."""
    first = first.replace(day=1)
    everyone = big.Split(live=list(ids))
    sums: dict = defaultdict(dict)
    service = big.service_by_day(
        Q(community_id__in=ids, service_date__gte=first, service_date__lte=through)
    )
    for community_id, day, s, p in service:
        sums[(community_id, day)].update(service_minutes=s or 0, party_minutes=p or 0)
    where = big.live_q(everyone, "account__community_id", "entry__decided_at",
                       {"window": (first, through), "rolled": []}, True)  # fmt: skip
    for community_id, day, issued, redeemed in big.credit_by_day(where):
        sums[(community_id, day)].update(credit_issued=issued, credit_redeemed=redeemed)
    people: dict = defaultdict(set)
    where = Q(resident__community_id__in=ids) & big.in_days("check_in_at", first, through, True)
    for community_id, day, resident_id in big.participant_pairs(where):
        people[(community_id, day.replace(day=1))].add(resident_id)
    months = _months(first, through)
    with transaction.atomic():
        DaySummary.objects.filter(community_id__in=ids, day__gte=first, day__lte=through).delete()
        DaySummary.objects.bulk_create(
            [DaySummary(community_id=c, day=d, **v) for (c, d), v in sums.items()],
            batch_size=5000,
        )
        MonthParticipants.objects.filter(community_id__in=ids, month__in=months).delete()
        bitmaps = []
        for community_id in ids:
            for month in months:
                base, bits = to_bitmap(people.get((community_id, month)))
                last = min(big.month_end(month), through)
                bitmaps.append(MonthParticipants(community_id=community_id, month=month,
                                                 through=last, base=base, bits=bits))  # fmt: skip
        MonthParticipants.objects.bulk_create(bitmaps, batch_size=2000)
        on = through + ONE_DAY
        people = figures.people(ids, Period(on, on))
        for community_id in ids:
            SummaryState.objects.update_or_create(
                community_id=community_id,
                defaults={
                    "through": through,
                    "computed_at": started,
                    "people_on": on,
                    "people": people[community_id],
                },
            )
    return len(sums)


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = big.month_end(month) + ONE_DAY
    return months


def changed(today: datetime.date | None = None) -> list[int]:
    """Communities whose summary is missing, behind yesterday, or older than their latest
    audit event: what a timer's `zizhi stats rollup --changed` recounts."""
    from .dashboard import latest_events

    today = today or timezone.localdate()
    ids = list(Community.objects.values_list("pk", flat=True))
    s = split(ids, latest_events(ids))
    behind = s.through is None or s.through < today - ONE_DAY
    return ids if behind else s.live
