"""The monthly report as an .xlsx workbook, the way subdistrict offices file it upward: a
summary sheet with the communities side by side (and their total), then one sheet per
community with its figures, its last 12 months and its volunteers by age.

Numbers are written as numbers; every text cell is formula-safe (a leading ' before
= + - @), since community and association names come from users."""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from zizhi.registry.spreadsheets import safe_text

from . import definitions
from .dashboard import Dashboard, Row

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _cell_value(value):
    if isinstance(value, str):
        return safe_text(value)
    return value


def _put(sheet, row: int, col: int, value, *, font=None, number_format=None, box=True):
    cell = sheet.cell(row=row, column=col, value=_cell_value(value))
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    if box:
        cell.border = BOX
    return cell


YUAN = ("green_raised", "green_used")


def _format(figure, value) -> str:
    if figure.key in YUAN:
        return "0.00"
    return "0.0" if isinstance(value, float) else "0"


def _unit_text(figure) -> str:
    return "%" if figure.is_rate else str(figure.unit)


def _sheet_title(book: Workbook, name: str) -> str:
    base = BAD_SHEET_CHARS.sub("_", name).strip("'") or "sheet"
    title, n = base[:31], 2
    while title in book.sheetnames:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def _page_setup(sheet, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _head(sheet, heading: str, note: str, width: int) -> None:
    _put(sheet, 1, 1, heading, font=TITLE, box=False)
    _put(sheet, 2, 1, note, box=False)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.cell(row=2, column=1).alignment = Alignment(wrap_text=False)


def new_book(board: Dashboard, heading: str, note: str) -> Workbook:
    """The workbook with its summary sheet: one row per figure, one column per community
    (and the total when there are several)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(book, _("汇总"))
    rows = list(board.rows)
    columns = rows + ([board.total] if len(rows) > 1 else [])
    _head(sheet, heading, note, 3 + len(columns))
    header = [_("板块"), _("指标"), _("单位")]
    header += [row.unit.name for row in rows] + ([_("合计")] if len(rows) > 1 else [])
    for col, label in enumerate(header, start=1):
        _put(sheet, 4, col, label, font=BOLD)
    line = 5
    for _key, section, figures in definitions.sections():
        for figure in figures:
            _put(sheet, line, 1, str(section))
            _put(sheet, line, 2, str(figure.label))
            _put(sheet, line, 3, _unit_text(figure))
            for col, row in enumerate(columns, start=4):
                value = row.values[figure.key]
                _put(sheet, line, col, value, number_format=_format(figure, value))
            line += 1
    widths = [14, 20, 8] + [max(10, 2 * len(str(h)) + 2) for h in header[3:]]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "D5"
    _page_setup(sheet, landscape=len(columns) > 4)
    return book


def add_unit_sheet(book: Workbook, row: Row, trend: list[dict], pyramid: dict, heading: str):
    """One community's sheet: its figures, its 12 months, its volunteers by age band."""
    sheet = book.create_sheet(_sheet_title(book, row.unit.name))
    _head(sheet, heading, row.unit.name, 5)
    for col, label in enumerate([_("板块"), _("指标"), _("数值"), _("单位")], start=1):
        _put(sheet, 3, col, label, font=BOLD)
    line = 4
    for _key, section, figures in definitions.sections():
        for figure in figures:
            _put(sheet, line, 1, str(section))
            _put(sheet, line, 2, str(figure.label))
            value = row.values[figure.key]
            _put(sheet, line, 3, value, number_format=_format(figure, value))
            _put(sheet, line, 4, _unit_text(figure))
            line += 1

    line += 1
    _put(sheet, line, 1, _("近12个月"), font=BOLD, box=False)
    line += 1
    header = [
        _("月份"),
        _("参加活动的居民"),
        _("志愿服务（小时）"),
        _("存入（小时）"),
        _("建议（件）"),
    ]
    for col, label in enumerate(header, start=1):
        _put(sheet, line, col, label, font=BOLD)
    for month in trend:
        line += 1
        _put(sheet, line, 1, month["month"].strftime("%Y-%m"))
        _put(sheet, line, 2, month["participants"], number_format="0")
        _put(sheet, line, 3, round(month["service_minutes"] / 60, 1), number_format="0.0")
        _put(sheet, line, 4, round(month["credit_issued"] / 60, 1), number_format="0.0")
        _put(sheet, line, 5, month["suggestions"], number_format="0")

    line += 2
    _put(sheet, line, 1, _("志愿者年龄结构"), font=BOLD, box=False)
    line += 1
    for col, label in enumerate([_("年龄"), _("男"), _("女")], start=1):
        _put(sheet, line, col, label, font=BOLD)
    for band, counts in pyramid.items():
        line += 1
        _put(sheet, line, 1, band)
        _put(sheet, line, 2, counts.get("M", 0), number_format="0")
        _put(sheet, line, 3, counts.get("F", 0), number_format="0")

    for i, width in enumerate([14, 22, 16, 14, 12], start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    _page_setup(sheet, landscape=False)
    return sheet


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
