"""The dashboard's figures, counted from the rows themselves (never typed in).

Every function takes community ids and a Period and answers {community_id: {key: number}} in
ONE grouped query, however many communities: the city dashboard (100 communities) costs the
same number of queries as a community's. Values are additive (counts, minutes, fen, sums of
days) so a subdistrict or the city is the plain sum of its communities; rates and averages
are derived afterwards from their numerator and denominator (definitions.py).

The stats app reads across apps by design (DESIGN.md: queries are "used by views, API and
stats"): one grouped query per figure is what keeps the city's dashboard within its budget,
where calling each app's per-community query would cost N queries per figure.

Figures of people (volunteers, depositors, members ...) are counted as at the period's end
by the date of the event (registered, joined); residents and households as registered now
(the registry has no moving-in date); flows (hours, credit, suggestions ...) within the
period. The three big tables are read through big.py (summaries where up to date).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from zizhi.associations.models import (
    Association,
    AssociationMember,
    Volunteer,
    VolunteerStatus,
)
from zizhi.governance.models import Matter, Step
from zizhi.greening.models import Adoption, AdoptionStatus, Donation, FundUse
from zizhi.mediation.models import MediationCase
from zizhi.moralbank.models import Account, AccountKind
from zizhi.party.models import PartyMember, ReportIn
from zizhi.proposals.models import Rating, Suggestion
from zizhi.registry.models import Community, Household, Resident

from . import big
from .period import Period

# Age bands (years, as at the period's end): the volunteers' pyramid and the depositors.
AGE_BANDS = [(0, 17), (18, 34), (35, 59), (60, 69), (70, 79), (80, None)]
# A matter is decided when it first reaches one of these states.
DECIDED_STATES = ("resolved", "not_passed", "rejected")


def band_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}-{high}"


BAND_LABELS = [band_label(low, high) for low, high in AGE_BANDS]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band(birth_field: str, on: datetime.date) -> Case:
    """The age band of the person born on `birth_field`, as at `on`, in SQL."""
    whens = []
    for low, high in AGE_BANDS[:-1]:
        # younger than high + 1: born after the day high + 1 years before
        whens.append(
            When(
                **{f"{birth_field}__gt": _years_before(on, high + 1)},
                then=Value(band_label(low, high)),
            )
        )
    return Case(*whens, default=Value(BAND_LABELS[-1]), output_field=CharField())


def _count_in(qs, field: str = "community"):
    """A correlated count of qs's rows per community, for Community.annotate."""
    sub = qs.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(sub.annotate(n=Count("*")).values("n")[:1]), 0)


def _sum_in(qs, column: str, output=None):
    sub = qs.filter(community=OuterRef("pk")).order_by().values("community")
    output = output or BigIntegerField()
    return Coalesce(Subquery(sub.annotate(s=Sum(column)).values("s")[:1]), 0, output_field=output)


def _as_at(qs, field: str, end_at):
    """Rows that existed at end_at (every row exists now: no filter for a period that ends
    today, which lets PostgreSQL count from the index alone)."""
    return qs.filter(**{f"{field}__lt": end_at}) if end_at <= timezone.now() else qs


def stocks(ids, period: Period) -> dict:
    """Residents, households, associations, members, volunteers, depositors, outstanding
    credit, Party members and those reported in, green m² adopted: one query."""
    _, end_at = period.bounds()
    end = period.end
    counts = dict(
        # the registry has no moving-in date (created_at is when the row was typed or
        # imported): residents and households are those registered now
        residents=_count_in(Resident.objects.all()),
        households=_count_in(Household.objects.all()),
        associations=_count_in(Association.objects.filter(active=True)),
        association_members=_count_in(
            AssociationMember.objects.filter(
                Q(left_on__isnull=True) | Q(left_on__gt=end),
                joined_on__lte=end,
                association__community__isnull=False,
            ),
            "association__community",
        ),
        volunteers=_count_in(
            _as_at(Volunteer.objects.filter(status=VolunteerStatus.ACTIVE), "registered_at", end_at)
        ),
        depositors=_count_in(
            _as_at(Account.objects.filter(kind=AccountKind.PERSONAL), "created_at", end_at)
        ),
        credit_outstanding=_sum_in(Account.objects.filter(kind=AccountKind.PERSONAL), "balance"),
        party_members=_count_in(PartyMember.objects.all()),
        party_reported=_count_in(ReportIn.objects.filter(reported_on__lte=end)),
        green_m2=_sum_in(
            Adoption.objects.filter(status=AdoptionStatus.ACTIVE, starts_on__lte=end),
            "plot__area_m2",
            DecimalField(max_digits=14, decimal_places=1),
        ),
    )
    # prefixed: Community has relations with these names (residents, households ...)
    rows = (
        Community.objects.filter(pk__in=ids)
        .annotate(**{f"v_{key}": value for key, value in counts.items()})
        .values("pk", *(f"v_{key}" for key in counts))
    )
    return {row.pop("pk"): {k.removeprefix("v_"): v for k, v in row.items()} for row in rows}


