"""Reading rows from uploaded .xlsx / .csv files and writing .xlsx files safely.

Reading knows nothing about rosters: it turns a file into sheets of rows of Python values
(str, float, bool, date). Every problem with the file itself is a SpreadsheetError with a
message for the worker.
"""

import csv
import datetime
import io

import python_calamine
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zizhi.web import uploads

# A roster of a million rows unzips to about 400 MB; anything past this is a zip bomb.
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
# What a spreadsheet program may run as a formula (OWASP "CSV injection"), the full-width
# forms included (an input method may type them, and some Excel versions accept them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


class SpreadsheetError(ValueError):
    """The file cannot be read; the message says why, in the worker's words."""


def kind_of(filename: str) -> str:
    name = (filename or "").lower().strip()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xls"):
        raise SpreadsheetError(_("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 后再上传"))
    raise SpreadsheetError(_("只能上传 .xlsx 或 .csv 文件"))


def read_sheets(data: bytes, filename: str) -> list[tuple[str, list[list]]]:
    """[(sheet name, rows)] with row 0 being the file's first row (Excel row 1)."""
    if not data:
        raise SpreadsheetError(_("文件是空的"))
    if kind_of(filename) == "csv":
        return [("csv", _read_csv(data))]
    return _read_xlsx(data)


def _read_xlsx(data: bytes) -> list[tuple[str, list[list]]]:
    buffer = io.BytesIO(data)
    broken = SpreadsheetError(
        _("无法读取这个 Excel 文件：文件可能已损坏、设置了密码，或不是真正的 .xlsx 文件")
    )
    # Before calamine sees it: the zip's members inflated and counted (a zip bomb stops here).
    try:
        uploads.check_spreadsheet_bytes(data, what=_("表格"), max_total=MAX_UNZIPPED_BYTES)
    except uploads.ZipBomb as exc:
        raise SpreadsheetError(_("文件内容过大，请分成几个文件导入")) from exc
    except ValidationError as exc:
        raise broken from exc
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(buffer)
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append((meta.name, rows))
    except Exception as exc:  # calamine raises several types for a damaged file
        raise broken from exc
    return sheets


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(_("无法识别 CSV 文件的编码，请用 UTF-8 或 GBK 编码保存"))


def _read_csv(data: bytes) -> list[list]:
    text = _decode(data)
    head = text[:8192]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SpreadsheetError(_("CSV 文件格式有误：%(reason)s") % {"reason": exc}) from exc


def cell_text(value) -> str:
    """A cell as text: whole floats without '.0', booleans as 是/否, dates as 2026-01-31."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def safe_text(value) -> str:
    """Neutralise formula injection: text that Excel would run as a formula gets a leading '."""
    text = cell_text(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_xlsx(
    title: str, header: list[str], rows, *, note: str = "", widths: list[int] | None = None
) -> bytes:
    """One sheet: optional note row, a bold header row, then rows; every cell as safe text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for i, width in enumerate(widths or []):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    bold = Font(bold=True)
    if note:
        cell = WriteOnlyCell(sheet, value=safe_text(note))
        cell.font = bold
        sheet.append([cell])
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_text(v) or None for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
