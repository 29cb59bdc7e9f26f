"""Who may see and do what with associations, volunteers, activities and service records.

Roles:
- Staff (community workers of the community; administrators of the subdistrict, who also
  run subdistrict-wide associations) manage everything of their communities.
- An association's leader and deputies (AssociationMember with role leader/deputy) manage
  that association's members and activities, and nothing else: a role scoped to it.
- A team's leaders organise the team's activities; members of a body (governance
  memberships) organise the body's activities.
- Organisers of an activity keep its attendance and attest its hours; where the community
  asks for four eyes, a second organiser (not the attester) approves.
- Residents see associations' public pages and activities, sign up, check in, and see their
  own volunteer record, service records and certificates.
Missing and forbidden answer 404 alike.
"""

from django.http import Http404

from zizhi.accounts.access import access_for
from zizhi.registry.models import Resident

from .models import (
    Activity,
    Association,
    AssociationMember,
    TeamMember,
    TeamRole,
)
from .models.associations import MANAGING_ROLES


def is_staff_for(user, community_id: int | None, subdistrict_id: int | None) -> bool:
    """Staff of the community; for a subdistrict-wide row, an administrator of it."""
    access = access_for(user)
    if community_id is not None:
        return community_id in access.community_ids
    return subdistrict_id in access.subdistrict_ids


def managed_association_ids(user) -> frozenset[int]:
    """Associations the user leads or deputises (cached on the user for the request)."""
    cached = getattr(user, "_zizhi_led_associations", None)
    if cached is not None:
        return cached
    resident_id = access_for(user).resident_id
    ids = frozenset()
    if resident_id is not None:
        ids = frozenset(
            AssociationMember.objects.filter(
                resident_id=resident_id, left_on__isnull=True, role__in=MANAGING_ROLES
            ).values_list("association_id", flat=True)
        )
    if user is not None and user.is_authenticated:
        user._zizhi_led_associations = ids
    return ids


def led_team_ids(user) -> frozenset[int]:
    resident_id = access_for(user).resident_id
    if resident_id is None:
        return frozenset()
    return frozenset(
        TeamMember.objects.filter(
            volunteer__resident_id=resident_id, left_on__isnull=True, role=TeamRole.LEADER
        ).values_list("team_id", flat=True)
    )


def can_manage_association(user, association: Association) -> bool:
    return is_staff_for(
        user, association.community_id, association.subdistrict_id
    ) or association.pk in managed_association_ids(user)


def can_organise(user, activity: Activity) -> bool:
    """Staff of the activity's scope, or a manager of the organising association, a leader
    of the organising team, a member of the organising body."""
    if is_staff_for(user, activity.community_id, activity.subdistrict_id):
        return True
    if activity.association_id is not None:
        return activity.association_id in managed_association_ids(user)
    if activity.team_id is not None:
        return activity.team_id in led_team_ids(user)
    if activity.body_id is not None:
        from zizhi.governance.access import seat_in

        return seat_in(user, activity.body_id) is not None
    return False


def _get(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_my_resident(user):
    """The user's own registry row (with its community); 404 for a login without one."""
    resident_id = access_for(user).resident_id
    if resident_id is None:
        raise Http404
    return Resident.objects.select_related("community").get(pk=resident_id)


def get_association(pk) -> Association:
    """Any association: their pages are public."""
    return _get(Association.objects.select_related("community", "subdistrict"), pk=pk)


def get_managed_association(user, pk) -> Association:
    association = get_association(pk)
    if not can_manage_association(user, association):
        raise Http404
    return association


def get_activity(pk) -> Activity:
    """Any activity: activities are public (who may join is checked at sign-up)."""
    return _get(Activity.objects.select_related("community", "association", "team", "body"), pk=pk)


def get_organised_activity(user, pk) -> Activity:
    activity = get_activity(pk)
    if not can_organise(user, activity):
        raise Http404
    return activity


def get_participant(activity: Activity, resident_id) -> Resident:
    """A resident on the activity's list (signed up, on the waiting list, or with an
    attendance row); 404 for anyone else, so an organiser cannot name arbitrary residents."""
    from django.db.models import Q

    return _get(
        Resident.objects.filter(
            Q(signups__activity=activity, signups__status__in=["confirmed", "waiting"])
            | Q(attendance__activity=activity)
        ).distinct(),
        pk=resident_id,
    )


def find_resident(activity: Activity, key: str) -> Resident | None:
    """A resident of the activity's community (of its subdistrict for a subdistrict-wide
    activity) by exact phone number or ID number, for an organiser adding someone who came
    without signing up; None when there is no single match."""
    from zizhi.registry import crypto

    key = (key or "").strip().upper()
    if not key:
        return None
    qs = Resident.objects.filter(community__subdistrict_id=activity.subdistrict_id)
    if activity.community_id is not None:
        qs = qs.filter(community_id=activity.community_id)
    found = list(qs.filter(phone=key)[:2]) or list(
        qs.filter(id_number_hash=crypto.lookup_hash(key))[:2]
    )
    return found[0] if len(found) == 1 else None


def organised_q(user):
    """The activities the user may organise, as a filter (the same rule as can_organise)."""
    from django.db.models import Q

    from zizhi.governance.access import seats_of

    access = access_for(user)
    q = Q(community_id__in=access.community_ids) | Q(
        community__isnull=True, subdistrict_id__in=access.subdistrict_ids
    )
    q |= Q(association_id__in=managed_association_ids(user)) | Q(team_id__in=led_team_ids(user))
    body_ids = {seat.body_id for seat in seats_of(user)}
    if body_ids:
        q |= Q(body_id__in=body_ids)
    return q