def _grouped(qs, key: str, **aggregates) -> dict:
    out = {}
    for row in qs.order_by().values(key).annotate(**aggregates):
        out[row.pop(key)] = row
    return out


def matters(ids, period: Period) -> dict:
    """Matters registered in the period by their current stage (keys stage:<state>), and
    the matters decided in the period with the sum of their days from registration."""
    start, end = period.bounds()
    out: dict = defaultdict(dict)
    staged = (
        Matter.objects.filter(community_id__in=ids, registered_at__gte=start, registered_at__lt=end)
        .order_by()
        .values_list("community_id", "state")
        .annotate(n=Count("*"))
    )
    for community_id, state, n in staged:
        out[community_id][f"stage:{state}"] = n
        out[community_id]["matters"] = out[community_id].get("matters", 0) + n
    decided = (
        Step.objects.filter(
            matter__community_id__in=ids,
            to_state__in=DECIDED_STATES,
            at__gte=start,
            at__lt=end,
        )
        .order_by()
        .values("matter__community_id")
        .annotate(
            matters_decided=Count("matter", distinct=True),
            avg=Avg(F("at") - F("matter__registered_at")),
        )
    )
    for row in decided:
        entry = out[row["matter__community_id"]]
        entry["matters_decided"] = row["matters_decided"]
        average = row["avg"] or datetime.timedelta()
        entry["matter_days"] = round(average.total_seconds() / 86400 * row["matters_decided"], 2)
    return dict(out)


def suggestions(ids, period: Period) -> dict:
    start, end = period.bounds()
    qs = Suggestion.objects.filter(community_id__in=ids, created_at__gte=start, created_at__lt=end)
    replied = Q(replied_at__isnull=False)
    return _grouped(
        qs,
        "community_id",
        suggestions=Count("pk"),
        replied=Count("pk", filter=replied),
        replied_on_time=Count("pk", filter=replied & Q(late=False)),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
    )


def green_money(ids, period: Period) -> dict:
    out: dict = defaultdict(dict)
    window = {"community_id__in": ids}
    given = Donation.objects.filter(given_on__gte=period.start, given_on__lte=period.end, **window)
    for community_id, row in _grouped(
        given, "community_id", green_raised=Sum("amount_fen")
    ).items():
        out[community_id].update(row)
    used = FundUse.objects.filter(used_on__gte=period.start, used_on__lte=period.end, **window)
    for community_id, row in _grouped(used, "community_id", green_used=Sum("amount_fen")).items():
        out[community_id].update(row)
    return dict(out)


def mediation(ids, period: Period) -> dict:
    start, end = period.bounds()
    qs = MediationCase.objects.filter(
        community_id__in=ids, registered_at__gte=start, registered_at__lt=end
    )
    decided = Q(outcome_on__isnull=False)
    return _grouped(
        qs,
        "community_id",
        mediation_cases=Count("pk"),
        mediation_decided=Count("pk", filter=decided),
        mediation_agreed=Count("pk", filter=decided & Q(referral_to="")),
    )


