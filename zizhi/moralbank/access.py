"""Who may do what in the Moral Bank.

- Staff of a community open branches, name clerks, open accounts and grant from the pool.
- A branch's clerks approve its pending entries (never one they attested themselves).
- A depositor (or a minor's guardian) sees their own account and gives from it.
Missing and forbidden answer 404 alike on pages and the API.
"""

from django.core.exceptions import PermissionDenied

from zizhi.accounts.access import access_for

from .models import Clerk


def is_staff_of(user, community_id) -> bool:
    return community_id in access_for(user).community_ids


def require_staff(user, community_id) -> None:
    if user is None or not is_staff_of(user, community_id):
        raise PermissionDenied


def is_clerk(user, branch_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Clerk.objects.filter(branch_id=branch_id, user=user, ended_on__isnull=True).exists()
