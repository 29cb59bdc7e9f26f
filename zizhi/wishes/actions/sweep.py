"""The sweep (`zizhi wishes sweep`): claims without contact after 7 days lapse and the wish
goes back on the wall; wishes still unclaimed from an earlier month roll over with a higher
priority (shown first). Idempotent: running it twice changes nothing the second time."""

import datetime

from django.db import transaction
from django.utils import timezone

from zizhi.audit.log import record

from ..models import Claim, Wish, WishStatus, check_move


def month_start(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def do_lapse_claim(claim: Claim, *, now=None, actor=None) -> bool:
    """The claimant did not contact the beneficiary in time: the claim is kept as history and
    the wish is published again. False if there was nothing to do."""
    now = now or timezone.now()
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.lapsed_at is not None or claim.contacted_at is not None or claim.contact_due > now:
            return False
        wish = Wish.objects.select_for_update().select_related("community").get(pk=claim.wish_id)
        check_move(wish.status, WishStatus.PUBLISHED)
        claim.lapsed_at = now
        claim.save(update_fields=["lapsed_at"])
        wish.status = WishStatus.PUBLISHED
        wish.save(update_fields=["status"])
        record(
            actor,
            "wishes.lapse_claim",
            wish,
            community=wish.community,
            before={"status": WishStatus.CLAIMED, "claim": claim.pk},
            after={"status": wish.status, "contact_due": claim.contact_due.isoformat()},
        )
    return True


def _due_for_roll_over(wish: Wish, now) -> bool:
    since = wish.rolled_over_at or wish.published_at
    return wish.status == WishStatus.PUBLISHED and since is not None and since < month_start(now)


def do_roll_over_wish(wish: Wish, *, now=None, actor=None) -> bool:
    """Unclaimed at the end of its month: one more roll-over, so it is shown first."""
    now = now or timezone.now()
    with transaction.atomic():
        wish = Wish.objects.select_for_update().select_related("community").get(pk=wish.pk)
        if not _due_for_roll_over(wish, now):
            return False
        before = wish.rolled_over_times
        wish.rolled_over_times += 1
        wish.rolled_over_at = now
        wish.save(update_fields=["rolled_over_times", "rolled_over_at"])
        record(
            actor,
            "wishes.roll_over",
            wish,
            community=wish.community,
            before={"rolled_over_times": before},
            after={"rolled_over_times": wish.rolled_over_times},
        )
    return True


def sweep(now=None) -> dict:
    """Lapse overdue claims, then roll over last month's unclaimed wishes. Returns the ids."""
    now = now or timezone.now()
    lapsed, rolled = [], []
    overdue = Claim.objects.filter(
        lapsed_at__isnull=True, contacted_at__isnull=True, contact_due__lte=now
    )
    for claim in overdue.order_by("pk"):
        if do_lapse_claim(claim, now=now):
            lapsed.append(claim.wish_id)
    start = month_start(now)
    candidates = Wish.objects.filter(status=WishStatus.PUBLISHED, published_at__lt=start)
    for wish in candidates.order_by("pk"):
        if do_roll_over_wish(wish, now=now):
            rolled.append(wish.pk)
    return {"lapsed": lapsed, "rolled": rolled}
