"""Reading the book: a depositor's summary and passbook, a clerk's pending approvals."""

from django.db.models import F, Sum, Window

from zizhi.associations.actions.records import history
from zizhi.registry.models import Resident

from .models import (
    Account,
    AccountKind,
    Clerk,
    Entry,
    EntryStatus,
    Help,
    HelpStatus,
    Offer,
    Posting,
)

PASSBOOK_PAGE = 50


def summary(account: Account) -> dict:
    """Balance (credit) beside honour (attested service), which spending never lowers."""
    honour = history(account.resident)
    family = []
    resident = account.resident
    if resident.household_id is not None:
        family = list(
            resident.household.members.exclude(pk=resident.pk).order_by("id").values("id", "name")
        )
    return {
        "number": account.number,
        "balance_minutes": account.balance,
        "honour_minutes": honour["minutes"],
        "stars": honour["stars"],
        "family": family,
    }


def passbook(account: Account):
    """The account's postings, oldest first, each with the balance after it (a window sum:
    one query whatever the page)."""
    return (
        Posting.objects.filter(account=account)
        .select_related("entry")
        .annotate(
            balance_after=Window(Sum("minutes"), order_by=F("id").asc()),
        )
        .order_by("id")
    )


def pending_for(branch_ids):
    return (
        Entry.objects.filter(branch_id__in=branch_ids, status=EntryStatus.PENDING)
        .select_related("branch", "service_record__resident", "created_by")
        .order_by("id")
    )


def links(user) -> dict:
    """What the home page offers: the user's own account, neighbour help (and whether some
    waits for them to confirm), a clerk's approvals and branch desks."""
    from zizhi.accounts.access import access_for

    resident_id = access_for(user).resident_id
    account = resident_id is not None and (
        Account.objects.filter(kind=AccountKind.PERSONAL, resident_id=resident_id).exists()
    )
    branches = list(
        Clerk.objects.filter(user=user, ended_on__isnull=True)
        .order_by("branch_id")
        .values("branch_id", "branch__name")
    )
    help_waiting = resident_id is not None and (
        Help.objects.filter(neighbour_id=resident_id, status=HelpStatus.PENDING).exists()
    )
    return {
        "account": account,
        "wards": list(wards_of(user).values("pk", "resident__name")),
        "clerk": bool(branches),
        "branches": branches,
        "resident": resident_id is not None,
        "help_waiting": help_waiting,
    }


def catalogue(community_id):
    """The active offers of every branch of a community: a depositor may redeem any."""
    return (
        Offer.objects.filter(branch__community_id=community_id, active=True)
        .select_related("branch")
        .order_by("branch_id", "price_minutes", "id")
    )


def my_resident(user) -> Resident | None:
    from zizhi.accounts.access import access_for

    resident_id = access_for(user).resident_id
    if resident_id is None:
        return None
    return Resident.objects.select_related("community").get(pk=resident_id)


def wards_of(user):
    """Personal accounts of minors whose guardian is the user (a resident)."""
    from zizhi.accounts.access import access_for

    resident_id = access_for(user).resident_id
    return Account.objects.filter(
        kind=AccountKind.PERSONAL, guardian_id=resident_id if resident_id else -1
    ).select_related("community", "resident", "guardian")
