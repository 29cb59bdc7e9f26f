"""Excel import of a month's entries: validated in full, every bad row by number, idempotent;
the template; the formula-safe export."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from zizhi.audit.models import Event
from zizhi.finance import actions
from zizhi.finance.importing import HEADERS, export_xlsx, template_xlsx
from zizhi.finance.models import Entry, Period
from zizhi.finance.queries import entries_for_export


def xlsx(rows, header=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    [
        datetime.date(2026, 3, 2),
        "收入",
        "上级拨款",
        50000,
        "东湖街道",
        "一季度办公经费拨款",
        "BK-01",
    ],
    ["2026-03-05", "支出", "办公经费", "1,234.50", "文具店", "打印纸和墨盒", "FP-0001"],
    ["2026/3/9", "支出", "绿化养护", 880.8, "园林公司", "修剪树木", ""],
    [None, None, None, None, None, None, None],  # an empty row is skipped
    ["2026年3月20日", "收入", "捐赠", "200", "匿名", "绿地认领捐赠", ""],
]


@pytest.fixture
def period(world):
    return actions.do_open_period(world.hd, year=2026, month=3, actor=world.worker_a)


def run(world, period, data, name="三月.xlsx"):
    return actions.do_import_entries(period, data, name, actor=world.worker_a)


def test_a_good_file_is_imported_with_totals(world, period):
    result = run(world, period, xlsx(GOOD))
    assert (result.added, result.skipped) == (4, 0)
    period = Period.objects.get(pk=period.pk)
    assert period.income_fen == 5_000_000 + 20_000
    assert period.expense_fen == 123_450 + 88_080
    entry = Entry.objects.get(receipt_no="FP-0001")
    assert entry.amount_fen == 123450 and entry.date == datetime.date(2026, 3, 5)
    assert entry.source == "import" and entry.category.name == "办公经费"
    event = Event.objects.get(verb="finance.import_entries")
    assert event.summary["added"] == 4 and event.summary["file"] == "三月.xlsx"


def test_reimporting_the_same_file_adds_nothing(world, period):
    run(world, period, xlsx(GOOD))
    again = run(world, period, xlsx(GOOD))
    assert (again.added, again.skipped) == (0, 4)
    assert Entry.objects.count() == 4
    # a file with one more row adds only that row
    more = run(
        world, period, xlsx([*GOOD, ["2026-03-31", "支出", "活动经费", 99, "", "重阳节", ""]])
    )
    assert (more.added, more.skipped) == (1, 4)
    assert Period.objects.get(pk=period.pk).expense_fen == 123_450 + 88_080 + 9_900


def test_identical_rows_in_one_file_are_both_kept_and_not_doubled_later(world, period):
    row = ["2026-03-10", "支出", "办公经费", 10, "", "矿泉水一箱", ""]
    assert run(world, period, xlsx([row, row])).added == 2
    assert run(world, period, xlsx([row, row])).added == 0
    assert run(world, period, xlsx([row, row, row])).added == 1
    assert Entry.objects.count() == 3


def test_every_bad_row_is_reported_by_number_and_nothing_is_written(world, period):
    rows = [
        GOOD[0],  # row 2: good
        ["2026-13-01", "支出", "办公经费", 10, "", "x", ""],  # row 3: bad date
        ["2026-03-05", "借", "办公经费", 10, "", "x", ""],  # row 4: bad direction
        ["2026-03-05", "支出", "请客吃饭", 10, "", "x", ""],  # row 5: unknown category
        ["2026-03-05", "支出", "办公经费", "-10", "", "x", ""],  # row 6: negative
        ["2026-04-01", "支出", "办公经费", 10, "", "x", ""],  # row 7: other month
        ["2026-03-05", "收入", "办公经费", 10, "", "x", ""],  # row 8: expense category
        ["2026-03-05", "支出", "办公经费", 10, "", "", ""],  # row 9: no description
        ["2026-03-05", "支出", "办公经费", "12.345", "", "x", ""],  # row 10: sub-cent
    ]
    with pytest.raises(ValidationError) as exc:
        run(world, period, xlsx(rows))
    messages = exc.value.messages
    for number in range(3, 11):
        assert any(m.startswith(f"第 {number} 行") for m in messages), number
    assert not any(m.startswith("第 2 行") for m in messages)
    assert any("请客吃饭" in m and "办公经费" in m for m in messages)  # lists the valid ones
    assert Entry.objects.count() == 0
    assert not Event.objects.filter(verb="finance.import_entries").exists()


def test_file_problems(world, period):
    with pytest.raises(ValidationError, match="表头"):
        run(world, period, xlsx([["2026-03-01", "支出"]], header=["a", "b"]))
    with pytest.raises(ValidationError, match="缺少"):
        run(world, period, xlsx([], header=["日期", "金额"]))
    with pytest.raises(ValidationError, match=".xlsx"):
        run(world, period, b"a,b", name="x.csv")
    with pytest.raises(ValidationError, match="无法读取"):
        run(world, period, b"not a zip", name="x.xlsx")
    with pytest.raises(ValidationError, match="没有收支明细"):
        run(world, period, xlsx([]))


def test_import_into_a_frozen_period_is_refused(world, period):
    actions.do_submit_period(period, actor=world.worker_a)
    with pytest.raises(ValidationError, match="不能再修改"):
        run(world, period, xlsx(GOOD))
    assert Entry.objects.count() == 0


def test_the_template_has_the_headers_and_the_categories(world, period):
    book = load_workbook(io.BytesIO(template_xlsx(world.hd)))
    sheet = book["收支明细"]
    assert [c.value for c in sheet[1]] == HEADERS
    notes = "\n".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row)
    assert "绿化养护" in notes and "上级拨款" in notes


def test_the_export_is_formula_safe_and_reimportable(world, period):
    actions.do_add_entry(
        period,
        date=datetime.date(2026, 3, 3),
        direction="expense",
        category="办公经费",
        amount_fen=1050,
        description='=HYPERLINK("http://evil","点我")',
        counterparty="@SUM(A1)",
        actor=world.worker_a,
    )
    data = export_xlsx(period, entries_for_export(period))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1] == HEADERS
    assert rows[2][3] == "10.50"
    assert rows[2][5].startswith("'=") and rows[2][4] == "'@SUM(A1)"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
