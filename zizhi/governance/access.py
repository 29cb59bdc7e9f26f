"""Who may see and do what in governance. Memberships of bodies grant scopes on top of the
foundation's roles (accounts.access): a branch member acts for the branch of their
community, a representative votes in their assembly, a member of the subdistrict Party
working committee answers escalations of its subdistrict. Missing and forbidden are both 404.
"""

import functools
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import Http404

from zizhi.accounts import rows
from zizhi.accounts.access import access_for
from zizhi.registry.models import Community

from .models import AgendaItem, Body, BodyKind, Matter, Meeting, MemberRole, Membership, Poll


@dataclass(frozen=True)
class Seat:
    membership_id: int
    body_id: int
    kind: str
    role: str
    community_id: int | None
    subdistrict_id: int


# The active memberships (Membership.objects.active()) of a user with their body, in the
# model's order (body_id, id).
_SEATS_SQL = (
    "SELECT m.id, m.body_id, b.kind, m.role, b.community_id, b.subdistrict_id "
    f"FROM {Membership._meta.db_table} m JOIN {Body._meta.db_table} b ON b.id = m.body_id "
    "WHERE m.user_id = %s AND m.ended_on IS NULL ORDER BY m.body_id, m.id"
)


def seats_of(user) -> tuple[Seat, ...]:
    """The user's active memberships (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return ()
    cached = getattr(user, "_zizhi_seats", None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:  # every request of a member: plain SQL, no ORM
        cursor.execute(_SEATS_SQL, [user.pk])
        rows = cursor.fetchall()
    seats = tuple(Seat(*row) for row in rows)
    user._zizhi_seats = seats
    return seats


def is_staff_of(user, community_id) -> bool:
    return community_id in access_for(user).community_ids


def seat_in(user, body: Body | int) -> Seat | None:
    """The user's seat in the body (a Body or its id), or None."""
    body_id = body if isinstance(body, int) else body.pk
    return next((s for s in seats_of(user) if s.body_id == body_id), None)


def is_branch_member(user, community_id) -> bool:
    return any(
        s.kind == BodyKind.PARTY_BRANCH and s.community_id == community_id for s in seats_of(user)
    )


def is_branch_secretary(user, community_id) -> bool:
    return any(
        s.kind == BodyKind.PARTY_BRANCH
        and s.community_id == community_id
        and s.role in (MemberRole.SECRETARY, MemberRole.DEPUTY_SECRETARY)
        for s in seats_of(user)
    )


def is_committee_member(user, subdistrict_id) -> bool:
    return any(
        s.kind == BodyKind.SUBDISTRICT_PARTY_COMMITTEE and s.subdistrict_id == subdistrict_id
        for s in seats_of(user)
    )


def is_member_in(user, community: Community) -> bool:
    """Any seat in a body of the community (branch member, representative, committee ...)."""
    return any(s.community_id == community.pk for s in seats_of(user))


def can_see_governance(user, community: Community) -> bool:
    return (
        is_staff_of(user, community.pk)
        or is_member_in(user, community)
        or is_committee_member(user, community.subdistrict_id)
    )


def require_governance_community(user, code: str) -> Community:
    try:
        community = Community.objects.select_related("subdistrict").get(code=code)
    except Community.DoesNotExist as exc:
        raise Http404 from exc
    if not can_see_governance(user, community):
        raise Http404
    return community


def require_staff_community(user, code: str) -> Community:
    community = require_governance_community(user, code)
    if not is_staff_of(user, community.pk):
        raise Http404
    return community


