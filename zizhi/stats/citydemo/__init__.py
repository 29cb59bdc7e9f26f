"""`zizhi demo --scale city`: a city of 1,000,000 residents and a year of their activity,
written with PostgreSQL's COPY in one transaction.

- people.py: the city, subdistricts, communities, staff logins, and the registry;
- service.py: associations, volunteers, activities, attendance, attested service records;
- ledger.py: the Moral Bank (accounts, the journal with at least five postings a resident);
- affairs.py: suggestions and major matters; neighbours.py: greening, Party, mediation;
- copy.py: the COPY writer; when.py: the year's days and times.

Triggers are skipped while writing (session_replication_role = replica: the ledger's
per-row balance trigger alone would cost minutes on millions of postings, and the foreign
keys are valid by construction); `ledger.check()` then runs what the ledger triggers check,
over the whole book, and the build fails if anything is off.
"""

import datetime
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from zizhi.audit.log import record
from zizhi.registry.demo import DEMO_PASSWORD, Planner, Traits
from zizhi.registry.models import Community, Subdistrict

from . import affairs, ledger, neighbours, people, service
from .copy import Tables
from .when import Year

SUBDISTRICTS = 10
COMMUNITIES = 10  # per subdistrict
RESIDENTS = 1_000_000
MIN_RESIDENTS_PER_COMMUNITY = 200


class LedgerError(RuntimeError):
    pass


def build(
    subdistricts: int = SUBDISTRICTS,
    communities: int = COMMUNITIES,
    residents: int = RESIDENTS,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
    today: datetime.date | None = None,
) -> tuple[dict, list]:
    """Write the city into an empty PostgreSQL database; returns (counts, logins)."""
    if connection.vendor != "postgresql":
        raise ValueError("the city demo writes with PostgreSQL's COPY")
    n_places = subdistricts * communities
    if n_places < 1 or residents < MIN_RESIDENTS_PER_COMMUNITY * n_places:
        raise ValueError(f"at least {MIN_RESIDENTS_PER_COMMUNITY} residents per community")
    now = timezone.now()
    year = Year(today or timezone.localdate(), now)
    rng = random.Random(seed)
    planner, traits = Planner(rng), Traits(random.Random(seed + 1), year.today)
    tables = Tables(now)
    totals: dict = {"adopted_m2": 0}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        places, logins = people.write_city(
            tables, rng, make_password(DEMO_PASSWORD), subdistricts, communities
        )
        share = residents // n_places
        for place in places:
            size = share + (residents - share * n_places if place.index == 0 else 0)
            counts = _community(tables, place, size, planner, traits, seed, year)
            totals["adopted_m2"] += counts["adopted_m2"]
            if progress:
                progress(len(place.people))
        for sub in Subdistrict.objects.filter(pk__in={p.subdistrict for p in places}):
            record(None, "registry.demo_build", sub, subdistrict=sub, extra={"scale": "city"})
        tables.finish_sequences()
        found = {what: n for what, n in ledger.check().items() if n}
        if found:
            raise LedgerError(f"the city's ledger does not hold: {found}")
    tables.analyze()
    totals.update(tables.counts())
    return totals, logins


def _community(tables, place, size, planner, traits, seed, year) -> dict:
    people.write_registry(tables, place, size, planner, traits)
    rng = random.Random(f"{seed}-{place.code}")
    done = service.write_service(tables, place, rng, year)
    counts = {
        "residents": len(place.people),
        "volunteers": len(done.volunteers),
        "depositors": len(done.depositors),
        "service_records": done.records,
        **ledger.write_bank(tables, place, done, rng, year),
        "suggestions": affairs.write_suggestions(tables, place, rng, year),
        "matters": affairs.write_matters(tables, place, rng, year),
        **neighbours.write_greening(tables, place, rng, year),
        **neighbours.write_party(tables, place, rng, year),
        "mediation_cases": neighbours.write_mediation(tables, place, rng, year),
    }
    community = Community.objects.get(pk=place.id)
    record(None, "registry.demo_build", community, community=community, extra=counts)
    return counts


SHOWN = [
    ("registry.Resident", "居民 residents"),
    ("registry.Household", "户 households"),
    ("associations.Association", "群团组织 associations"),
    ("associations.Volunteer", "志愿者 volunteers"),
    ("associations.Activity", "活动 activities"),
    ("associations.Attendance", "签到 attendance"),
    ("associations.ServiceRecord", "服务记录 service records"),
    ("moralbank.Account", "道德银行账户 accounts"),
    ("moralbank.Entry", "记账凭证 journal entries"),
    ("moralbank.Posting", "分录 postings"),
    ("proposals.Suggestion", "居民建议 suggestions"),
    ("governance.Matter", "重大事项 major matters"),
    ("greening.Plot", "绿地 green plots"),
    ("party.PartyMember", "党员 Party members"),
    ("mediation.MediationCase", "调解案件 mediation cases"),
]


def summary(counts: dict, logins: list, seconds: float) -> str:
    """What `zizhi demo --scale city` prints at the end: counts, time, staff logins."""
    lines = [f"示范市演示数据已生成 City demo built in {seconds:.0f} s ({seconds / 60:.1f} min):"]
    lines += [f"  {counts.get(label, 0):>12,}  {name}" for label, name in SHOWN]
    lines.append(f"  {counts['adopted_m2']:>12,.0f}  m² 已认领绿地 adopted")
    lines.append(f"\n演示账号 Demo logins (密码 password: {DEMO_PASSWORD})")
    workers = [x for x in logins if x.role.startswith("社区工作者")]
    for login in [x for x in logins if x not in workers] + workers[:3]:
        lines.append(f"  {login.phone}  {login.name:<4}\t{login.role} · {login.scope}")
    if len(workers) > 3:
        last = workers[-1]
        lines.append(
            f"  … {last.phone}  社区工作者 community worker, one per community, in order ({len(workers)} in all; the last: {last.scope})"
        )
    return "\n".join(lines)
