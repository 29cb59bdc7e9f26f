"""Read-side functions of the governance app for other apps."""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import BodyKind, Membership


def party_seats(
    user, today: datetime.date | None = None
) -> tuple[tuple[str, str, int | None, int], ...]:
    """The user's current seats in Party bodies (community Party branches and subdistrict
    Party committees) as (body kind, role, community id, subdistrict id): seats with a user,
    started on or before today, not ended (ended_on empty or after today). One query; cached
    on the user object for the request when `today` is not given."""
    if user is None or not user.is_authenticated:
        return ()
    cached = getattr(user, "_zizhi_party_seats", None) if today is None else None
    if cached is not None:
        return cached
    day = today or timezone.localdate()
    seats = tuple(
        Membership.objects.filter(
            user_id=user.pk,
            body__kind__in=[BodyKind.PARTY_BRANCH, BodyKind.SUBDISTRICT_PARTY_COMMITTEE],
            started_on__lte=day,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values_list("body__kind", "role", "body__community_id", "body__subdistrict_id")
    )
    if today is None:
        user._zizhi_party_seats = seats
    return seats
