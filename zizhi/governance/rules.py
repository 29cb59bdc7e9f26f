"""Choosing the rule for a body and a matter type, and counting the bases it names."""

import datetime

from django.db.models import Q
from django.utils import timezone

from zizhi.registry.models import Community, Household, Resident

from .default_rules import add_defaults
from .models import Body, CountBase, Membership, Rule


def pick_rule(body: Body, matter_type: str = "", base: str | None = None) -> Rule:
    """The most specific rule: a rule for this matter type before a rule for any matter
    (a recall keeps its two-thirds rule), then the community's charter before the defaults."""
    rules = Rule.objects.filter(body_kind=body.kind)
    if base:
        rules = rules.filter(quorum_base=base)
    candidates = list(rules.filter(Q(community__isnull=True) | Q(community_id=body.community_id)))

    def rank(rule):
        return (rule.matter_type != matter_type, rule.community_id is None, rule.id)

    candidates = [r for r in candidates if r.matter_type in ("", matter_type)]
    if not candidates and add_defaults(Rule):
        return pick_rule(body, matter_type, base)
    if not candidates:
        raise Rule.DoesNotExist(f"no rule for {body.kind}")
    return min(candidates, key=rank)


def adult_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Born on or before this date: 18 or older today (29 Feb birthdays count from 1 Mar)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - 18)
    except ValueError:  # today is 29 February
        return today.replace(year=today.year - 18, day=28)


def count_base(base: str, community: Community, body: Body | None = None) -> int:
    if base == CountBase.ADULT_RESIDENTS:
        return Resident.objects.filter(community=community, birth_date__lte=adult_cutoff()).count()
    if base == CountBase.HOUSEHOLDS:
        return Household.objects.filter(community=community).count()
    if base == CountBase.GROUP_REPRESENTATIVES:
        return (
            Membership.objects.active()
            .filter(body__community=community, group__isnull=False)
            .values("resident_id", "name")
            .distinct()
            .count()
        )
    return Membership.objects.active().filter(body=body).count()
