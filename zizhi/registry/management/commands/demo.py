import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from zizhi.registry import demo
from zizhi.registry.models import Subdistrict


class Command(BaseCommand):
    help = (
        "Build the demo subdistrict 东湖街道 (seven communities, residents, logins) in an empty "
        "database. `--logins` prints the demo logins; `--residents 100000` builds a large one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents",
            type=int,
            default=demo.DEFAULT_RESIDENTS,
            help=f"number of residents in all (default {demo.DEFAULT_RESIDENTS})",
        )
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if a subdistrict exists"
        )
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")

    def handle(self, *args, residents, seed, if_empty, logins, **options):
        if logins:
            self.stdout.write(demo.logins_text())
            return
        if residents < demo.MIN_RESIDENTS:
            raise CommandError(_("居民人数至少为 %(n)d") % {"n": demo.MIN_RESIDENTS})
        if Subdistrict.objects.exists():
            if if_empty:
                self.stdout.write(_("数据库里已有数据，不再生成演示数据。"))
                return
            raise CommandError(
                _("数据库里已有街道数据；演示数据只能建在空数据库里（可换一个 DATABASE_URL）。")
            )
        started = time.perf_counter()
        with tqdm(
            total=residents,
            unit=_("人"),
            disable=options["verbosity"] < 1,
            file=self.stderr._out,
        ) as bar:
            counts = demo.build(residents, seed, progress=bar.update)
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "演示数据已生成：%(communities)d 个社区，%(buildings)d 栋楼，%(households)d 户，"
                "%(residents)d 名居民，%(users)d 个账号，用时 %(seconds).1f 秒。"
            )
            % {**counts, "seconds": seconds}
        )
