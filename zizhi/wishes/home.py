"""What the wishes app adds to the home pages (see zizhi/web/sections.py).

Each function returns the context of its template `wishes/_home_<kind>.html`, or None to
show nothing: `resident(user)` for a resident's home (cards), `staff(user, community)` for
the staff workbench (buttons), `member(user)` for someone who holds a seat or a desk but is
neither a resident nor staff (cards).
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from zizhi.accounts.access import access_for
from zizhi.registry.models import Community

from .models import Claim, Wish, WishStatus

DEADLINE_CLOSE = datetime.timedelta(days=2)


def _claims_due(user) -> int:
    """Live claims of the user not yet contacted whose deadline is within two days."""
    return Claim.objects.filter(
        user=user,
        lapsed_at__isnull=True,
        contacted_at__isnull=True,
        contact_due__lte=timezone.now() + DEADLINE_CLOSE,
    ).count()


def resident(user):
    access = access_for(user)
    if access.resident_id is None:
        return None
    mine = Q(wishes__beneficiary_id=access.resident_id, wishes__status=WishStatus.FULFILLED)
    code, to_confirm = (
        Community.objects.filter(pk=access.resident_community_id)
        .annotate(n=Count("wishes", filter=mine))
        .values_list("code", "n")
        .get()
    )
    return {"code": code, "to_confirm": to_confirm, "claims_due": _claims_due(user)}


def staff(user, community):
    counts = Wish.objects.filter(community=community).aggregate(
        submitted=Count("pk", filter=Q(status=WishStatus.SUBMITTED)),
        fulfilled=Count("pk", filter=Q(status=WishStatus.FULFILLED)),
    )
    return {"community": community, **counts}


def member(user):
    claims = Claim.objects.filter(user=user, lapsed_at__isnull=True).count()
    if not claims:
        return None
    return {"claims": claims, "claims_due": _claims_due(user)}
