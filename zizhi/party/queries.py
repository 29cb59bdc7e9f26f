"""Read-side functions of the party app, for its views and for other apps.

Other apps (wishes, greening, stats) ask the party app only through these functions.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from zizhi.associations.queries import service_between

from .models import (
    BranchKind,
    CareVisit,
    MemberStatus,
    PartyMember,
    PostClaim,
    QuarterlyReport,
    ReportIn,
    quarter_bounds,
)

# A retired member not visited for this many days is flagged on the care page.
VISIT_DUE_DAYS = 90
ELDERLY_AGE = 80


def is_member(user, community) -> bool:
    """Whether `user` is a Party member serving `community`: a member of its branch, or an
    in-service member reported in to it. Used by the wishes app to label a claim as a Party
    member's."""
    if user is None or not user.is_authenticated or community is None:
        return False
    community_id = getattr(community, "pk", community)
    member = (
        PartyMember.objects.filter(resident__user_id=user.pk, community_id=community_id)
        .values_list("pk", "branch")
        .first()
    )
    if member is None:
        return False
    if member[1] == BranchKind.COMMUNITY:
        return True
    return ReportIn.objects.filter(member_id=member[0], community_id=community_id).exists()


@dataclass
class Report:
    """A member's quarter: computed live; `issued` is the stored report once evaluated."""

    member: PartyMember
    quarter: str
    start: datetime.date
    end: datetime.date
    posts: list = field(default_factory=list)
    records: list = field(default_factory=list)
    minutes: int = 0
    issued: QuarterlyReport | None = None

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)


def hours_text(minutes: int) -> str:
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".")


def quarter_report(member: PartyMember, quarter: str) -> Report:
    """The member's posts claimed (up to the quarter's end, still held), service records
    of the quarter, total minutes, and the issued report if the branch has evaluated.
    Three queries. ValueError for a malformed quarter."""
    start, end = quarter_bounds(quarter)
    posts = list(
        PostClaim.objects.filter(member=member, claimed_on__lte=end)
        .select_related("post")
        .order_by("claimed_on", "id")
    )
    service = service_between([member.resident_id], start, end).get(member.resident_id, {})
    issued = QuarterlyReport.objects.filter(member=member, quarter=quarter).first()
    return Report(
        member=member,
        quarter=quarter,
        start=start,
        end=end,
        posts=posts,
        records=service.get("records", []),
        minutes=service.get("minutes", 0),
        issued=issued,
    )


def gaps(community, quarter: str) -> dict:
    """Who has not reported or served: in-service members living in the community without a
    report-in, and reported-in members with no claimed post or no service this quarter."""
    start, end = quarter_bounds(quarter)
    in_service = list(
        PartyMember.objects.filter(community=community, status=MemberStatus.IN_SERVICE)
        .select_related("resident", "organisation", "report_in")
        .order_by("resident__name_initials", "id")
    )
    not_reported = [m for m in in_service if not hasattr(m, "report_in")]
    reported = [m for m in in_service if hasattr(m, "report_in")]
    claimed = set(
        PostClaim.objects.filter(member__in=reported, claimed_on__lte=end).values_list(
            "member_id", flat=True
        )
    )
    service = service_between([m.resident_id for m in reported], start, end)
    idle = []
    for m in reported:
        minutes = service.get(m.resident_id, {}).get("minutes", 0)
        if m.pk not in claimed or minutes <= 0:
            idle.append({"member": m, "claimed": m.pk in claimed, "minutes": minutes})
    return {"not_reported": not_reported, "idle": idle, "reported": len(reported)}


def care_list(community, today: datetime.date | None = None) -> list[dict]:
    """Retired members with their flags (80+, living alone, disability, ill at the last
    visit), the last visit, and whether a visit is due (none in VISIT_DUE_DAYS days)."""
    today = today or timezone.localdate()
    members = list(
        PartyMember.objects.filter(community=community, status=MemberStatus.RETIRED)
        .select_related("resident__household__building")
        .annotate(last_visit=Max("visits__visited_on"))
        .order_by("resident__name_initials", "id")
    )
    ill = set(
        CareVisit.objects.filter(member__in=members, ill=True)
        .order_by()
        .values_list("member_id", flat=True)
    )
    rows = []
    for m in members:
        r = m.resident
        due = m.last_visit is None or (today - m.last_visit).days > VISIT_DUE_DAYS
        rows.append(
            {
                "member": m,
                "age": r.age(today),
                "elderly": r.age(today) >= ELDERLY_AGE,
                "alone": r.lives_alone_elderly,
                "disability": r.disability,
                "ill": m.pk in ill,
                "last_visit": m.last_visit,
                "due": due,
            }
        )
    rows.sort(key=lambda row: (not row["due"], row["last_visit"] or datetime.date.min))
    return rows


def birthdays(community, today: datetime.date | None = None) -> list[dict]:
    """Members whose political birthday (入党日期) falls in the current month."""
    today = today or timezone.localdate()
    members = (
        PartyMember.objects.filter(community=community, joined_on__month=today.month)
        .select_related("resident")
        .order_by("joined_on__day", "id")
    )
    rows = []
    for m in members:
        day = m.joined_on.day
        if m.joined_on.month == 2 and day == 29:
            day = 28
        rows.append(
            {
                "member": m,
                "day": datetime.date(today.year, today.month, day),
                "years": today.year - m.joined_on.year,
            }
        )
    return rows


def home_counts(member: PartyMember) -> dict:
    """For the member's home cards: reported in, posts claimed. Two small queries."""
    return {
        "reported": ReportIn.objects.filter(member=member).exists(),
        "claims": PostClaim.objects.filter(member=member).count(),
    }


ACTIVITY_DAYS = 365
ACTIVITIES_SHOWN = 20


def recent_service(member, today=None) -> dict:
    """A member's activities and service of the last year (what the branch sees on the
    member's page, a retired member's above all): {"minutes", "records" (newest first, at
    most ACTIVITIES_SHOWN), "count"}."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=ACTIVITY_DAYS)
    found = service_between([member.resident_id], start, today).get(member.resident_id)
    if found is None:
        return {"minutes": 0, "records": [], "count": 0}
    records = found["records"][::-1]
    return {
        "minutes": found["minutes"],
        "records": records[:ACTIVITIES_SHOWN],
        "count": len(records),
    }
