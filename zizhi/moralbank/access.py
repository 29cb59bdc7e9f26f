"""Who may do what in the Moral Bank.

- Staff of a community open branches, name clerks, open accounts and grant from the pool.
- A branch's clerks approve its pending entries (never one they attested themselves).
- A depositor sees their own account and spends from it (gift, donation, redemption); a
  minor's account (under 18, with a guardian named) is spent by the guardian only.
Missing and forbidden answer 404 alike on pages and the API.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zizhi.accounts.access import access_for

from .models import Branch, Clerk


def is_staff_of(user, community_id) -> bool:
    return community_id in access_for(user).community_ids


def require_staff(user, community_id) -> None:
    if user is None or not is_staff_of(user, community_id):
        raise PermissionDenied


def is_clerk(user, branch_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Clerk.objects.filter(branch_id=branch_id, user=user, ended_on__isnull=True).exists()


ADULT = 18


def may_spend(user, account) -> bool:
    """The depositor; for a minor with a guardian, the guardian instead."""
    if user is None or not user.is_authenticated or account.kind != "personal":
        return False
    resident = account.resident
    if account.guardian_id is not None and resident.age() < ADULT:
        return account.guardian.user_id == user.pk
    return resident.user_id == user.pk


def may_keep_catalogue(user, branch: Branch) -> bool:
    """A branch's clerk, or staff of its community, keep its catalogue and redemptions."""
    return is_clerk(user, branch.pk) or is_staff_of(user, branch.community_id)


def get_kept_branch(user, pk) -> Branch:
    """A branch whose desk the user keeps; 404 for missing and not-yours alike."""
    branch = Branch.objects.select_related("community").filter(pk=pk).first()
    if branch is None or not may_keep_catalogue(user, branch):
        raise Http404
    return branch


def my_resident_or_404(user):
    """The user's own registry row; 404 for a user who is not a resident."""
    from .queries import my_resident

    me = my_resident(user)
    if me is None:
        raise Http404
    return me
