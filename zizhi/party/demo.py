"""Demo data of the party app (called by `zizhi demo` after the registry's and the other
apps' demos).

For every community: three or four employers' Party organisations reported in; every
resident whose registry row says Party member registered (60 and older retired, a few
mobile, the rest in service with an employer), three in four in-service members reported in,
six service posts and needs, claims by most reported-in members; care visits to retired
members over the last half year (some overdue), political birthdays this month. In HD the
branch secretary (赵志刚 13900000011) has evaluated last quarter, and 何志远 (13900000081)
is an in-service member with a login: reported in, two posts claimed, last quarter's report
issued. Hours come from the associations demo's service records. One audit event per
community."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.associations.queries import service_between
from zizhi.audit.log import record
from zizhi.registry.demo import Login
from zizhi.registry.models import Community, PoliticalStatus, Resident

from .models import (
    CareVisit,
    Grade,
    MemberStatus,
    PartyMember,
    PartyOrganisation,
    PostClaim,
    QuarterlyReport,
    ReportIn,
    ServicePost,
    quarter_bounds,
    quarter_of,
)
from .queries import quarter_report

MEMBER_LOGIN = Login("13900000081", "何志远", "在职党员 in-service Party member", "HD")
SECRETARY_PHONE = "13900000011"  # the governance demo's HD branch secretary
COMMITTEE_PHONE = "13800000201"  # the governance demo's subdistrict Party committee member

ORGS = [
    ("区税务局机关党支部", "区税务局", "周敏"),
    ("区人民医院党委", "区人民医院", "邵建新"),
    ("市第二中学党总支", "市第二中学", "汪静"),
    ("区城市管理局机关党支部", "区城市管理局", "潘宇"),
]
POSTS = [
    ("post", "楼栋长助理", "协助楼栋长收集居民意见、通知社区事项", 6),
    ("post", "周末治安巡逻", "周六或周日上午九点到十一点，小区内巡逻", 10),
    ("post", "法律咨询", "每月第一个周六下午在社区服务站坐班", 2),
    ("post", "助老陪护", "陪独居老人就医、代购生活用品", 0),
    ("need", "垃圾分类督导", "早晚投放时段在分类点引导居民", 8),
    ("need", "政策宣讲", "给老年人讲解医保、养老政策", 3),
]
VISITORS = ["党支部书记", "党支部委员", "社区网格员"]
NOTES = [
    "身体尚好，关心社区加装电梯的事",
    "腿脚不便，希望有人代取药",
    "子女在外地，平时独自生活",
    "精神很好，愿意给年轻党员讲党课",
]


def logins() -> list:
    return [MEMBER_LOGIN]


def _joined(rng, birth: datetime.date, today: datetime.date) -> datetime.date:
    year = birth.year + rng.randint(20, 32)
    day = datetime.date(min(year, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
    return max(day, datetime.date(birth.year + 18, birth.month, min(birth.day, 28)))


def _showcase(c, members, orgs, rng, today, last_q):
    """HD's in-service member with a login: the one with most service since last quarter;
    in a small demo without one, a younger member (or an adult resident) is made one."""
    candidates = [
        m
        for m in members
        if m.status == MemberStatus.IN_SERVICE and m.organisation and not m.resident.user_id
    ]
    if not candidates:
        young = [m for m in members if m.resident.age(today) < 60 and not m.resident.user_id]
        if young:
            candidates = young[:1]
        else:
            cutoff = today.replace(year=today.year - 59)
            r = (
                Resident.objects.filter(community=c, user__isnull=True, birth_date__gt=cutoff)
                .filter(birth_date__lte=today.replace(year=today.year - 22))
                .order_by("id")
                .first()
            )
            if r is None:
                return None
            r.political_status = PoliticalStatus.PARTY_MEMBER
            r.save(update_fields=["political_status"])
            candidates = [
                PartyMember(community=c, resident=r, joined_on=_joined(rng, r.birth_date, today))
            ]
            members.append(candidates[0])
        m = candidates[0]
        m.status, m.branch, m.organisation = MemberStatus.IN_SERVICE, "employer", orgs[0]
        m.employer = orgs[0].employer
    served = service_between([m.resident_id for m in candidates], quarter_bounds(last_q)[0], today)
    return max(
        candidates,
        key=lambda m: (served.get(m.resident_id, {}).get("minutes", 0), -m.resident_id),
    )


def _community(c: Community, rng, today, password_hash, secretary, recorder) -> dict:
    quarter = quarter_of(today)
    last_q = quarter_of(quarter_bounds(quarter)[0] - datetime.timedelta(days=1))
    orgs = [
        PartyOrganisation(
            community=c,
            name=name,
            employer=employer,
            contact_name=contact,
            contact_phone=f"0571-8{rng.randint(1000000, 9999999)}",
            registered_on=today - datetime.timedelta(days=rng.randint(60, 700)),
        )
        for name, employer, contact in ORGS[: 3 + (c.code == "HD")]
    ]
    PartyOrganisation.objects.bulk_create(orgs)
    residents = list(
        Resident.objects.filter(community=c, political_status=PoliticalStatus.PARTY_MEMBER)
        .exclude(party_member__isnull=False)
        .order_by("id")
    )
    members = []
    for r in residents:
        age = r.age(today)
        if age >= 60:
            status, org, employer = MemberStatus.RETIRED, None, ""
        elif rng.random() < 0.1:
            status, org, employer = MemberStatus.MOBILE, None, rng.choice(["外省务工", "外地经商"])
        else:
            org = rng.choice(orgs) if rng.random() < 0.85 else None
            status, employer = MemberStatus.IN_SERVICE, org.employer if org else "某科技公司"
        joined = _joined(rng, r.birth_date, today)
        members.append(
            PartyMember(
                community=c,
                resident=r,
                status=status,
                joined_on=joined,
                branch="employer" if status == MemberStatus.IN_SERVICE else "community",
                employer=employer,
                organisation=org,
            )
        )
    retired = [m for m in members if m.status == MemberStatus.RETIRED]
    for m in retired[:2]:  # political birthdays this month
        m.joined_on = m.joined_on.replace(month=today.month, day=min(m.joined_on.day, 28))
    showcase = _showcase(c, members, orgs, rng, today, last_q) if c.code == "HD" else None
    PartyMember.objects.bulk_create(members)
    if showcase is not None:
        r = showcase.resident
        user = User.objects.create(
            phone=MEMBER_LOGIN.phone, name=MEMBER_LOGIN.name, password=password_hash
        )
        r.user, r.phone, r.name, r.name_initials = (
            user,
            MEMBER_LOGIN.phone,
            MEMBER_LOGIN.name,
            "hzy",
        )
        r.save(update_fields=["user", "phone", "name", "name_initials"])
    in_service = [m for m in members if m.status == MemberStatus.IN_SERVICE]
    reported = [m for m in in_service if m is showcase or rng.random() < 0.75]
    ReportIn.objects.bulk_create(
        ReportIn(
            community=c,
            member=m,
            reported_on=today - datetime.timedelta(days=rng.randint(20, 400)),
            skills=rng.choice(["", "法律", "医疗护理", "水电维修", "财会", "教学"]),
            availability=rng.choice(["周末", "工作日晚上", "节假日"]),
        )
        for m in reported
    )
    posts = ServicePost.objects.bulk_create(
        ServicePost(community=c, kind=k, title=t, description=d, places=n) for k, t, d, n in POSTS
    )
    claims, taken = [], {p.pk: 0 for p in posts}
    for m in reported:
        if m is not showcase and rng.random() < 0.2:
            continue  # reported in but no post yet: the gaps page shows them
        wanted = posts[:2] if m is showcase else rng.sample(posts, rng.randint(1, 2))
        for p in wanted:
            if p.places and taken[p.pk] >= p.places:
                continue
            taken[p.pk] += 1
            claims.append(
                PostClaim(
                    community=c,
                    post=p,
                    member=m,
                    claimed_on=today - datetime.timedelta(days=rng.randint(10, 150)),
                )
            )
    PostClaim.objects.bulk_create(claims)
    visits = []
    for m in retired:
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            visits.append(
                CareVisit(
                    community=c,
                    member=m,
                    visited_on=today - datetime.timedelta(days=rng.randint(3, 180)),
                    kind=rng.choice(["visit", "visit", "condolence", "festival"]),
                    visitor=rng.choice(VISITORS),
                    ill=rng.random() < 0.15,
                    needs=rng.choice(["", "", "代取药", "上门理发", "陪同就医"]),
                    notes=rng.choice(NOTES),
                    recorded_by=recorder,
                )
            )
    if recorder is None:
        visits = []
    CareVisit.objects.bulk_create(visits)
    reports = 0
    if c.code == "HD" and secretary is not None:
        grades = [Grade.EXCELLENT, Grade.QUALIFIED, Grade.QUALIFIED, Grade.BASIC]
        for m in reported:
            figures = quarter_report(m, last_q)
            QuarterlyReport.objects.create(
                community=c,
                member=m,
                quarter=last_q,
                number=f"DY-{c.code}-{last_q}-{m.pk:05d}",
                verify_code=f"demo{c.code}{last_q}{m.pk:05d}{rng.getrandbits(40):010x}",
                minutes=figures.minutes,
                posts=[x.post.title for x in figures.posts],
                activities=[
                    {
                        "date": x["date"].isoformat(),
                        "content": x["content"],
                        "minutes": x["minutes"],
                    }
                    for x in figures.records
                ],
                grade=Grade.EXCELLENT if m is showcase else rng.choice(grades),
                comment="积极参加社区服务，群众评价好" if m is showcase else "",
                evaluated_by=secretary,
            )
            reports += 1
    counts = {
        "members": len(members),
        "reported_in": len(reported),
        "claims": len(claims),
        "visits": len(visits),
        "reports": reports,
    }
    record(recorder, "party.demo", None, community=c, after=counts)
    return counts


def build(subdistrict, password_hash) -> dict:
    rng = random.Random(2026)
    today = timezone.localdate()
    secretary = User.objects.filter(phone=SECRETARY_PHONE).first()
    committee = User.objects.filter(phone=COMMITTEE_PHONE).first()
    totals: dict[str, int] = {}
    with transaction.atomic():
        for c in subdistrict.communities.order_by("id"):
            recorder = secretary if c.code == "HD" and secretary else committee
            counts = _community(c, rng, today, password_hash, secretary, recorder)
            for key, value in counts.items():
                totals[f"party_{key}"] = totals.get(f"party_{key}", 0) + value
    return totals
