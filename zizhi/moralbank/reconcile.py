"""Checking the book: every account's cached balance against the sum of its postings, every
entry's postings against zero, and the whole book against zero."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from .models import Account, Entry, EntryStatus


@dataclass
class Report:
    accounts: int
    entries: int
    total: int  # the sum of every balance: 0 in a sound book
    mismatched: list  # [(account id, cached, sum of postings)]
    unbalanced: list  # [(entry id, sum)]
    misplaced: list  # [entry id]: postings on an entry that is not posted

    @property
    def ok(self) -> bool:
        return not (self.mismatched or self.unbalanced or self.misplaced) and self.total == 0


def reconcile(progress=None) -> Report:
    mismatched, total, n = [], 0, 0
    accounts = Account.objects.annotate(posted=Sum("postings__minutes")).values_list(
        "pk", "balance", "posted"
    )
    for pk, cached, posted in accounts.iterator(chunk_size=2000):
        n += 1
        total += cached
        if cached != (posted or 0):
            mismatched.append((pk, cached, posted or 0))
        if progress:
            progress(1)
    entries = Entry.objects.annotate(total=Sum("postings__minutes"), lines=Count("postings"))
    unbalanced = list(entries.filter(lines__gt=0).exclude(total=0).values_list("pk", "total"))
    misplaced = list(
        entries.filter(lines__gt=0)
        .filter(~Q(status=EntryStatus.POSTED))
        .values_list("pk", flat=True)
    )
    return Report(n, Entry.objects.count(), total, mismatched, unbalanced, misplaced)
