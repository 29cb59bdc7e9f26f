"""Reading a month's entries from .xlsx, the blank template, and the export.

Columns (header row, in any order): 日期, 收支, 类别, 金额, 对方, 摘要, 票据号. Every row is
checked; problems are reported by Excel row number, all at once, before anything is written.
"""

import datetime
import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zizhi.registry.spreadsheets import (
    SpreadsheetError,
    cell_text,
    read_sheets,
    safe_text,
    write_xlsx,
)

from .models import Category, Direction, Period
from .money import parse_yuan, plain_yuan

HEADERS = ["日期", "收支", "类别", "金额", "对方", "摘要", "票据号"]
REQUIRED = ("日期", "收支", "类别", "金额", "摘要")
MAX_ROWS = 5000
MAX_ERRORS = 200
DIRECTIONS = {
    "收入": Direction.INCOME,
    "收": Direction.INCOME,
    "income": Direction.INCOME,
    "支出": Direction.EXPENSE,
    "支": Direction.EXPENSE,
    "expense": Direction.EXPENSE,
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).strip()
    match = _DATE.match(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValidationError(_("日期“%(v)s”看不懂，请写成 2026-03-05") % {"v": text[:20]})


def _header_row(rows) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:5]):
        names = [cell_text(c).strip() for c in row]
        if "日期" in names and "金额" in names:
            return index, {name: names.index(name) for name in HEADERS if name in names}
    raise ValidationError(
        _("没有找到表头。第一行应为：%(h)s（请使用下载的模板）") % {"h": "、".join(HEADERS)}
    )


def read_entries(period: Period, data: bytes, filename: str) -> list[dict]:
    """The checked fields of every row, or a ValidationError listing every bad row."""
    from .actions import clean_entry

    if not (filename or "").lower().strip().endswith(".xlsx"):
        raise ValidationError(_("请上传 .xlsx 文件（可先下载模板）"))
    try:
        sheets = read_sheets(data, filename)
    except SpreadsheetError as exc:
        raise ValidationError(str(exc)) from exc
    rows = sheets[0][1] if sheets else []
    start, columns = _header_row(rows)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ValidationError(_("表头缺少这些列：%(m)s") % {"m": "、".join(missing)})
    categories = {
        (c.direction, c.name): c for c in Category.objects.filter(community=period.community_id)
    }
    out, errors = [], []
    body = rows[start + 1 :]
    if len([r for r in body if any(cell_text(c).strip() for c in r)]) > MAX_ROWS:
        raise ValidationError(_("一次最多导入 %(n)d 行，请分成几个文件") % {"n": MAX_ROWS})
    for offset, row in enumerate(body):
        number = start + offset + 2  # Excel's row number

        def cell(name, row=row):
            i = columns.get(name)
            return row[i] if i is not None and i < len(row) else None

        if not any(cell_text(c).strip() for c in row):
            continue
        problems = []
        try:
            date = parse_date(cell("日期"))
        except ValidationError as exc:
            problems.extend(exc.messages)
            date = None
        direction_text = cell_text(cell("收支")).strip()
        direction = DIRECTIONS.get(direction_text.lower())
        if direction is None:
            problems.append(_("收支应填“收入”或“支出”"))
        name = cell_text(cell("类别")).strip()
        category = categories.get((direction, name))
        if direction is not None and category is None:
            names = "、".join(n for d, n in categories if d == direction)
            problems.append(
                _("类别“%(c)s”不是本社区的%(d)s类别（可用：%(n)s）")
                % {"c": name, "d": Direction(direction).label, "n": names}
            )
        try:
            amount = parse_yuan(cell("金额"))
        except ValidationError as exc:
            problems.extend(exc.messages)
            amount = None
        if not problems:
            try:
                out.append(
                    clean_entry(
                        period,
                        date=date,
                        direction=direction,
                        category=category,
                        amount_fen=amount,
                        counterparty=cell_text(cell("对方")),
                        description=cell_text(cell("摘要")),
                        receipt_no=cell_text(cell("票据号")),
                    )
                )
            except ValidationError as exc:
                problems.extend(exc.messages)
        for problem in problems:
            errors.append(_("第 %(n)d 行：%(p)s") % {"n": number, "p": problem})
        if len(errors) >= MAX_ERRORS:
            errors.append(_("错误太多，只显示前 %(n)d 条") % {"n": MAX_ERRORS})
            break
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError(_("文件里没有收支明细行"))
    return out


def template_xlsx(community) -> bytes:
    """A blank sheet with the headers and a second sheet listing the community's categories."""
    book = Workbook()
    sheet = book.active
    sheet.title = "收支明细"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (12, 8, 14, 12, 20, 36, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in range(2, 1002):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=7).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append([_("每行一笔收支。日期写成 2026-03-05；收支填“收入”或“支出”；金额单位为元。")])
    notes.append([_("同一个文件重复导入，已导入的行不会重复记账。")])
    notes.append([])
    notes.append([_("收支"), _("可用类别")])
    for direction in Direction:
        names = Category.objects.filter(community=community, direction=direction).values_list(
            "name", flat=True
        )
        notes.append([str(direction.label), safe_text("、".join(names))])
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_xlsx(period: Period, entries) -> bytes:
    """The period's entries with the import's columns; every cell formula-safe."""
    rows = [
        [
            e.date.isoformat(),
            e.get_direction_display(),
            e.category.name,
            plain_yuan(e.amount_fen),
            e.counterparty,
            e.description,
            e.receipt_no,
        ]
        for e in entries
    ]
    note = _("%(c)s%(p)s收支明细（期初 %(o)s 元，收入 %(i)s 元，支出 %(x)s 元，期末 %(b)s 元）") % {
        "c": period.community.name,
        "p": period.label,
        "o": plain_yuan(period.opening_fen),
        "i": plain_yuan(period.income_fen),
        "x": plain_yuan(period.expense_fen),
        "b": plain_yuan(period.closing_fen),
    }
    return write_xlsx("收支明细", HEADERS, rows, note=note, widths=[12, 8, 14, 12, 20, 36, 14])