def get_matter_for(user, community: Community, pk) -> Matter:
    try:
        return Matter.objects.select_related("community__subdistrict").get(
            pk=pk, community=community
        )
    except (Matter.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_meeting_for(user, community: Community, pk) -> Meeting:
    try:
        meeting = Meeting.objects.select_related("body", "rule", "community").get(
            pk=pk, community=community
        )
    except (Meeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if is_staff_of(user, community.pk) or seat_in(user, meeting.body):
        return meeting
    if is_committee_member(user, community.subdistrict_id):
        return meeting
    raise Http404


POLL_RELATED = ("item__meeting__body", "item__meeting__community", "rule")
# What a ballot needs (do_cast_ballot, the audit event): the body is known by its id.
BALLOT_RELATED = ("item__meeting__community",)


@functools.cache
def _ballot_poll_sql() -> str:
    """The poll with its item, meeting and community, and whether the user has a seat in the
    meeting's body: BALLOT_RELATED in one plain query (see accounts.rows)."""
    return (
        f"SELECT {rows.columns(Poll, 'p')}, {rows.columns(AgendaItem, 'i')}, "
        f"{rows.columns(Meeting, 'mt')}, {rows.columns(Community, 'c')}, "
        f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} s WHERE s.body_id = mt.body_id "
        "AND s.user_id = %s AND s.ended_on IS NULL) "
        f"FROM {Poll._meta.db_table} p "
        f"JOIN {AgendaItem._meta.db_table} i ON i.id = p.item_id "
        f"JOIN {Meeting._meta.db_table} mt ON mt.id = i.meeting_id "
        f"LEFT JOIN {Community._meta.db_table} c ON c.id = mt.community_id "
        "WHERE p.id = %s"
    )


def _ballot_poll(user, pk: int) -> tuple[Poll, bool] | None:
    row = rows.fetchone(_ballot_poll_sql(), [getattr(user, "pk", None), pk])
    if row is None:
        return None
    parts = []
    for model, alias in ((Poll, "p"), (AgendaItem, "i"), (Meeting, "mt"), (Community, "c")):
        n = rows.width(model)
        parts.append(rows.load(model, row[:n], alias))
        row = row[n:]
    poll, item, meeting, community = parts
    meeting.community = community
    item.meeting = meeting
    poll.item = item
    return poll, bool(row[0])


def get_poll_for(user, pk, *, related=POLL_RELATED) -> Poll:
    """A poll the user may see: a member of its body or staff of its community. Whether the
    user holds a seat in the poll's body comes with the poll (or from the seats cached for
    the request), so a voting member costs no role queries. `related`: what to fetch with it
    (BALLOT_RELATED for a ballot: one plain query, the hottest path of all)."""
    seats_known = getattr(user, "_zizhi_seats", None) is not None
    if related == BALLOT_RELATED and isinstance(pk, int) and not seats_known:
        found = _ballot_poll(user, pk)
        if found is None:
            raise Http404
        poll, member = found
    else:
        polls = Poll.objects.select_related(*related)
        if user is not None and user.is_authenticated and not seats_known:
            seat = Membership.objects.active().filter(
                body_id=OuterRef("item__meeting__body_id"), user_id=user.pk
            )
            polls = polls.annotate(user_has_seat=Exists(seat))
        try:
            poll = polls.get(pk=pk)
        except (Poll.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        member = getattr(poll, "user_has_seat", None)
        if member is None:
            member = seat_in(user, poll.item.meeting.body_id) is not None
    meeting = poll.item.meeting
    if member or is_staff_of(user, meeting.community_id):
        return poll
    raise Http404


class BallotPolls:
    """A worker process's short memory of the polls it has taken ballots for (the poll with
    its item, meeting and community, as get_poll_for loaded them), so the usual ballot costs
    no query for its poll. Only what never changes once a poll exists is used from it (mode,
    kind, secrecy, its meeting's community), never the status, and the ballot's statement
    checks those facts again (actions.polls._INSERT_IF_VOTER): a stale entry inserts
    nothing, and the caller then forgets it and asks again with get_poll_for, which also
    gives the 404 of someone who may not see the poll."""

    TTL = 300.0  # seconds
    SIZE = 2000

    def __init__(self):
        self._polls: dict[int, tuple[float, Poll]] = {}

    def get(self, pk: int) -> Poll | None:
        hit = self._polls.get(pk)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def remember(self, poll: Poll) -> None:
        if len(self._polls) >= self.SIZE:
            self._polls.clear()
        self._polls[poll.pk] = (time.monotonic() + self.TTL, poll)

    def forget(self, pk: int) -> None:
        self._polls.pop(pk, None)

    def forget_all(self) -> None:
        self._polls.clear()


ballot_polls = BallotPolls()