def _by_band(qs, date_field: str, period: Period, prefix: str, *more) -> dict:
    """People of qs (existing at the period's end by date_field) counted by age band and
    `more` columns: {community_id: {"<prefix>:<band>[:<more>...]": n}}."""
    _, end_at = period.bounds()
    rows = (
        _as_at(qs, date_field, end_at)
        .annotate(band=age_band("resident__birth_date", period.end))
        .order_by()
        .values_list("community_id", "band", *more)
        .annotate(n=Count("*"))
    )
    out: dict = defaultdict(dict)
    for community_id, *key, n in rows:
        out[community_id][":".join([prefix, *key])] = n
    return dict(out)


def depositor_bands(ids, period: Period) -> dict:
    """Depositors by age band: {community_id: {"dep:<band>": n}}."""
    accounts = Account.objects.filter(community_id__in=ids, kind=AccountKind.PERSONAL)
    return _by_band(accounts, "created_at", period, "dep")


PER_COMMUNITY = [matters, suggestions, green_money, mediation]


def per_community(ids, period: Period, split: big.Split | None = None) -> tuple[dict, list]:
    """Every additive figure of every community ({community_id: {key: number}}) and the
    trend of the 12 months that end with the period's end month (see trend)."""
    split = split or big.Split(live=list(ids))
    out = people(ids, period, split)
    for figure in PER_COMMUNITY:
        for community_id, values in figure(ids, period).items():
            if community_id in out:
                out[community_id].update({k: v or 0 for k, v in values.items()})
    flows_c, flows_m = big.flows(split, period)
    people_c, people_m = big.participants(split, period)
    for community_id, values in flows_c.items():
        out[community_id].update(values)
    for community_id, values in out.items():
        values["participants"] = people_c.get(community_id, 0)
        for key in big.SERVICE_KEYS + big.CREDIT_KEYS:
            values.setdefault(key, 0)
    return out, trend(ids, period, flows_m, people_m)


def volunteer_bands(ids, period: Period) -> dict:
    """Active volunteers by age band and gender: {community_id: {"vol:<band>:<M|F>": n}}."""
    volunteers = Volunteer.objects.filter(community_id__in=ids, status=VolunteerStatus.ACTIVE)
    return _by_band(volunteers, "registered_at", period, "vol", "resident__gender")


def pyramid(additive: dict) -> dict[str, dict[str, int]]:
    """The volunteers' pyramid of a unit's additive values: {band: {"M": n, "F": n}}."""
    return {
        band: {g: additive.get(f"vol:{band}:{g}", 0) for g in ("M", "F")} for band in BAND_LABELS
    }


# Figures of people as at the period's end: kept in a community's summary for the day it was
# counted (rollup.py), and read from it when the period ends that day.
PEOPLE = [stocks, depositor_bands, volunteer_bands]


def people(ids, period: Period, split: big.Split | None = None) -> dict:
    out: dict = {pk: {} for pk in ids}
    summarised = split.people if split and split.people_on == period.end else {}
    for community_id, values in summarised.items():
        if community_id in out:
            out[community_id].update(values)
    live = [pk for pk in ids if pk not in summarised]
    if live:
        for figure in PEOPLE:
            for community_id, values in figure(live, period).items():
                out[community_id].update({k: _number(v) for k, v in values.items()})
    return out


def _number(value):
    """0 for None; a float for a Decimal (m²), so a summary's JSON gives the same value."""
    return float(value) if isinstance(value, Decimal) else value or 0


def trend(ids, period: Period, flows_m: dict, people_m: dict) -> list[dict]:
    """The 12 months that end with the period's end month, for the whole scope: residents
    taking part, attested hours, credit issued (from big.py) and suggestions received."""
    months = period.months()
    start = datetime.datetime.combine(months[0], datetime.time(), timezone.get_current_timezone())
    _, end = period.bounds()
    tz = timezone.get_current_timezone()
    received = dict(
        Suggestion.objects.filter(community_id__in=ids, created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    received = {timezone.localtime(m).date().replace(day=1): n for m, n in received.items()}
    return [
        {
            "month": month,
            "participants": people_m.get(month, 0),
            "service_minutes": flows_m.get(month, {}).get("service_minutes", 0),
            "credit_issued": flows_m.get(month, {}).get("credit_issued", 0),
            "suggestions": received.get(month, 0),
        }
        for month in months
    ]
