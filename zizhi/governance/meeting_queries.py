"""Read side of the meeting and poll pages."""

from .access import seat_in
from .models import Ballot, Membership, PollStatus, Voter
from .rules import count_base


def quorum_state(meeting) -> dict:
    """应到 / 实到 and whether the quorum is met, with the rule's words and source."""
    rule = meeting.rule
    present = meeting.attendances.count()
    expected = meeting.expected
    if expected is None:
        expected = count_base(rule.quorum_base, meeting.community, meeting.body)
    threshold = rule.quorum
    return {
        "expected": expected,
        "present": present,
        "needed": threshold.needed(expected),
        "met": threshold.met(present, expected),
        "words": threshold.words(),
        "rule": rule,
        "percent": round(100 * present / expected) if expected else 0,
        "live": meeting.status == "in_progress",
        "meeting": meeting,
    }


def meeting_page(meeting, user, staff: bool) -> dict:
    members = list(Membership.objects.active().filter(body=meeting.body).order_by("id"))
    present = {a.membership_id: a for a in meeting.attendances.all()}
    items = list(meeting.items.prefetch_related("polls").select_related("matter"))
    seat = seat_in(user, meeting.body)
    open_polls = [p for i in items for p in i.polls.all() if p.status == PollStatus.OPEN]
    voted = set()
    if seat is not None and open_polls:
        voted = set(
            Ballot.objects.filter(
                poll__in=open_polls, membership_id=seat.membership_id
            ).values_list("poll_id", flat=True)
        )
    return {
        "meeting": meeting,
        "members": [{"m": m, "attendance": present.get(m.pk)} for m in members],
        "absent": [m for m in members if m.pk not in present],
        "items": items,
        "q": quorum_state(meeting),
        "seat": seat,
        "signed_in": seat is not None and seat.membership_id in present,
        "open_polls": open_polls,
        "voted": voted,
    }


def poll_page(poll, user) -> dict:
    seat = seat_in(user, poll.item.meeting.body)
    voter = (
        seat is not None
        and Voter.objects.filter(poll=poll, membership_id=seat.membership_id).exists()
    )
    mine = (
        Ballot.objects.filter(poll=poll, membership_id=seat.membership_id).first()
        if voter
        else None
    )
    shown = poll.status == PollStatus.PUBLISHED
    return {
        "poll": poll,
        "seat": seat,
        "is_voter": voter,
        "mine": mine,
        "ballots": poll.ballots.count() if poll.status == PollStatus.OPEN else None,
        "voters": poll.voters.count(),
        "results_public": shown,
        "teller_counts": list(poll.teller_counts.select_related("teller")),
        "unvoted": Membership.objects.filter(pk__in=poll.voters.values("membership_id")).exclude(
            pk__in=poll.ballots.values("membership_id")
        ),
    }
