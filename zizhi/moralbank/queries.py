"""Reading the book: a depositor's summary and passbook, a clerk's pending approvals."""

from django.db.models import F, Sum, Window

from zizhi.associations.actions.records import history

from .models import Account, AccountKind, Clerk, Entry, EntryStatus, Posting

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
    """What the home page offers: the user's own account, a clerk's approvals."""
    from zizhi.accounts.access import access_for

    resident_id = access_for(user).resident_id
    account = resident_id is not None and (
        Account.objects.filter(kind=AccountKind.PERSONAL, resident_id=resident_id).exists()
    )
    clerk = Clerk.objects.filter(user=user, ended_on__isnull=True).exists()
    return {"account": account, "clerk": clerk}
