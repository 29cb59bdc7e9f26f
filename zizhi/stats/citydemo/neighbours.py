"""Green plots with adoptions, upkeep and donations; Party members with report-ins;
mediation cases with their parties and outcomes."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from zizhi.finance.actions import record_donation
from zizhi.greening.demo import KIND_NAMES, UPKEEP, ZONES
from zizhi.greening.models import (
    AdopterKind,
    Adoption,
    AdoptionStatus,
    Donation,
    DonorKind,
    LogKind,
    Plot,
    PlotState,
    UpkeepLog,
)
from zizhi.mediation.demo import STORIES
from zizhi.mediation.models import (
    CaseCounter,
    CaseParty,
    CaseStatus,
    MediationCase,
    Referral,
    Side,
    Source,
)
from zizhi.party.demo import ORGS, POSTS
from zizhi.party.models import (
    BranchKind,
    MemberStatus,
    PartyMember,
    PartyOrganisation,
    ReportIn,
    ServicePost,
)
from zizhi.registry.models import Community, PoliticalStatus

PLOT_SHARE = 0.002  # plots per resident: 20 in a community of 10,000
DONATIONS_PER_COMMUNITY = 3
REPORT_IN_SHARE = 0.7  # of the in-service members
MEDIATION_SHARE = 0.003
SKILLS = ("法律咨询", "医疗保健", "电脑维修", "书法", "心理疏导", "财务", "驾驶", "摄影")


def write_greening(tables, place, rng: random.Random, year) -> dict:
    plot_t = tables(
        Plot,
        [
            "id",
            "community_id",
            "name",
            "zone",
            "location",
            "area_m2",
            "kind",
            "state",
            "created_by_id",
            "created_at",
        ],
    )
    adoption_t = tables(
        Adoption,
        [
            "id",
            "community_id",
            "plot_id",
            "adopter_kind",
            "resident_id",
            "household_id",
            "adopter_name",
            "starts_on",
            "ends_on",
            "show_name",
            "status",
            "applied_by_id",
            "applied_at",
            "reviewed_by_id",
            "reviewed_at",
        ],
    )
    log_t = tables(
        UpkeepLog,
        [
            "id",
            "community_id",
            "plot_id",
            "adoption_id",
            "kind",
            "done_on",
            "text",
            "recorded_by_id",
            "created_at",
        ],
    )
    plots, adoptions, logs, adopted_m2 = [], [], [], Decimal(0)
    count = defaultdict(int)
    adults = [p for p in place.people if p.age >= 18]
    for k in range(max(2, round(PLOT_SHARE * len(place.people)))):
        pid, zone, kind = plot_t.next_id(), ZONES[k % len(ZONES)], rng.choice(list(KIND_NAMES))
        count[zone, kind] += 1
        area = Decimal(rng.randrange(400, 4000)) / 10
        state = rng.choices(
            (PlotState.ADOPTED, PlotState.AVAILABLE, PlotState.RESTING), (65, 25, 10)
        )[0]
        name = f"{zone}{KIND_NAMES[kind]}{count[zone, kind]}号"
        plots.append(
            (
                pid,
                place.id,
                name,
                zone,
                f"{place.name}{zone}",
                area,
                kind,
                state,
                place.worker,
                year.now,
            )
        )
        if state != PlotState.ADOPTED:
            continue
        adopted_m2 += area
        person = rng.choice(adults)
        household = rng.random() < 0.4
        starts = year.day(rng)
        aid = adoption_t.next_id()
        applied = year.at(starts - datetime.timedelta(days=3), 10)
        adoptions.append(
            (
                aid,
                place.id,
                pid,
                AdopterKind.HOUSEHOLD if household else AdopterKind.RESIDENT,
                person.id,
                person.household if household else None,
                f"{person.name}家" if household else person.name,
                starts,
                starts.replace(year=starts.year + 1)
                if starts.month != 2 or starts.day != 29
                else starts + datetime.timedelta(days=365),
                rng.random() < 0.6,
                AdoptionStatus.ACTIVE,
                place.worker,
                applied,
                place.worker,
                year.later(applied, 24 * 60),
            )
        )
        day = starts
        while day < year.today:
            logs.append(
                (
                    log_t.next_id(),
                    place.id,
                    pid,
                    aid,
                    LogKind.UPKEEP,
                    day,
                    rng.choice(UPKEEP),
                    place.worker,
                    year.at(day, 18),
                )
            )
            day += datetime.timedelta(days=rng.randrange(5, 20))
    plot_t.write(plots)
    adoption_t.write(adoptions)
    log_t.write(logs)
    donations = _donations(tables, place, rng, year, [a for a in adoptions])
    return {"plots": len(plots), "adopted_m2": adopted_m2, "donations": donations}


def _donations(tables, place, rng, year, adoptions) -> int:
    """A few donations, through the finance books (record_donation writes the income entry
    and its audit event, as a worker's recording would)."""
    if not adoptions:
        return 0
    community = Community.objects.get(pk=place.id)
    donation_t = tables(
        Donation,
        [
            "id",
            "community_id",
            "amount_fen",
            "donor_kind",
            "resident_id",
            "donor_label",
            "receipt_no",
            "given_on",
            "purpose",
            "plot_id",
            "adoption_id",
            "finance_entry_id",
            "recorded_by_id",
            "created_at",
        ],
    )
    rows = []
    for n in range(DONATIONS_PER_COMMUNITY):
        adoption = rng.choice(adoptions)
        given = year.day(rng)
        amount = rng.choice((5000, 10000, 20000, 50000))
        label = adoption[6] if n % 3 else "匿名"
        receipt = f"{place.code}-LH-{given.year}-{n + 1:03d}"
        entry = record_donation(
            community,
            amount_fen=amount,
            donor_label=label,
            receipt_no=receipt,
            purpose="绿化捐款：绿地认领养护",
            date=given,
            actor=None,
        )
        rows.append(
            (
                donation_t.next_id(),
                place.id,
                amount,
                DonorKind.RESIDENT if n % 3 else DonorKind.ANONYMOUS,
                adoption[4] if n % 3 else None,
                label,
                receipt,
                given,
                "绿地认领养护",
                adoption[2],
                adoption[0],
                entry.pk,
                place.worker,
                year.at(given, 11),
            )
        )
    donation_t.write(rows)
    return len(rows)


def write_party(tables, place, rng: random.Random, year) -> dict:
    org_t = tables(
        PartyOrganisation,
        ["id", "community_id", "name", "employer", "contact_name", "registered_on", "created_at"],
    )
    orgs = []
    for name, employer, contact in ORGS:
        orgs.append(
            (org_t.next_id(), place.id, name, employer, contact, year.since(rng, 3), year.now)
        )
    org_t.write(orgs)
    post_t = tables(
        ServicePost, ["id", "community_id", "kind", "title", "description", "places", "created_at"]
    )
    post_t.write(
        (post_t.next_id(), place.id, kind, title, text, n, year.now)
        for kind, title, text, n in POSTS
    )
    member_t = tables(
        PartyMember,
        [
            "id",
            "community_id",
            "resident_id",
            "status",
            "joined_on",
            "branch",
            "employer",
            "organisation_id",
            "created_at",
        ],
    )
    report_t = tables(
        ReportIn,
        ["id", "community_id", "member_id", "reported_on", "skills", "availability", "created_at"],
    )
    members, reports = [], []
    for person in place.people:
        if person.political not in (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY):
            continue
        mid = member_t.next_id()
        party_years = max(1, person.age - rng.randint(20, 35))
        joined = year.today - datetime.timedelta(days=365 * party_years + rng.randrange(365))
        if person.age < 60:
            org = rng.choice(orgs)
            members.append(
                (
                    mid,
                    place.id,
                    person.id,
                    MemberStatus.IN_SERVICE,
                    joined,
                    BranchKind.EMPLOYER,
                    org[3],
                    org[0],
                    year.now,
                )
            )
            if rng.random() < REPORT_IN_SHARE:
                day = year.day(rng)
                reports.append(
                    (
                        report_t.next_id(),
                        place.id,
                        mid,
                        day,
                        rng.choice(SKILLS),
                        "周末",
                        year.at(day, 10),
                    )
                )
        else:
            members.append(
                (
                    mid,
                    place.id,
                    person.id,
                    MemberStatus.RETIRED,
                    joined,
                    BranchKind.COMMUNITY,
                    "",
                    None,
                    year.now,
                )
            )
    member_t.write(members)
    report_t.write(reports)
    return {"party_members": len(members), "report_ins": len(reports)}


def write_mediation(tables, place, rng: random.Random, year) -> int:
    case_t = tables(
        MediationCase,
        [
            "id",
            "community_id",
            "number",
            "kind",
            "status",
            "source",
            "description",
            "registered_by_id",
            "registered_at",
            "outcome_on",
            "facts",
            "terms",
            "performance_deadline",
            "referral_to",
            "closed_at",
        ],
    )
    party_t = tables(
        CaseParty, ["id", "case_id", "side", "resident_id", "name", "phone", "building_id"]
    )
    cases, parties, numbers = [], [], defaultdict(int)
    opened = sorted(
        year.at(year.day(rng), rng.randrange(9, 17))
        for _ in range(max(1, round(MEDIATION_SHARE * len(place.people))))
    )
    for when in opened:
        kind, description, terms, _note = rng.choice(STORIES)
        cid = case_t.next_id()
        numbers[when.year] += 1
        age = (year.now - when).days
        outcome = (when + datetime.timedelta(days=rng.randrange(3, 30))).date()
        if age < 7:
            status = CaseStatus.REGISTERED
        elif age < 30 or outcome >= year.today:
            status = rng.choice((CaseStatus.ASSIGNED, CaseStatus.IN_MEDIATION))
        else:
            status = rng.choices(
                (CaseStatus.AGREED, CaseStatus.NOT_AGREED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN),
                (20, 12, 58, 10),
            )[0]
        agreed = status in (CaseStatus.AGREED, CaseStatus.CLOSED)
        decided = status in (CaseStatus.AGREED, CaseStatus.NOT_AGREED, CaseStatus.CLOSED)
        cases.append(
            (
                cid,
                place.id,
                f"{place.code}调{when.year}-{numbers[when.year]:04d}",
                kind,
                status,
                rng.choice((Source.WORKER, Source.PARTY)),
                description,
                place.worker,
                when,
                outcome if decided else None,
                description if decided else "",
                (terms or "") if agreed else "",
                outcome + datetime.timedelta(days=30) if agreed else None,
                Referral.COURT if status == CaseStatus.NOT_AGREED else "",
                year.later(year.at(outcome, 16), 0) if status == CaseStatus.CLOSED else None,
            )
        )
        for side, person in (
            (Side.APPLICANT, rng.choice(place.people)),
            (Side.RESPONDENT, rng.choice(place.people)),
        ):
            parties.append(
                (party_t.next_id(), cid, side, person.id, person.name, person.phone, None)
            )
    case_t.write(cases)
    party_t.write(parties)
    counter_t = tables(CaseCounter, ["id", "community_id", "year", "last"])
    counter_t.write((counter_t.next_id(), place.id, y, last) for y, last in sorted(numbers.items()))
    return len(cases)
