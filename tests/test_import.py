"""Roster import: reading, checking, writing, re-importing, the command, and the export."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zizhi.audit.models import Event
from zizhi.registry import actions, crypto, idnumber, roster
from zizhi.registry.models import (
    Building,
    FiveOlds,
    Household,
    ImportJob,
    ImportStatus,
    InvalidTransition,
    PoliticalStatus,
    Resident,
)
from zizhi.registry.spreadsheets import SpreadsheetError, safe_text

from . import factories as f
from .rosterfiles import HEADER, csv_bytes, good_rows, make_id, xlsx


def plan_for(community, data, filename="花名册.xlsx"):
    return roster.check(community, roster.read(data, filename))


def import_file(community, data, actor, filename="花名册.xlsx"):
    return actions.do_import_residents(plan_for(community, data, filename), actor=actor)


def resident_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "registry_resident" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


# --- a good file -------------------------------------------------------------------------


def test_good_file_is_imported_with_households_and_grid(world):
    plan = plan_for(world.hd, xlsx(good_rows()))
    assert plan.errors == []
    assert plan.counts == {"new": 3, "updated": 0, "unchanged": 0}

    counts = actions.do_import_residents(plan, actor=world.worker_a)

    assert counts == {"new": 3, "updated": 0, "unchanged": 0}
    zhang = Resident.objects.get(community=world.hd, name="张三")
    assert zhang.name_initials == "zs"
    assert zhang.gender == "M"
    assert zhang.birth_date == datetime.date(1960, 5, 17)
    assert zhang.reveal_id_number() == make_id(11)
    assert zhang.id_number_hash == crypto.lookup_hash(make_id(11))
    assert zhang.phone == "13800000001"
    assert zhang.political_status == PoliticalStatus.PARTY_MEMBER
    assert zhang.lives_alone_elderly is True
    assert (zhang.household.building.name, zhang.household.door) == ("3栋", "2单元301")
    assert zhang.household.building.grid.name == "第一网格"
    li = Resident.objects.get(community=world.hd, name="李秀英")
    assert li.household_id == zhang.household_id
    assert li.phone == "0571-88880000"
    zeng = Resident.objects.get(community=world.hd, name="曾国藩")
    assert zeng.household is None
    assert zeng.name_initials == "zgf"
    assert Household.objects.filter(community=world.hd, door="2单元301").count() == 1


def test_one_audit_event_per_import_with_counts_and_filename(world):
    before = Event.objects.count()
    import_file(world.hd, xlsx(good_rows()), world.worker_a, filename="湖东.xlsx")
    assert Event.objects.count() == before + 1
    event = Event.objects.get(verb="registry.import_residents")
    assert event.community_id == world.hd.id
    assert event.actor_id == world.worker_a.id
    assert event.summary["filename"] == "湖东.xlsx"
    assert event.summary["new"] == 3
    assert make_id(11) not in str(event.summary)


def test_optional_columns_and_values(world):
    header = [
        "姓名",
        "公民身份号码",
        "手机号",
        "楼号",
        "房号",
        "残疾",
        "低保",
        "五老",
        "地址",
        "备注",
    ]
    rows = [
        [
            "王五",
            make_id(21),
            "+86 139 0000 0000",
            "5",
            "101",
            "肢体二级",
            "是",
            "老教师",
            "湖东路1号",
            "x",
        ]
    ]
    import_file(world.hd, xlsx(rows, header=header), world.worker_a)
    r = Resident.objects.get(name="王五")
    assert r.phone == "13900000000"
    assert (r.disability, r.low_income, r.lives_alone_elderly) == (True, True, False)
    assert r.five_olds == FiveOlds.TEACHER
    assert (r.address, r.note) == ("湖东路1号", "x")
    assert str(r.household) == "5栋 101"


# --- a messy file ------------------------------------------------------------------------


def test_messy_file_title_row_blank_rows_full_width_spaces_and_lower_x(world):
    x_id = idnumber.make("110105", datetime.date(1949, 12, 31), 2)  # ends in X
    assert x_id.endswith("X")
    full_width = make_id(31).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    spaced = " ".join([make_id(32)[:6], make_id(32)[6:14], make_id(32)[14:]])
    rows = [
        [],
        ["赵  六", "男", full_width, "１３８００００００３１", "1", "", "101", "", "", ""],
        ["钱七", "女", x_id.lower(), "", "1", "", "102", "", "", ""],
        [],
        ["孙八", "", spaced, "", "1", "", "103", "", "", ""],
        ["周九", "", float(make_id(33)), "", "1", "", "104", "", "", ""],
    ]
    data = xlsx(rows, title="湖东社区居民花名册（2026年）", blank_rows_before_header=1)
    plan = plan_for(world.hd, data)

    # Title at row 2 (merged), header at row 3, data from row 4; row 4 and 7 are blank.
    assert [e["line"] for e in plan.errors] == [9]
    error = plan.errors[0]
    assert error["column"] == "身份证号"
    assert "科学计数法" in error["reason"]
    assert "*" in error["value"]
    assert plan.bad_rows == 1 and len(plan.rows) == 3
    by_line = {r.line: r for r in plan.rows}
    assert by_line[5].values["name"] == "赵六"
    assert by_line[5].id_number == make_id(31)
    assert by_line[5].values["phone"] == "13800000031"
    assert by_line[6].id_number == x_id
    assert by_line[8].id_number == make_id(32)


def test_header_found_under_its_aliases_and_with_notes(world):
    header = ["序号", "姓名（必填）", "身份证号码", "电话", "楼栋", "门牌号", "年龄"]
    rows = [[1, "张三", make_id(41), 13800000041, 2, 201, 66]]
    table = roster.read(xlsx(rows, header=header), "a.xlsx")
    assert table.ignored == ["序号", "年龄"]
    plan = roster.check(world.hd, table)
    assert plan.errors == []
    row = plan.rows[0]
    assert row.values["phone"] == "13800000041"
    assert row.household == ("2栋", "201")


# --- bad rows ----------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    dup = make_id(51)
    bad_checksum = make_id(52)[:-1] + ("0" if make_id(52)[-1] != "0" else "1")
    rows = [
        ["", "", make_id(53), "", "", "", "", "", "", ""],  # line 2: no name
        ["甲", "", bad_checksum, "", "", "", "", "", "", ""],  # 3: checksum
        ["乙", "女", make_id(55), "", "", "", "", "", "", ""],  # 4: 55 is odd -> male
        ["丙", "", make_id(56), "12345", "", "", "", "", "", ""],  # 5: phone
        ["丁", "", dup, "", "", "", "", "", "", ""],  # 6: fine
        ["戊", "", dup, "", "", "", "", "", "", ""],  # 7: duplicate of 6
        ["己", "", make_id(57), "", "7", "", "", "", "", ""],  # 8: building, no door
        ["庚", "", make_id(58), "", "", "", "", "党委", "", ""],  # 9: political status
        ["辛", "", "", "", "", "", "", "", "", ""],  # 10: no ID
    ]
    before = Resident.objects.count()
    plan = plan_for(world.hd, xlsx(rows))

    found = {(e["line"], e["column"]) for e in plan.errors}
    assert found == {
        (2, "姓名"),
        (3, "身份证号"),
        (4, "性别"),
        (5, "联系电话"),
        (7, "身份证号"),
        (8, "门牌号"),
        (9, "政治面貌"),
        (10, "身份证号"),
    }
    assert plan.bad_rows == 8
    reasons = {e["line"]: e["reason"] for e in plan.errors}
    assert "校验位" in reasons[3]
    assert "不符" in reasons[4]
    assert "第 6 行" in reasons[7]
    masked = next(e["value"] for e in plan.errors if e["line"] == 7)
    assert masked == idnumber.mask(dup)
    assert plan.counts == {}
    with pytest.raises(ValidationError):
        actions.do_import_residents(plan, actor=world.worker_a)
    assert Resident.objects.count() == before
    assert not Event.objects.filter(verb="registry.import_residents").exists()


def test_a_duplicate_is_found_even_when_its_first_row_has_another_problem(world):
    rows = [
        ["甲", "女", make_id(61), "", "", "", "", "", "", ""],  # 61 is male: gender problem
        ["乙", "", make_id(61), "", "", "", "", "", "", ""],
    ]
    plan = plan_for(world.hd, xlsx(rows))
    assert [(e["line"], e["column"]) for e in plan.errors] == [(2, "性别"), (3, "身份证号")]
    assert plan.rows == []


def test_file_level_problems_have_clear_messages():
    with pytest.raises(SpreadsheetError, match="表头"):
        roster.read(xlsx([["张三"]], header=["名字", "号码"]), "a.xlsx")
    with pytest.raises(SpreadsheetError, match="没有居民数据"):
        roster.read(xlsx([]), "a.xlsx")
    with pytest.raises(SpreadsheetError, match="损坏"):
        roster.read(b"PK\x03\x04 not really a zip", "a.xlsx")
    with pytest.raises(SpreadsheetError, match=".xls"):
        roster.read(b"\xd0\xcf\x11\xe0", "old.xls")
    with pytest.raises(SpreadsheetError, match="空"):
        roster.read(b"", "a.csv")
    with pytest.raises(SpreadsheetError, match="门牌号"):
        roster.read(xlsx([], header=["姓名", "身份证号", "楼栋"]), "a.xlsx")


# --- re-import ---------------------------------------------------------------------------


def test_reimport_changes_nothing_and_writes_no_resident_rows(world):
    data = xlsx(good_rows())
    import_file(world.hd, data, world.worker_a)
    stamps = dict(Resident.objects.values_list("id", "updated_at"))
    households = Household.objects.count()
    buildings = Building.objects.count()

    with CaptureQueriesContext(connection) as ctx:
        counts = import_file(world.hd, data, world.worker_a)

    assert counts == {"new": 0, "updated": 0, "unchanged": 3}
    assert resident_writes(ctx.captured_queries) == []
    assert dict(Resident.objects.values_list("id", "updated_at")) == stamps
    assert (Household.objects.count(), Building.objects.count()) == (households, buildings)


def test_changed_phone_updates_one_row_only(world):
    rows = good_rows()
    import_file(world.hd, xlsx(rows), world.worker_a)
    li_before = Resident.objects.get(name="李秀英").updated_at
    rows[0][3] = "13999999999"

    plan = plan_for(world.hd, xlsx(rows))
    assert plan.counts == {"new": 0, "updated": 1, "unchanged": 2}
    with CaptureQueriesContext(connection) as ctx:
        counts = actions.do_import_residents(plan, actor=world.worker_a)

    assert counts == {"new": 0, "updated": 1, "unchanged": 2}
    assert len(resident_writes(ctx.captured_queries)) == 1
    assert Resident.objects.get(name="张三").phone == "13999999999"
    assert Resident.objects.get(name="李秀英").updated_at == li_before


def test_a_column_missing_from_the_file_leaves_that_field_alone(world):
    import_file(world.hd, xlsx(good_rows()), world.worker_a)
    narrow = [[r[0], r[2]] for r in good_rows()]
    counts = import_file(world.hd, xlsx(narrow, header=["姓名", "身份证号"]), world.worker_a)
    assert counts["unchanged"] == 3
    zhang = Resident.objects.get(name="张三")
    assert zhang.political_status == PoliticalStatus.PARTY_MEMBER
    assert zhang.household is not None


def test_moving_house_and_leaving_the_household(world):
    rows = good_rows()
    import_file(world.hd, xlsx(rows), world.worker_a)
    rows[0][4:7] = ["4", "", "402"]
    rows[1][4:7] = ["", "", ""]
    counts = import_file(world.hd, xlsx(rows), world.worker_a)
    assert counts == {"new": 0, "updated": 2, "unchanged": 1}
    assert str(Resident.objects.get(name="张三").household) == "4栋 402"
    assert Resident.objects.get(name="李秀英").household is None


def test_same_person_in_another_community_is_another_resident(world):
    import_file(world.hd, xlsx(good_rows()), world.worker_a)
    counts = import_file(world.xh, xlsx(good_rows()), world.worker_b)
    assert counts["new"] == 3
    assert Resident.objects.filter(id_number_hash=crypto.lookup_hash(make_id(11))).count() == 2


# --- CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_common_encodings(world, encoding):
    counts = import_file(
        world.hd, csv_bytes(good_rows(), encoding=encoding), world.worker_a, "a.csv"
    )
    assert counts["new"] == 3
    assert Resident.objects.filter(name="李秀英", community=world.hd).exists()


def test_csv_keeps_the_excel_scientific_notation_message(world):
    rows = [["张三", "", "1.10105E+17", "", "", "", "", "", "", ""]]
    plan = plan_for(world.hd, csv_bytes(rows), "a.csv")
    assert "科学计数法" in plan.errors[0]["reason"]


# --- permission and failures -------------------------------------------------------------


def test_only_staff_of_the_community_may_import(world):
    plan = plan_for(world.hd, xlsx(good_rows()))
    for outsider in (world.worker_b, world.worker_c, world.resident_a):
        with pytest.raises(PermissionDenied):
            actions.do_import_residents(plan, actor=outsider)
    with pytest.raises(PermissionDenied):
        actions.do_import_residents(plan, actor=None)
    actions.do_import_residents(plan, actor=world.subadmin)
    assert Resident.objects.filter(community=world.hd, name="张三").exists()


def upload_job(world, rows):
    return actions.do_upload_roster(world.hd, xlsx(rows), "a.xlsx", actor=world.worker_a)


def test_failure_keeps_whole_batches_and_a_rerun_continues(world, monkeypatch):
    rows = [["居民", "", make_id(100 + i), "", "", "", "", "", "", ""] for i in range(7)]
    job = upload_job(world, rows)
    assert job.status == ImportStatus.VALIDATED
    monkeypatch.setattr(actions, "BATCH_SIZE", 3)
    real_bulk_create = Resident.objects.bulk_create
    calls = []

    def failing_second_batch(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            real_bulk_create(objs[:1], **kwargs)  # part of a batch, then a crash
            raise RuntimeError("disk full")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(Resident.objects, "bulk_create", failing_second_batch)
    with pytest.raises(RuntimeError):
        actions.do_import_residents(job, actor=world.worker_a)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "3" in job.message
    assert Resident.objects.filter(name="居民").count() == 3  # batch 1 only

    monkeypatch.setattr(Resident.objects, "bulk_create", real_bulk_create)
    counts = actions.do_import_residents(job, actor=world.worker_a)
    job.refresh_from_db()
    assert counts == {"new": 4, "updated": 0, "unchanged": 3}
    assert job.status == ImportStatus.DONE
    assert bytes(job.data) == b""
    assert Resident.objects.filter(name="居民").count() == 7
    statuses = [
        e.summary.get("status")
        for e in Event.objects.filter(verb="registry.import_residents").order_by("id")
    ]
    assert statuses == ["failed", None]


def test_upload_keeps_the_file_encrypted_and_an_invalid_file_not_at_all(world):
    job = upload_job(world, good_rows())
    assert make_id(11).encode() not in bytes(job.data)
    assert job.read_file().startswith(b"PK")
    assert job.counts == {"new": 3, "updated": 0, "unchanged": 0}
    bad = upload_job(world, [["", "", "1", "", "", "", "", "", "", ""]])
    assert bad.status == ImportStatus.INVALID
    assert bytes(bad.data) == b""
    assert bad.bad_rows == 1 and bad.errors[0]["line"] == 2


def test_job_status_moves_follow_the_table(world):
    job = upload_job(world, good_rows())
    stale = ImportJob.objects.get(pk=job.pk)
    assert job.move_to(ImportStatus.IMPORTING)
    assert not stale.move_to(ImportStatus.IMPORTING)  # a second click loses the race
    assert not job.move_to(ImportStatus.IMPORTING)  # not stalled: nobody takes over
    with pytest.raises(InvalidTransition):
        ImportJob(status=ImportStatus.INVALID).move_to(ImportStatus.IMPORTING)
    with pytest.raises(InvalidTransition):
        ImportJob(status=ImportStatus.DONE).move_to(ImportStatus.IMPORTING)


def test_a_stalled_import_can_be_taken_over(world):
    job = upload_job(world, good_rows())
    job.move_to(ImportStatus.IMPORTING)
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - datetime.timedelta(hours=1)
    )
    job.refresh_from_db()
    assert job.is_stalled
    assert actions.do_import_residents(job, actor=world.worker_a)["new"] == 3


# --- the command -------------------------------------------------------------------------


@pytest.fixture
def roster_path(tmp_path):
    def write(rows, name="花名册.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows) if name.endswith(".xlsx") else csv_bytes(rows))
        return str(path)

    return write


def test_command_dry_run_counts_and_writes_nothing(world, roster_path):
    out = io.StringIO()
    call_command(
        "import-residents",
        roster_path(good_rows()),
        community="HD",
        dry_run=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "新增 3" in out.getvalue()
    assert not Resident.objects.filter(community=world.hd, name="张三").exists()
    assert not Event.objects.filter(verb="registry.import_residents").exists()


def test_command_imports_as_system_or_as_the_actor(world, roster_path):
    out = io.StringIO()
    call_command(
        "import-residents",
        roster_path(good_rows()),
        community="HD",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "导入完成" in out.getvalue()
    assert Resident.objects.filter(community=world.hd, name="张三").exists()
    event = Event.objects.get(verb="registry.import_residents")
    assert event.actor_id is None and event.actor_label == "system"

    rows = good_rows()
    rows[0][3] = "13911112222"
    call_command(
        "import-residents",
        roster_path(rows),
        community="HD",
        actor=world.worker_a.phone,
        stdout=out,
        stderr=io.StringIO(),
    )
    latest = Event.objects.filter(verb="registry.import_residents").order_by("-id").first()
    assert latest.actor_id == world.worker_a.id
    assert latest.summary["updated"] == 1


def test_command_refuses_an_actor_from_another_community(world, roster_path):
    with pytest.raises(CommandError, match="不是该社区"):
        call_command(
            "import-residents",
            roster_path(good_rows()),
            community="HD",
            actor=world.worker_c.phone,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not Resident.objects.filter(community=world.hd, name="张三").exists()


def test_command_prints_bad_rows_and_exits_non_zero(world, roster_path, monkeypatch):
    from django.core.management import ManagementUtility, base

    rows = good_rows() + [["", "", "110105", "", "", "", "", "", "", ""]]
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 行有问题"):
        call_command(
            "import-residents",
            roster_path(rows, "bad.csv"),
            community="HD",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第 5 行 [姓名]" in err.getvalue()
    assert "第 5 行 [身份证号]" in err.getvalue()

    # run_from_argv closes the database connections at the end; keep the test's open.
    monkeypatch.setattr(base, "connections", type("Keep", (), {"close_all": lambda self: None})())
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            [
                "zizhi",
                "import-residents",
                roster_path(rows, "bad.csv"),
                "--community",
                "HD",
                "-v",
                "0",
            ]
        ).execute()
    assert exit_info.value.code == 1
    assert not Resident.objects.filter(community=world.hd, name="张三").exists()


def test_command_unknown_community_or_file(world, roster_path):
    with pytest.raises(CommandError, match="ZZ"):
        call_command("import-residents", roster_path(good_rows()), community="ZZ")
    with pytest.raises(CommandError, match="无法打开"):
        call_command("import-residents", "/nonexistent/a.xlsx", community="HD")


# --- export ------------------------------------------------------------------------------


def test_export_is_audited_masked_and_neutralises_formulas(world):
    hh = f.household(world.hd, "9栋", "901")
    evil = f.resident(
        world.hd, name='=HYPERLINK("http://x")', hh=hh, note="+1-2", address="@SUM(A1)"
    )
    plain = f.resident(world.hd, name="王大", note="-")
    f.resident(world.xh, name="西湖人")

    data = actions.do_export_roster(world.hd, actor=world.worker_a)

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "身份证号已打码" in rows[0][0]
    header = rows[1]
    assert header[:4] == ["姓名", "性别", "身份证号", "出生日期"]
    assert set(HEADER) - {"单元"} <= set(header)
    by_id = {r[header.index("身份证号")]: r for r in rows[2:]}
    row = by_id[evil.id_number_masked]
    assert row[0] == '\'=HYPERLINK("http://x")'
    assert row[header.index("备注")] == "'+1-2"
    assert row[header.index("地址")] == "'@SUM(A1)"
    assert row[header.index("楼栋")] == "9栋"
    assert by_id[plain.id_number_masked][header.index("备注")] == "'-"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    names = [r[0] for r in rows[2:]]
    assert "西湖人" not in names
    assert evil.reveal_id_number() not in str(rows)
    event = Event.objects.get(verb="registry.export_roster")
    assert event.community_id == world.hd.id and event.actor_id == world.worker_a.id
    assert event.summary["rows"] == Resident.objects.filter(community=world.hd).count()


def test_an_exported_roster_does_not_reimport_but_says_why(world):
    f.resident(world.hd, name="王大")
    data = actions.do_export_roster(world.hd, actor=world.worker_a)
    plan = plan_for(world.hd, data)
    assert plan.bad_rows == plan.total_rows > 0
    assert all("打码" in e["reason"] for e in plan.errors)


def test_export_requires_staff_of_the_community(world):
    with pytest.raises(PermissionDenied):
        actions.do_export_roster(world.hd, actor=world.worker_b)
    assert not Event.objects.filter(verb="registry.export_roster").exists()


def test_safe_text():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("\t=1") == "'\t=1"
    assert safe_text("张三") == "张三"
    assert safe_text(3.0) == "3"
    assert safe_text(None) == ""


def test_template_has_the_headers(world):
    sheet = openpyxl.load_workbook(io.BytesIO(roster.template_xlsx())).active
    assert [c.value for c in sheet[2]] == roster.HEADERS
    with pytest.raises(SpreadsheetError, match="没有居民数据"):
        roster.read(roster.template_xlsx(), "模板.xlsx")


def test_name_initials():
    assert roster.name_initials("张三") == "zs"
    assert roster.name_initials("欧阳娜娜") == "oynn"
    assert roster.name_initials("单雄信") == "sxx"
    assert roster.name_initials("阿依古丽·买买提") == "ayglmmt"
