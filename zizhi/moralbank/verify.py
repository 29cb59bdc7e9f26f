"""Verifying a printed passbook: its QR code carries a signed token (account, balance, the last
posting printed, the time). Anyone who scans it sees whether the book agrees with the paper,
with the account number and a masked name, nothing more."""

from django.core import signing
from django.db.models import Max, Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from .actions.ledger import hours
from .models import Account, AccountKind, Posting

SALT = "moralbank.passbook"


def passbook_token(account: Account) -> str:
    last = Posting.objects.filter(account=account).aggregate(m=Max("id"))["m"] or 0
    return signing.dumps(
        {"a": account.pk, "b": account.balance, "p": last, "t": timezone.now().isoformat()},
        salt=SALT,
        compress=True,
    )


def masked(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1)


def verify(request, token):
    try:
        facts = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise Http404 from None
    account = (
        Account.objects.select_related("community", "resident")
        .filter(pk=facts["a"], kind=AccountKind.PERSONAL)
        .first()
    )
    if account is None:
        raise Http404
    upto = Posting.objects.filter(account=account, id__lte=facts["p"]).aggregate(s=Sum("minutes"))
    later = Posting.objects.filter(account=account, id__gt=facts["p"]).count()
    return render(
        request,
        "moralbank/verify.html",
        {
            "account": account,
            "name": masked(account.resident.name),
            "printed_balance": hours(facts["b"]),
            "printed_at": timezone.localtime(timezone.datetime.fromisoformat(facts["t"])),
            "agrees": (upto["s"] or 0) == facts["b"],
            "later": later,
        },
    )
