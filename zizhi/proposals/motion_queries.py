"""Read side of motions for other pages (a representative's home page)."""

from django.db.models import Count, Exists, OuterRef

from zizhi.governance.access import seats_of
from zizhi.governance.models import BodyKind

from .models import Cosignature, Motion, MotionStatus


def to_sign(user, limit: int = 10) -> list[Motion]:
    """Motions of the user's assemblies that collect co-signatures and lack theirs."""
    seats = [s for s in seats_of(user) if s.kind == BodyKind.REPRESENTATIVE_ASSEMBLY]
    if not seats:
        return []
    seat_ids = [s.membership_id for s in seats]
    rows = (
        Motion.objects.filter(
            status=MotionStatus.COLLECTING, community_id__in=[s.community_id for s in seats]
        )
        .exclude(proposer_seat_id__in=seat_ids)
        .exclude(Exists(Cosignature.objects.filter(motion=OuterRef("pk"), seat_id__in=seat_ids)))
        .select_related("community")
        .annotate(signed=Count("cosignatures"))
    )
    return list(rows[:limit])
