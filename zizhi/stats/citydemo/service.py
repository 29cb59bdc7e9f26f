"""Associations with members, volunteers, and a year of volunteer service: activities,
attendance, attestations and the attested service records (numbered in time order).

Depositors of the Moral Bank are volunteers who serve about weekly; the other volunteers a
few times a year. Each record belongs to one attended activity of the resident's community.
"""

import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from zizhi.associations.demo import ASSOCIATIONS
from zizhi.associations.models import (
    Activity,
    ActivityStatus,
    Association,
    AssociationMember,
    AssociationRole,
    Attendance,
    AttendanceSource,
    Attestation,
    AttestationStatus,
    Audience,
    Counter,
    OrganiserKind,
    RecordKind,
    ServiceRecord,
    Volunteer,
)
from zizhi.moralbank.demo_history import CONTENTS

ASSOCIATIONS_PER_COMMUNITY = 5
MEMBER_SHARE = 0.012  # of the residents, per association
VOLUNTEER_SHARE = 0.15  # of the residents (adults up to 80)
DEPOSITOR_SHARE = 0.4  # of the volunteers: about 6% of the residents
DEPOSITOR_RECORDS = (30, 46)  # a year's records of a depositor
OTHER_RECORDS = (0, 1, 1, 2, 3, 4, 5, 8)
PER_ACTIVITY = 25  # attendees of an activity, on average
START_HOURS = (8, 9, 14, 15, 19)


@dataclass
class Credit:
    """A depositor's attested record, to be credited by the Moral Bank."""

    record: int
    number: str
    minutes: int
    ended_at: object
    content: str


@dataclass
class Service:
    associations: list[int] = field(default_factory=list)
    volunteers: list = field(default_factory=list)  # Person
    depositors: list = field(default_factory=list)  # Person
    credits: dict[int, list[Credit]] = field(default_factory=dict)  # resident id -> credits
    records: int = 0


def write_associations(tables, place, rng: random.Random, year) -> list[int]:
    assoc_t = tables(
        Association,
        [
            "id",
            "subdistrict_id",
            "community_id",
            "name",
            "kind",
            "description",
            "founded_on",
            "active",
            "created_at",
            "created_by_id",
        ],
    )
    member_t = tables(
        AssociationMember, ["id", "association_id", "resident_id", "role", "joined_on"]
    )
    adults = [p for p in place.people if p.age >= 18]
    rows, members, ids = [], [], []
    first = place.index * ASSOCIATIONS_PER_COMMUNITY
    for k in range(ASSOCIATIONS_PER_COMMUNITY):
        name, kind, _category, _titles = ASSOCIATIONS[(first + k) % len(ASSOCIATIONS)]
        aid = assoc_t.next_id()
        ids.append(aid)
        rows.append(
            (
                aid,
                place.subdistrict,
                place.id,
                f"{place.name}{name}",
                kind,
                f"{name}由{place.name}居民自发组织，欢迎爱好者加入。",
                year.since(rng, 10),
                True,
                year.now,
                place.worker,
            )
        )
        size = min(len(adults), max(8, round(MEMBER_SHARE * len(place.people))))
        for n, person in enumerate(rng.sample(adults, size)):
            role = (
                AssociationRole.LEADER
                if n == 0
                else AssociationRole.DEPUTY
                if n == 1
                else AssociationRole.MEMBER
            )
            members.append((member_t.next_id(), aid, person.id, role, year.since(rng, 5)))
    assoc_t.write(rows)
    member_t.write(members)
    return ids


def write_service(tables, place, rng: random.Random, year) -> Service:
    service = Service(associations=write_associations(tables, place, rng, year))
    eligible = [p for p in place.people if 18 <= p.age <= 80]
    n_volunteers = min(len(eligible), round(VOLUNTEER_SHARE * len(place.people)))
    service.volunteers = rng.sample(eligible, n_volunteers)
    service.depositors = service.volunteers[: round(DEPOSITOR_SHARE * n_volunteers)]
    _write_volunteers(tables, place, service, rng, year)
    counts = [rng.randint(*DEPOSITOR_RECORDS) for _ in service.depositors]
    counts += [rng.choice(OTHER_RECORDS) for _ in service.volunteers[len(service.depositors) :]]
    n_activities = max(math.ceil(sum(counts) / PER_ACTIVITY), max(counts, default=0) + 5, 1)
    activities = sorted(
        (_plan_activity(place, service, rng, year) for _ in range(n_activities)), key=lambda a: a[0]
    )
    attendees = defaultdict(list)
    for person, k in zip(service.volunteers, counts, strict=True):
        for a in rng.sample(range(n_activities), k):
            attendees[a].append(person.id)
    depositor_ids = {p.id for p in service.depositors}
    service.credits = {pid: [] for pid in depositor_ids}
    _write_activities(tables, place, service, activities, attendees, depositor_ids, rng, year)
    return service


