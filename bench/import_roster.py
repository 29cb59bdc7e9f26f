"""Time a roster import: generate an N-row .xlsx, check it, import it, then import it again.

    .venv/bin/python bench/import_roster.py [--rows 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zizhi .venv/bin/python bench/import_roster.py

Without DATABASE_URL it uses a fresh SQLite file in a temp dir. With a PostgreSQL
DATABASE_URL it creates a fresh database `<name>_bench` on that server and drops it at the end
(the database named in the URL is not touched). Prints rows/s per phase, the total seconds
and the peak memory (ru_maxrss).
"""

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志海燕红梅玉淑珍凤德福永春晓文"
REGIONS = ["110105", "310104", "330106", "330102", "440304", "420106", "510107", "320102"]
POLITICAL = ["群众"] * 8 + ["中共党员", "共青团员"]
FIVE_OLDS = [""] * 30 + ["老党员", "老教师", "老工人"]
HEADER = [
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "楼栋",
    "单元",
    "门牌号",
    "政治面貌",
    "独居老人",
    "残疾",
    "低保",
    "五老",
    "地址",
    "备注",
    "网格",
]


def make_roster(path: Path, rows: int, seed: int = 2026, phone_prefix: str = "139") -> None:
    from openpyxl import Workbook

    from zizhi.registry import idnumber

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(["基准社区居民花名册"])
    sheet.append(HEADER)
    seen = set()
    start = datetime.date(1930, 1, 1).toordinal()
    span = datetime.date(2020, 12, 31).toordinal() - start
    for i in range(rows):
        while True:
            born = datetime.date.fromordinal(start + rng.randrange(span))
            value = idnumber.make(rng.choice(REGIONS), born, rng.randrange(1000))
            if value not in seen:
                seen.add(value)
                break
        building = rng.randint(1, 100)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        sheet.append(
            [
                name,
                "男" if idnumber.gender(value) == "M" else "女",
                value,
                f"{phone_prefix}{i:08d}",
                f"{building}栋",
                str(rng.randint(1, 4)),
                f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
                rng.choice(POLITICAL),
                "是" if born.year < 1950 and rng.random() < 0.2 else "",
                "是" if rng.random() < 0.02 else "",
                "是" if rng.random() < 0.03 else "",
                rng.choice(FIVE_OLDS),
                "",
                "",
                f"第{(building - 1) // 20 + 1}网格",
            ]
        )
    book.save(path)


def setup_database(tmp: Path) -> str | None:
    """Point Django at a fresh database; returns the PostgreSQL database to drop, if any."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zizhi.settings")
    os.environ["ZIZHI_DEV"] = "1"
    os.environ["ZIZHI_VAR_DIR"] = str(tmp)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        os.environ.pop("DATABASE_URL", None)
        return None
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_bench"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    return name


def drop_database(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def timed(label: str, rows: int, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:7.2f} s  {rows / seconds:9,.0f} rows/s", flush=True)
    return result, seconds


def run(rows: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zizhi.registry import actions, roster
    from zizhi.registry.models import Community, Subdistrict

    call_command("migrate", verbosity=0)
    sub = Subdistrict.objects.create(code="bench", name="基准街道")
    community = Community.objects.create(subdistrict=sub, code="BENCH", name="基准社区")
    path = Path(os.environ["ZIZHI_VAR_DIR"]) / "roster.xlsx"
    print(f"database: {connection.vendor}; rows: {rows:,}")
    timed("generate .xlsx (not counted)", rows, lambda: make_roster(path, rows))
    print(f"file size: {path.stat().st_size / 1e6:.1f} MB")
    changed = path.with_name("roster-new-phones.xlsx")
    make_roster(changed, rows, phone_prefix="137")
    total = 0.0
    attempts = [
        ("first import", path),
        ("re-import (unchanged)", path),
        ("re-import (every phone changed)", changed),
    ]
    for attempt, source in attempts:
        data = source.read_bytes()
        print(f"-- {attempt}")
        table, t_read = timed(
            "read (calamine)", rows, lambda d=data, n=source.name: roster.read(d, n)
        )
        plan, t_check = timed(
            "validate + compare", rows, lambda t=table: roster.check(community, t)
        )
        assert not plan.errors, plan.errors[:5]
        counts, t_write = timed(
            "write",
            rows,
            lambda plan=plan: actions.do_import_residents(plan, actor=None, system=True),
        )
        seconds = t_read + t_check + t_write
        total += seconds
        print(f"counts: {counts}")
        print(f"{attempt} total: {seconds:.2f} s ({rows / seconds:,.0f} rows/s)")
        print(f"peak memory so far: {peak_mb():.0f} MB")
        del table, plan
    print(f"total (all imports): {total:.2f} s; peak memory: {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zizhi-bench-") as tmp:
        dropped = setup_database(Path(tmp))
        try:
            run(args.rows)
        finally:
            if dropped:
                drop_database(dropped)


if __name__ == "__main__":
    main()
