"""Read-side figures: participation (the seed's "70% of residents take part"), computed from
attendance, never typed in."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Resident

from .models import Attendance

# (label, lowest age, highest age or None)
AGE_BANDS = (
    ("0-17", 0, 17),
    ("18-34", 18, 34),
    ("35-59", 35, 59),
    ("60-69", 60, 69),
    ("70-79", 70, 79),
    ("80+", 80, None),
)


@dataclass
class Share:
    label: str
    residents: int
    took_part: int

    @property
    def percent(self) -> float:
        return round(100 * self.took_part / self.residents, 1) if self.residents else 0.0


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _band_case(today: datetime.date) -> Case:
    whens = []
    for label, low, high in AGE_BANDS:
        born_after = _years_before(today, high + 1) if high is not None else None
        born_by = _years_before(today, low)
        q = Q(birth_date__lte=born_by)
        if born_after is not None:
            q &= Q(birth_date__gt=born_after)
        whens.append(When(q, then=Value(label)))
    return Case(*whens, default=Value("?"), output_field=CharField())


def participation(community, today: datetime.date | None = None, months: int = 12) -> dict:
    """Residents of the community who attended any activity in the last `months` months,
    overall, by age band and by building. Three queries."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=round(months * 30.44)), datetime.time()
        )
    )
    attended = Attendance.objects.filter(resident=OuterRef("pk"), activity__starts_at__gte=since)
    residents = Resident.objects.filter(community=community).annotate(took=Exists(attended))
    counted = {"n": Count("id"), "part": Count("id", filter=Q(took=True))}
    total = residents.aggregate(**counted)
    bands = {
        row["band"]: row
        for row in residents.annotate(band=_band_case(today)).values("band").annotate(**counted)
    }
    by_band = [
        Share(label, bands.get(label, {}).get("n", 0), bands.get(label, {}).get("part", 0))
        for label, *_r in AGE_BANDS
    ]
    by_building = [
        Share(row["household__building__name"] or _("未登记楼栋"), row["n"], row["part"])
        for row in residents.values("household__building__name")
        .annotate(**counted)
        .order_by("household__building__name")
    ]
    return {
        "overall": Share(str(_("全体居民")), total["n"], total["part"]),
        "by_band": by_band,
        "by_building": by_building,
        "since": since.date(),
        "today": today,
    }


def honour_minutes(resident_ids) -> dict[int, int]:
    """Attested service minutes (net of corrections) per resident, for the given residents."""
    from django.db.models import Sum

    from .models import ServiceRecord

    rows = (
        ServiceRecord.objects.filter(resident_id__in=resident_ids)
        .values("resident_id")
        .annotate(total=Sum("minutes"))
    )
    return {row["resident_id"]: row["total"] or 0 for row in rows}


def community_service_minutes(community) -> int:
    from django.db.models import Sum

    from .models import ServiceRecord

    return ServiceRecord.objects.filter(community=community).aggregate(t=Sum("minutes"))["t"] or 0


def legal_association_members(community):
    """Residents who are active members of an active legal-service association (法律服务)
    serving the community: its own, or a subdistrict-wide one (community empty) of its
    subdistrict. The mediation app draws its mediators from them. One query."""
    from .models import AssociationKind, AssociationMember

    serving = Q(association__community=community) | Q(
        association__community__isnull=True,
        association__subdistrict_id=community.subdistrict_id,
    )
    member_ids = AssociationMember.objects.filter(
        serving,
        association__kind=AssociationKind.LEGAL,
        association__active=True,
        left_on__isnull=True,
    ).values("resident_id")
    return (
        Resident.objects.filter(pk__in=member_ids)
        .select_related("household__building", "user", "community")
        .order_by("name_initials", "id")
    )


def service_between(resident_ids, start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """Attested service of the given residents with a service date from `start` to `end`
    (inclusive): {resident id: {"minutes": net minutes, "records": [{"date", "content",
    "minutes", "activity"}]}}. Includes every ServiceRecord (activities, wishes fulfilled,
    neighbour help), corrections netted in the total. One query."""
    from .models import ServiceRecord

    out: dict[int, dict] = {}
    rows = (
        ServiceRecord.objects.filter(
            resident_id__in=list(resident_ids), service_date__gte=start, service_date__lte=end
        )
        .order_by("resident_id", "service_date", "id")
        .values_list("resident_id", "service_date", "content", "minutes", "activity__title")
    )
    for resident_id, day, content, minutes, activity in rows:
        entry = out.setdefault(resident_id, {"minutes": 0, "records": []})
        entry["minutes"] += minutes
        entry["records"].append(
            {"date": day, "content": content, "minutes": minutes, "activity": activity or ""}
        )
    return out


def is_volunteer(resident) -> bool:
    """Whether the resident is a registered volunteer in good standing (在册). Used by the
    wishes app to let a volunteer claim a wish. One query."""
    from .models import Volunteer, VolunteerStatus

    if resident is None:
        return False
    return Volunteer.objects.filter(resident=resident, status=VolunteerStatus.ACTIVE).exists()


def association_choices(community, member_resident_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the active associations of a community and of its subdistrict-wide ones;
    with `member_resident_id`, only those the resident currently belongs to. Used by the
    greening app (an association adopts a plot; its members log upkeep). One query."""
    from .models import Association

    qs = Association.objects.filter(active=True, subdistrict_id=community.subdistrict_id).filter(
        Q(community=community) | Q(community__isnull=True)
    )
    if member_resident_id is not None:
        qs = qs.filter(
            members__resident_id=member_resident_id, members__left_on__isnull=True
        ).distinct()
    return list(qs.order_by("name").values_list("id", "name"))
