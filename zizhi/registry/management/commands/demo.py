import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from zizhi.registry import demo
from zizhi.registry.models import City, Subdistrict

SCALES = ("standard", "city")


class Command(BaseCommand):
    help = (
        "Build the demo subdistrict 东湖街道 (seven communities, residents, logins) in an empty "
        "database. `--logins` prints the demo logins; `--residents 100000` builds a large one. "
        "`--scale city` builds a city of 1,000,000 residents and a year of activity (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents",
            type=int,
            default=None,
            help=f"number of residents in all (default {demo.DEFAULT_RESIDENTS}; "
            "for --scale city 1,000,000)",
        )
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if a subdistrict exists"
        )
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")
        parser.add_argument("--scale", choices=SCALES, default="standard")
        parser.add_argument(
            "--subdistricts", type=int, default=None, help="--scale city: subdistricts (10)"
        )
        parser.add_argument(
            "--communities",
            type=int,
            default=None,
            help="--scale city: communities per subdistrict (10)",
        )

    def handle(self, *args, residents, seed, if_empty, logins, scale, **options):
        if scale == "city":
            return self._city(residents, seed, logins or if_empty, **options)
        if options["subdistricts"] is not None or options["communities"] is not None:
            raise CommandError(_("--subdistricts 和 --communities 只用于 --scale city"))
        if residents is None:
            residents = demo.DEFAULT_RESIDENTS
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

    def _city(
        self, residents, seed, standard_only, *, subdistricts, communities, verbosity, **options
    ):
        from zizhi.stats import citydemo, rollup

        if connection.vendor != "postgresql":
            raise CommandError(
                _(
                    "城市规模的演示数据只能建在 PostgreSQL 数据库里（用 COPY 批量写入）；"
                    "请把 DATABASE_URL 设为一个空的 PostgreSQL 数据库。"
                )
            )
        if standard_only:
            raise CommandError(_("--logins 和 --if-empty 不用于 --scale city"))
        subdistricts = citydemo.SUBDISTRICTS if subdistricts is None else subdistricts
        communities = citydemo.COMMUNITIES if communities is None else communities
        residents = citydemo.RESIDENTS if residents is None else residents
        least = citydemo.MIN_RESIDENTS_PER_COMMUNITY * subdistricts * communities
        if subdistricts < 1 or communities < 1 or residents < least:
            raise CommandError(
                _("至少要有 1 个街道、每个街道 1 个社区，每个社区至少 %(n)d 名居民")
                % {"n": citydemo.MIN_RESIDENTS_PER_COMMUNITY}
            )
        if Subdistrict.objects.exists() or City.objects.exists():
            raise CommandError(
                _("数据库里已有街道数据；演示数据只能建在空数据库里（可换一个 DATABASE_URL）。")
            )
        started = time.perf_counter()
        with tqdm(
            total=residents, unit=_("人"), disable=verbosity < 1, file=self.stderr._out
        ) as bar:
            counts, logins = citydemo.build(
                subdistricts, communities, residents, seed, progress=bar.update
            )
        # the dashboard's summaries of the year just written (zizhi/stats/rollup.py)
        with tqdm(
            total=subdistricts * communities,
            unit=_("个社区"),
            disable=verbosity < 1,
            file=self.stderr._out,
        ) as bar:
            rollup.refresh(progress=bar.update)
        seconds = time.perf_counter() - started
        self.stdout.write(citydemo.summary(counts, logins, seconds))
