"""Who may see and do what in governance. Memberships of bodies grant scopes on top of the
foundation's roles (accounts.access): a branch member acts for the branch of their
community, a representative votes in their assembly, a member of the subdistrict Party
working committee answers escalations of its subdistrict. Missing and forbidden are both 404.
"""

from dataclasses import dataclass

from django.db import connection
from django.http import Http404

from zizhi.accounts.access import access_for
from zizhi.registry.models import Community

from .models import Body, BodyKind, Matter, Meeting, MemberRole, Membership, Poll


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


def get_poll_for(user, pk, *, related=POLL_RELATED) -> Poll:
    """A poll the user may see: a member of its body or staff of its community. The seat is
    checked first (one query, cached for the request), so a voting member costs no role
    queries. `related`: what to fetch with it (BALLOT_RELATED for a ballot)."""
    try:
        poll = Poll.objects.select_related(*related).get(pk=pk)
    except (Poll.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    meeting = poll.item.meeting
    if seat_in(user, meeting.body_id) or is_staff_of(user, meeting.community_id):
        return poll
    raise Http404