def _write_volunteers(tables, place, service, rng, year) -> None:
    t = tables(
        Volunteer,
        [
            "id",
            "resident_id",
            "community_id",
            "number",
            "five_olds",
            "emergency_name",
            "emergency_phone",
            "registered_at",
            "registered_by_id",
            "by_worker",
        ],
    )
    rows = []
    for n, person in enumerate(service.volunteers, 1):
        registered = year.at(year.since(rng, 4), rng.randrange(8, 18))
        rows.append(
            (
                t.next_id(),
                person.id,
                place.id,
                f"{place.code}V{n:05d}",
                person.five_olds,
                "",
                "",
                registered,
                place.worker,
                True,
            )
        )
    t.write(rows)
    counter_t = tables(Counter, ["id", "key", "value"])
    counter_t.write([(counter_t.next_id(), f"volunteer:{place.code}", len(rows))])


def _plan_activity(place, service, rng, year):
    day = year.day(rng)
    hour = rng.choice(START_HOURS)
    if rng.random() < 0.3:
        k = rng.randrange(len(service.associations))
        name, _kind, category, titles = ASSOCIATIONS[
            (place.index * ASSOCIATIONS_PER_COMMUNITY + k) % len(ASSOCIATIONS)
        ]
        title, minutes, where = (
            rng.choice(titles),
            rng.choice((90, 120, 150)),
            f"{place.name}活动室",
        )
        organiser = (OrganiserKind.ASSOCIATION, service.associations[k], f"{place.name}{name}")
    else:
        title, category, options, where = rng.choice(CONTENTS)
        minutes = rng.choice(options)
        organiser = (OrganiserKind.COMMUNITY, None, place.name)
    starts = year.at(day, hour, rng.choice((0, 30)))
    return (starts, minutes, title, category, where, organiser)


def _write_activities(
    tables, place, service, activities, attendees, depositor_ids, rng, year
) -> None:
    activity_t = tables(
        Activity,
        [
            "id",
            "subdistrict_id",
            "community_id",
            "organiser_kind",
            "association_id",
            "title",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "audience",
            "category",
            "signup_deadline",
            "status",
            "qr_secret",
            "created_by_id",
            "created_at",
        ],
    )
    attestation_t = tables(
        Attestation,
        ["id", "activity_id", "status", "lines", "attested_by_id", "attested_at", "decided_at"],
    )
    attendance_t = tables(
        Attendance,
        [
            "id",
            "activity_id",
            "resident_id",
            "check_in_at",
            "check_out_at",
            "check_in_source",
            "check_out_source",
            "minutes",
        ],
    )
    record_t = tables(
        ServiceRecord,
        [
            "id",
            "number",
            "resident_id",
            "community_id",
            "kind",
            "activity_id",
            "attestation_id",
            "service_date",
            "started_at",
            "ended_at",
            "minutes",
            "category",
            "content",
            "place",
            "organiser",
            "attested_by_id",
            "created_at",
        ],
    )
    acts, attests, attendance, records = [], [], [], []
    numbers = defaultdict(int)  # year -> last record number
    for a, (starts, minutes, title, category, where, organiser) in enumerate(activities):
        kind, association, organiser_name = organiser
        ends = year.later(starts, minutes)
        came = attendees.get(a, [])
        aid = activity_t.next_id()
        status = ActivityStatus.ATTESTED if came else ActivityStatus.ENDED
        acts.append(
            (
                aid,
                place.subdistrict,
                place.id,
                kind,
                association,
                title,
                where,
                starts,
                ends,
                max(30, len(came) + 5),
                Audience.VOLUNTEERS,
                category,
                year.later(starts, -120),
                status,
                f"{rng.getrandbits(128):032x}",
                place.worker,
                year.later(starts, -7 * 24 * 60),
            )
        )
        if not came:
            continue
        attested = year.later(ends, rng.randrange(30, 48 * 60))
        attestation = attestation_t.next_id()
        lines = []
        for rid in came:
            at_id = attendance_t.next_id()
            lines.append({"resident": rid, "minutes": minutes, "attendance": at_id})
            attendance.append(
                (at_id, aid, rid, starts, ends, AttendanceSource.QR, AttendanceSource.QR, minutes)
            )
            numbers[starts.year] += 1
            number = f"FW{place.code}{starts.year}{numbers[starts.year]:06d}"
            record = record_t.next_id()
            records.append(
                (
                    record,
                    number,
                    rid,
                    place.id,
                    RecordKind.ORIGINAL,
                    aid,
                    attestation,
                    starts.date(),
                    starts,
                    ends,
                    minutes,
                    category,
                    title,
                    where,
                    organiser_name,
                    place.worker,
                    attested,
                )
            )
            if rid in depositor_ids:
                service.credits[rid].append(Credit(record, number, minutes, attested, title))
        attests.append(
            (
                attestation,
                aid,
                AttestationStatus.APPROVED,
                json.dumps(lines),
                place.worker,
                attested,
                attested,
            )
        )
    activity_t.write(acts)
    attestation_t.write(attests)
    attendance_t.write(attendance)
    record_t.write(records)
    service.records = len(records)
    counter_t = tables(Counter, ["id", "key", "value"])
    counter_t.write(
        (counter_t.next_id(), f"record:{place.code}:{y}", n) for y, n in sorted(numbers.items())
    )
