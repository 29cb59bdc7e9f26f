"""Who may see and do what with wishes.

Everyone sees published wishes under their public wording (no name, no address). The
beneficiary's identity is visible only to staff of the community, to the beneficiary, and
to the claimant after claiming. Missing and forbidden both answer 404.
"""

from django.http import Http404

from zizhi.accounts.access import access_for, get_public_community
from zizhi.associations.access import managed_association_ids
from zizhi.associations.queries import is_volunteer
from zizhi.party.queries import is_member

from .models import PUBLIC_STATUSES, Claim, ClaimKind, Wish


def is_staff_of(user, community_id: int) -> bool:
    return community_id in access_for(user).community_ids


def public_wishes(community):
    return Wish.objects.filter(community=community, status__in=PUBLIC_STATUSES)


def staff_wishes(user):
    return Wish.objects.filter(community_id__in=access_for(user).community_ids)


def my_wishes(user):
    resident_id = access_for(user).resident_id
    if resident_id is None:
        return Wish.objects.none()
    return Wish.objects.filter(beneficiary_id=resident_id)


def my_claims(user):
    if not user.is_authenticated:
        return Claim.objects.none()
    return Claim.objects.filter(user=user)


def _get(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_public_wish(code: str, pk) -> Wish:
    community = get_public_community(code)
    return _get(public_wishes(community).select_related("community"), pk=pk)


def get_wish_for_staff(user, code: str, pk) -> Wish:
    return _get(
        staff_wishes(user).select_related("community", "beneficiary"), community__code=code, pk=pk
    )


def get_staff_wish(user, pk) -> Wish:
    return _get(staff_wishes(user).select_related("community", "beneficiary"), pk=pk)


def get_my_wish(user, pk) -> Wish:
    return _get(my_wishes(user).select_related("community"), pk=pk)


def get_my_claim(user, pk) -> Claim:
    """A claim the user made (or recorded for a local unit); lapsed ones too, as history."""
    return _get(my_claims(user).select_related("wish__community", "wish__beneficiary"), pk=pk)


def get_claim_photo_for(user, pk) -> Claim:
    """The proof photo: for the claimant, the beneficiary and staff of the community."""
    access = access_for(user)
    claim = _get(Claim.objects.select_related("wish"), pk=pk)
    allowed = (
        claim.user_id == getattr(user, "pk", None)
        or claim.community_id in access.community_ids
        or (access.resident_id is not None and claim.wish.beneficiary_id == access.resident_id)
    )
    if not allowed or not claim.proof_photo:
        raise Http404
    return claim


def association_choices(user) -> list:
    """(id, name) of the associations the user leads or deputises."""
    ids = managed_association_ids(user)
    if not ids:
        return []
    model = Claim._meta.get_field("association").related_model
    return list(model.objects.filter(pk__in=ids).order_by("name").values_list("id", "name"))


def claim_kinds(user, community) -> list[str]:
    """The ways the user may claim a wish of `community` (a local unit's claim is recorded by
    a worker, since a unit has no login)."""
    if not user.is_authenticated:
        return []
    kinds = []
    if is_member(user, community):
        kinds.append(ClaimKind.PARTY_MEMBER)
    resident_id = access_for(user).resident_id
    if resident_id is not None:
        from zizhi.registry.models import Resident

        if is_volunteer(Resident(pk=resident_id)):
            kinds.append(ClaimKind.VOLUNTEER)
    if managed_association_ids(user):
        kinds.append(ClaimKind.ASSOCIATION)
    return kinds
