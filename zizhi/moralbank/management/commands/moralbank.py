from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zizhi.moralbank.models import Account
from zizhi.moralbank.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Moral Bank tools. `zizhi moralbank reconcile` checks every account's balance against "
        "its postings, every entry against zero and the whole book against zero."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("reconcile", help="check balances against postings")

    def handle(self, *args, action, **options):
        with tqdm(
            total=Account.objects.count(),
            unit="account",
            disable=options["verbosity"] < 1,
            file=self.stderr._out,
        ) as bar:
            report = reconcile(progress=bar.update)
        for pk, cached, posted in report.mismatched:
            self.stderr.write(f"MISMATCH account {pk}: balance {cached}, postings sum {posted}")
        for pk, total in report.unbalanced:
            self.stderr.write(f"UNBALANCED entry {pk}: postings sum {total}")
        for pk in report.misplaced:
            self.stderr.write(f"MISPLACED entry {pk}: postings on an entry that is not posted")
        if report.total != 0:
            self.stderr.write(f"BOOK: the balances of all accounts sum to {report.total}, not 0")
        if not report.ok:
            raise CommandError("the book does not reconcile")
        self.stdout.write(
            f"OK: {report.accounts} accounts and {report.entries} entries reconcile; "
            "the book sums to 0"
        )
