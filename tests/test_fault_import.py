"""Fault drill (issue 9, section 4): `zizhi import-residents` of a 10,000-row roster killed with
SIGKILL 20 times at random moments, then run to the end.

The drill runs against the committed test database (transactional_db), so the killed command,
a separate process, sees what the test made and the test sees what the command committed. Two
files hold the same 10,000 residents and differ only in the remark column (甲 / 乙); the killed
runs alternate between them, so every run has rows to write (new residents, or a changed
remark) and a kill can land in the middle of the writing. After each kill:

- no resident twice (by ID-number hash), none that is not in the file;
- the residents present are whole batches (BATCH_SIZE rows in file order), the first k of them,
  and within each batch every remark comes from one and the same run's file: no half batch;
- no grid without a building, building without a household, household without a resident
  (they are made in the batch transaction that needs them);
- a run's one audit event exists exactly when all its batches are in (a run may be killed
  after that commit, on its way out), with counts that match; the audit chain verifies.

Then one run to the end: exactly 10,000 residents, each as the file has them.
Kill moments: a seeded RNG, uniform over the writing the run has to do, counted from the moment
the command says its check passed and starts writing (reading and checking the file before that
write nothing). How long the writing takes is measured first, by two whole imports into another
community (10,000 new residents; 10,000 changed remarks), and scaled to the batches the run
finds missing or changed. PostgreSQL only: the SQLite test database is in memory, out of reach
of another process.
"""

import datetime
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from openpyxl import Workbook

from tests import factories as f
from zizhi.audit.log import verify
from zizhi.audit.models import Event
from zizhi.registry import actions, crypto, idnumber, roster
from zizhi.registry.models import Building, Grid, Household, Resident

ROWS = 10_000
KILLS = 20
ZIZHI = Path(sys.executable).parent / "zizhi"
HEADER = [
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "楼栋",
    "单元",
    "门牌号",
    "政治面貌",
    "备注",
    "网格",
]
FAMILY, GIVEN = "王李张刘陈杨黄赵吴周", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰"


