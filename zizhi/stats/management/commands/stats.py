from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from zizhi.stats import rollup


class Command(BaseCommand):
    help = (
        "Dashboard tools. `zizhi stats rollup` recounts the summaries of the big tables "
        "(attendance, service records, Moral Bank postings) through yesterday for every "
        "community; `--changed` only for communities changed since their summary (run it from "
        "a timer every few minutes, and nightly without it); `--days N` recounts the last N "
        "days of communities summarised before (default: everything)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("rollup", help="recount the dashboard's summaries")
        run.add_argument("--changed", action="store_true", help="only changed communities")
        run.add_argument("--days", type=int, default=None, help="recount the last N days")

    def handle(self, *args, action, changed, days, **options):
        ids = rollup.changed() if changed else None
        total = len(ids) if ids is not None else None
        if total is None:
            from zizhi.registry.models import Community

            total = Community.objects.count()
        with tqdm(total=total, unit=_("个社区"), disable=options["verbosity"] < 1,
                  file=self.stderr._out) as bar:  # fmt: skip
            done = rollup.refresh(ids, days=days, progress=bar.update)
        self.stdout.write(_("已重算 %(communities)d 个社区的汇总（%(days)d 个社区日）。") % done)
