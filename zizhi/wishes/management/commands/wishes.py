from django.core.management.base import BaseCommand

from zizhi.wishes.actions import sweep


class Command(BaseCommand):
    help = (
        "Wishes (微心愿) tools. `zizhi wishes sweep` lapses claims whose 7 days to contact the "
        "beneficiary have passed (the wish goes back on the wall) and rolls over wishes left "
        "unclaimed from an earlier month (shown first). Idempotent; run it daily."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="lapse overdue claims and roll over unclaimed wishes")

    def handle(self, *args, action, **options):
        done = sweep()
        for pk in done["lapsed"]:
            self.stdout.write(
                f"LAPSED claim of wish {pk}: no contact within 7 days, published again"
            )
        for pk in done["rolled"]:
            self.stdout.write(f"ROLLED OVER wish {pk}: unclaimed last month, shown first")
        self.stdout.write(
            f"OK: {len(done['lapsed'])} claims lapsed, {len(done['rolled'])} wishes rolled over"
        )