def roster_rows(remark: str) -> list[list[str]]:
    """ROWS residents, three to a household, 60 households to a building, 10 buildings to a
    grid; only `remark` differs between two calls."""
    rows = []
    born = datetime.date(1940, 1, 1)
    for i in range(ROWS):
        value = idnumber.make("330106", born + datetime.timedelta(days=i), i % 1000)
        home, building = i // 3, i // 180 + 1
        name = FAMILY[i % 10] + GIVEN[i // 10 % 20] + GIVEN[i // 200 % 20]
        rows.append(
            [
                name,
                "男" if idnumber.gender(value) == "M" else "女",
                value,
                f"139{i:08d}",
                f"{building}栋",
                "1",
                f"{home % 60 // 4 + 1}0{home % 4 + 1}",
                "中共党员" if i % 7 == 0 else "群众",
                remark,
                f"第{(building - 1) // 10 + 1}网格",
            ]
        )
    return rows


def xlsx_bytes(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_xlsx(path: Path, rows) -> Path:
    path.write_bytes(xlsx_bytes(rows))
    return path


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Importer:
    """Runs the command as another process, with this process's keys and database."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "ZIZHI_VAR_DIR": str(tmp),
            "PYTHONUNBUFFERED": "1",
            "ZIZHI_BACKGROUND_JOBS": "false",
        }
        self.proc = None

    def start(self, path: Path, community: str) -> float:
        """Start an import and wait until its check is done, the moment it starts writing;
        returns the seconds that took."""
        started = time.perf_counter()
        with (self.tmp / "import.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [str(ZIZHI), "import-residents", str(path), "--community", community, "-v0"],
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        line = self.proc.stdout.readline().decode()
        assert line.startswith("检查通过"), line + self.log()
        return time.perf_counter() - started

    def wait(self, timeout=300) -> int:
        code = self.proc.wait(timeout=timeout)
        self.proc.stdout.close()
        return code

    def log(self) -> str:
        return (self.tmp / "import.log").read_text()[-3000:]

    def run(self, path: Path, community: str) -> tuple[float, float]:
        """An import to the end: (seconds to check, seconds to write)."""
        checked = self.start(path, community)
        started = time.perf_counter()
        assert self.wait() == 0, self.log()
        return checked, time.perf_counter() - started

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if self.proc is not None:
            self.proc.stdout.close()


@pytest.fixture
def importer(tmp_path):
    runner = Importer(tmp_path)
    yield runner
    runner.stop()


def check_state(community, hashes: list[str], remarks: set[str]) -> dict:
    """The invariants after a kill; returns {batch index: remark} of the batches present."""
    stored = list(
        Resident.objects.filter(community=community).values_list("id_number_hash", "note")
    )
    by_hash = dict(stored)
    assert len(by_hash) == len(stored), "a resident stored twice"
    position = {h: i for i, h in enumerate(hashes)}
    assert by_hash.keys() <= position.keys(), "a resident that is not in the file"
    present = sorted(position[h] for h in by_hash)
    whole = len(present) % actions.BATCH_SIZE == 0 or len(present) == len(hashes)
    assert whole and present == list(range(len(present))), (
        f"{len(present)} residents: not the first whole batches of the file"
    )
    batches = {}
    for start in range(0, len(present), actions.BATCH_SIZE):
        seen = {by_hash[h] for h in hashes[start : start + actions.BATCH_SIZE]}
        assert len(seen) == 1 and seen <= remarks, f"batch at row {start}: remarks {seen}"
        batches[start // actions.BATCH_SIZE] = seen.pop()
    households = Household.objects.filter(community=community)
    assert not households.filter(members=None).exists(), "a household without residents"
    buildings = Building.objects.filter(community=community)
    assert not buildings.filter(households=None).exists(), "a building without households"
    assert not Grid.objects.filter(community=community, buildings=None).exists()
    checked, problems = verify()
    assert problems == [], problems
    return batches


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the drill needs PostgreSQL: the SQLite test database is in memory",
)
def test_sigkill_during_a_10000_row_import_20_times_then_a_full_run(transactional_db, importer):
    sub = f.subdistrict("fd", "演练街道")
    community = f.community(sub, "FD", "演练社区")
    f.community(sub, "FM", "计时社区")
    tmp = importer.tmp
    files = [
        write_xlsx(tmp / "roster-a.xlsx", roster_rows("甲")),
        write_xlsx(tmp / "roster-b.xlsx", roster_rows("乙")),
    ]
    hashes = [crypto.lookup_hash(row[2]) for row in roster_rows("甲")]

    # one whole import, into another community: how long its writing takes
    # two whole imports into another community: the writing of 10,000 new residents, then
    # of 10,000 changed remarks
    checking, writing_new = importer.run(files[0], "FM")
    _checking, writing_changed = importer.run(files[1], "FM")
    batches = ROWS // actions.BATCH_SIZE
    rng = random.Random(20260909)
    cut_mid_write, outcomes, last_event = 0, [], 0
    before, events = {}, Event.objects.filter(verb="registry.import_residents", community=community)
    for kill in range(KILLS):
        path = files[kill % 2]
        remark = "甲" if kill % 2 == 0 else "乙"
        # how long this run's writing should take, from what it finds
        missing = batches - len(before)
        changing = sum(r != remark for r in before.values())
        writing = (writing_new * missing + writing_changed * changing) / batches
        moment = rng.uniform(0, max(writing, 0.2))
        importer.start(path, "FD")
        try:
            code = importer.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            importer.proc.send_signal(signal.SIGKILL)
            code = importer.wait(timeout=30)
        assert code in (0, -signal.SIGKILL), importer.log()
        after = check_state(community, hashes, {"甲", "乙"})
        written = [b for b, r in after.items() if r == remark and before.get(b) != remark]
        # a run's audit event commits once all its batches have: a run killed after that
        # commit has its event, one killed before has none (and never a "failed" one: a
        # killed process records nothing)
        recorded = list(events.filter(id__gt=last_event).order_by("id"))
        assert len(recorded) <= 1 and not events.filter(summary__status="failed").exists()
        if code == 0 or recorded:
            assert len(recorded) == 1 and set(after.values()) == {remark}, outcomes
            assert len(after) * actions.BATCH_SIZE == ROWS
            counts = recorded[0].summary
            assert counts["new"] + counts["updated"] + counts["unchanged"] == ROWS
            assert counts["new"] + counts["updated"] == len(written) * actions.BATCH_SIZE
            last_event = recorded[0].id
        elif written and len(written) < ROWS // actions.BATCH_SIZE:
            cut_mid_write += 1
        state = "done" if code == 0 else "killed, recorded" if recorded else "killed"
        outcomes.append(f"{moment:.1f}s {state} +{len(written)}")
        before = after

    # the kills spread over the import: some of them between two batches of the writing
    assert cut_mid_write >= 2, outcomes
    importer.run(files[0], "FD")
    check_state(community, hashes, {"甲"})
    residents = Resident.objects.filter(community=community).select_related("household__building")
    assert residents.count() == ROWS
    expected = {crypto.lookup_hash(row[2]): row for row in roster_rows("甲")}
    for resident in residents:
        row = expected[resident.id_number_hash]
        assert resident.reveal_id_number() == row[2]
        assert (resident.name, resident.phone, resident.note) == (row[0], row[3], row[8])
        assert resident.household.building.name == row[4]
    # the app's own comparison: the file against the database, nothing left to write
    plan = roster.check(community, roster.read(files[0].read_bytes(), files[0].name))
    assert plan.errors == [] and plan.counts == {"new": 0, "updated": 0, "unchanged": ROWS}
    last = events.get(id__gt=last_event)
    assert last.summary["new"] + last.summary["updated"] + last.summary["unchanged"] == ROWS
    print(
        f"one import: check {checking:.1f} s, write {writing_new:.1f} s (new), "
        f"{writing_changed:.1f} s (changed); runs (kill moment, batches written): {outcomes}"
    )


def test_a_batch_that_fails_leaves_no_household_of_its_own(world, monkeypatch):
    """The households a batch needs are made in its transaction: a batch that fails (here,
    as a killed process would, mid-way) leaves none behind, and a re-run makes them."""
    monkeypatch.setattr(actions, "BATCH_SIZE", 3)
    rows = [
        [
            "居民",
            "",
            idnumber.make("330106", datetime.date(1950, 1, 1), i),
            "",
            f"{i}栋",
            "1",
            "101",
            "",
            "",
            f"第{i}网格",
        ]
        for i in range(1, 8)
    ]
    data = xlsx_bytes(rows)
    homes = Household.objects.filter(community=world.hd)
    before = homes.count()
    real_bulk_create = Resident.objects.bulk_create
    calls = []

    def failing_second_batch(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(Resident.objects, "bulk_create", failing_second_batch)
    plan = roster.check(world.hd, roster.read(data, "a.xlsx"))
    with pytest.raises(RuntimeError):
        actions.do_import_residents(plan, actor=world.worker_a)
    assert Resident.objects.filter(community=world.hd, name="居民").count() == 3
    assert homes.count() == before + 3
    assert not homes.filter(members=None).exists()
    assert not Building.objects.filter(community=world.hd, households=None).exists()
    assert not Grid.objects.filter(community=world.hd, buildings=None).exists()

    monkeypatch.setattr(Resident.objects, "bulk_create", real_bulk_create)
    plan = roster.check(world.hd, roster.read(data, "a.xlsx"))
    assert actions.do_import_residents(plan, actor=world.worker_a)["new"] == 4
    assert homes.count() == before + 7
    assert not homes.filter(members=None).exists()
