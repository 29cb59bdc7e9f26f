from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zizhi.audit.log import seal, verify
from zizhi.audit.models import Event


class Command(BaseCommand):
    help = (
        "Audit log tools. `zizhi audit verify` recomputes every hash chain; "
        "`zizhi audit seal` chains the events written unsealed (online ballots; run it from cron)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every chain and name the first tampered event")
        sub.add_parser("seal", help="seal the unsealed events into their chains")

    def handle(self, *args, action, **options):
        if action == "seal":
            self.stdout.write(f"OK: {seal()} events sealed")
            return
        total = Event.objects.count()
        with tqdm(
            total=total, unit="event", disable=options["verbosity"] < 1, file=self.stderr._out
        ) as bar:
            checked, problems = verify(progress=bar.update)
        if problems:
            for p in problems:
                where = f"event id {p.event_id}" if p.event_id else "no row"
                if p.seq is None:
                    self.stderr.write(f"UNSEALED chain {p.chain} ({where}): {p.reason}")
                else:
                    self.stderr.write(
                        f"TAMPERED chain {p.chain} at seq {p.seq} ({where}): {p.reason}"
                    )
            raise CommandError(f"{len(problems)} chain(s) broken; {checked} events checked")
        self.stdout.write(f"OK: {checked} events in order, every hash verified")
