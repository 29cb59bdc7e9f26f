"""Roster files: find the header row, validate every row, and count what an import would do.

Pure apart from read-only lookups: nothing here writes to the database (actions.py does).
A file is read into a `Table`, then `check()` turns it into a `Plan`: the valid rows, every
problem (row number as in Excel, column, value with ID numbers masked, reason) and the counts
of new / updated / unchanged residents.
"""

import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from pypinyin import Style, lazy_pinyin

from . import crypto, idnumber
from .models import Community, FiveOlds, PoliticalStatus, Resident
from .spreadsheets import SpreadsheetError, cell_text, read_sheets

MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 50


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header written in templates and exports
    aliases: tuple[str, ...]


COLUMNS = (
    Column("name", "姓名", ("姓名",)),
    Column("gender", "性别", ("性别",)),
    Column("id_number", "身份证号", ("身份证号", "身份证号码", "公民身份号码", "身份证")),
    Column("phone", "联系电话", ("联系电话", "电话", "手机号", "手机号码", "手机", "联系方式")),
    Column("building", "楼栋", ("楼栋", "楼号", "楼栋号")),
    Column("unit", "单元", ("单元", "单元号")),
    Column("door", "门牌号", ("门牌号", "房号", "房间号", "门牌")),
    Column("political_status", "政治面貌", ("政治面貌",)),
    Column("lives_alone_elderly", "独居老人", ("独居老人", "独居")),
    Column("disability", "残疾", ("残疾", "残疾人")),
    Column("low_income", "低保", ("低保", "低保户")),
    Column("five_olds", "五老", ("五老",)),
    Column("address", "地址", ("地址", "住址", "家庭住址", "现住址")),
    Column("note", "备注", ("备注",)),
    Column("grid", "网格", ("网格", "所属网格")),
)
HEADERS = [c.header for c in COLUMNS]
ALIASES = {alias: c for c in COLUMNS for alias in c.aliases}
# Resident fields an import sets (name_initials follows name); only columns present in the
# file are compared and written, so a file without 政治面貌 leaves that field alone.
RESIDENT_FIELDS = (
    "name",
    "phone",
    "address",
    "political_status",
    "lives_alone_elderly",
    "disability",
    "low_income",
    "five_olds",
    "note",
)
FLAG_FIELDS = ("lives_alone_elderly", "disability", "low_income")
MAX_LENGTHS = {"name": 50, "address": 200, "note": 200, "building": 50, "door": 30, "grid": 100}

GENDERS = {"男": "M", "女": "F", "男性": "M", "女性": "F", "M": "M", "F": "F"}
NO_WORDS = {"", "否", "无", "不是", "非", "N", "NO", "0", "FALSE", "×", "✗", "/", "-", "—"}
POLITICAL = {
    "群众": PoliticalStatus.MASSES,
    "中共党员": PoliticalStatus.PARTY_MEMBER,
    "中国共产党党员": PoliticalStatus.PARTY_MEMBER,
    "共产党员": PoliticalStatus.PARTY_MEMBER,
    "党员": PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": PoliticalStatus.PROBATIONARY,
    "预备党员": PoliticalStatus.PROBATIONARY,
    "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "团员": PoliticalStatus.LEAGUE_MEMBER,
    "民主党派": PoliticalStatus.OTHER_PARTY,
}
DEMOCRATIC_PARTIES = ("民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟")
FIVE_OLDS = {
    "老干部": FiveOlds.RETIRED_CADRE,
    "老党员": FiveOlds.PARTY_MEMBER,
    "老教师": FiveOlds.TEACHER,
    "老专家": FiveOlds.EXPERT,
    "老工人": FiveOlds.WORKER,
}
FIVE_OLDS |= {label[1:]: value for label, value in FIVE_OLDS.items()}
# First letters of surnames that pypinyin reads with their common (non-surname) sound.
SURNAME_LETTERS = {"曾": "z", "单": "s", "仇": "q", "解": "x", "查": "z", "区": "o", "翟": "z"}
SURNAME_LETTERS |= {"覃": "q", "种": "c", "秘": "b", "繁": "p", "尉": "y", "乐": "y"}
LANDLINE = re.compile(r"\(?(0\d{2,3})\)?-?(\d{7,8})(-\d{1,6})?")
CJK_NAME = re.compile(r"[\u3400-\u9fff·•\s]+")


class RosterFileError(SpreadsheetError):
    """The file has no usable header or no rows; nothing can be checked."""


@dataclass
class Table:
    filename: str
    header_line: int  # Excel row number of the header row
    columns: dict[str, int]  # column key -> index in the row
    headers: dict[str, str]  # column key -> header text as written in the file
    ignored: list[str]  # headers of columns that are not imported
    rows: list[tuple[int, list]]  # (Excel row number, cells), blank rows left out

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f in RESIDENT_FIELDS if f in self.columns)

    @property
    def has_household(self) -> bool:
        return "building" in self.columns


@dataclass(slots=True)
class Row:
    line: int
    id_number: str
    id_hash: str
    initials: str
    values: dict  # resident field -> value, for the columns present
    household: tuple[str, str] | None  # (building, door); None: no household
    grid: str


@dataclass(slots=True)
class Existing:
    id: int
    values: dict
    household: tuple[str, str] | None


@dataclass
class Plan:
    community: Community
    filename: str
    fields: tuple[str, ...]
    has_household: bool
    ignored: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    bad_rows: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return len(self.rows) + self.bad_rows


# --- reading -----------------------------------------------------------------------------


def read(data: bytes, filename: str) -> Table:
    """Find the header row (the first with 姓名 and an ID column) in the first sheet that has one."""
    for _sheet, rows in read_sheets(data, filename):
        found = _find_header(rows)
        if found:
            break
    else:
        raise RosterFileError(
            _("找不到表头：需要有一行同时含有“姓名”和“身份证号”（或“身份证号码”“公民身份号码”）")
        )
    index, columns, headers, ignored = found
    if ("building" in columns) != ("door" in columns):
        raise RosterFileError(_("“楼栋”和“门牌号”两列要么都有，要么都没有"))
    body = [(n + 1, r) for n, r in enumerate(rows[index + 1 :], start=index + 1) if _filled(r)]
    if not body:
        raise RosterFileError(_("表头下面没有居民数据"))
    if len(body) > MAX_ROWS:
        raise RosterFileError(
            _("一次最多导入 %(max)d 行，这个文件有 %(n)d 行，请分成几个文件")
            % {"max": MAX_ROWS, "n": len(body)}
        )
    return Table(filename, index + 1, columns, headers, ignored, body)


def _filled(row) -> bool:
    return any((c.strip() if c.__class__ is str else c is not None) for c in row)


def _header_key(value) -> str:
    text = unicodedata.normalize("NFKC", cell_text(value))
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s*:]", "", text)


def _find_header(rows):
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns, headers, ignored = {}, {}, []
        for i, cell in enumerate(row):
            key = _header_key(cell)
            if not key:
                continue
            column = ALIASES.get(key)
            if column is None:
                ignored.append(cell_text(cell).strip())
            elif column.key not in columns:
                columns[column.key] = i
                headers[column.key] = cell_text(cell).strip()
        if "name" in columns and "id_number" in columns:
            return index, columns, headers, ignored
    return None


# --- checking ----------------------------------------------------------------------------


def check(community: Community, table: Table, progress=None) -> Plan:
    """Validate every row; count new / updated / unchanged when the file has no errors."""
    plan = Plan(community, table.filename, table.fields, table.has_household, table.ignored)
    seen: dict[str, int] = {}
    grid_of_building: dict[str, tuple[str, int]] = {}
    for line, cells in table.rows:
        problems: list[tuple[str, str, str]] = []
        row = _check_row(table, line, cells, problems)
        if row is not None:
            first = seen.setdefault(row.id_hash, line)
            if first != line:
                reason = _("与第 %(line)d 行的身份证号重复") % {"line": first}
                problems.append(("id_number", idnumber.mask(row.id_number), reason))
            if row.household and row.grid:
                building = row.household[0]
                grid, at = grid_of_building.setdefault(building, (row.grid, line))
                if grid != row.grid:
                    reason = _("第 %(line)d 行已把楼栋“%(b)s”填在“%(g)s”；一个楼栋只能属于一个网格")
                    args = {"line": at, "b": building, "g": grid}
                    problems.append(("grid", row.grid, reason % args))
        if problems:
            plan.bad_rows += 1
            for key, value, reason in problems:
                plan.errors.append(
                    {
                        "line": line,
                        "column": table.headers.get(key, key),
                        "value": value[:60],
                        "reason": reason,
                    }
                )
        else:
            plan.rows.append(row)
        if progress:
            progress(1)
    if not plan.errors:
        plan.counts = count_changes(plan)
    return plan


def _clean(value) -> str:
    if value is None or value == "":
        return ""
    return " ".join(unicodedata.normalize("NFKC", cell_text(value)).split())


def _check_row(table: Table, line: int, cells: list, problems: list) -> Row | None:
    columns = table.columns

    def raw(key):
        i = columns.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    def bad(key, value, reason):
        problems.append((key, value, reason))

    values: dict = {}
    name = _clean(raw("name"))
    if CJK_NAME.fullmatch(name):
        name = "".join(name.split())  # "张  三" aligned with spaces
    if not name:
        bad("name", "", _("姓名为空"))
    values["name"] = name

    raw_id = raw("id_number")
    id_number = ""
    try:
        id_number = idnumber.validate(raw_id)
    except idnumber.IdNumberError as exc:
        reason = str(exc)
        if "*" in idnumber.normalize(raw_id):
            reason = _("身份证号是打码的（导出的花名册不含完整号码），请填写完整的18位号码")
        bad("id_number", mask_raw(raw_id), reason)

    gender = _clean(raw("gender"))
    if gender:
        code = GENDERS.get(gender.upper())
        if code is None:
            bad("gender", gender, _("性别应填“男”或“女”"))
        elif id_number and code != idnumber.gender(id_number):
            bad("gender", gender, _("性别与身份证号不符"))

    if "phone" in columns:
        values["phone"] = _check_phone(_clean(raw("phone")), bad)
    if "political_status" in columns:
        values["political_status"] = _check_political(_clean(raw("political_status")), bad)
    for key in FLAG_FIELDS:
        if key in columns:
            values[key] = _clean(raw(key)).upper() not in NO_WORDS
    if "five_olds" in columns:
        values["five_olds"] = _check_five_olds(_clean(raw("five_olds")), bad)
    for key in ("address", "note"):
        if key in columns:
            values[key] = _clean(raw(key))

    household = _check_household(raw, bad) if table.has_household else None
    grid = _clean(raw("grid"))
    for key, value in (("name", name), ("address", values.get("address", "")), ("grid", grid)):
        if len(value) > MAX_LENGTHS[key]:
            bad(key, value, _("太长了，最多 %(n)d 个字") % {"n": MAX_LENGTHS[key]})
    if "note" in values and len(values["note"]) > MAX_LENGTHS["note"]:
        bad("note", values["note"], _("太长了，最多 %(n)d 个字") % {"n": MAX_LENGTHS["note"]})
    if not id_number:
        return None
    # A row with other problems is returned too, so that check() finds duplicates among all.
    return Row(
        line,
        id_number,
        crypto.lookup_hash(id_number),
        name_initials(name),
        values,
        household,
        grid,
    )


def _check_phone(text: str, bad) -> str:
    if not text:
        return ""
    compact = re.sub(r"[\s]", "", text)
    mobile = compact.replace("-", "")
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    if re.fullmatch(r"1\d{10}", mobile):
        return mobile
    landline = LANDLINE.fullmatch(compact)
    if landline:
        return f"{landline[1]}-{landline[2]}{landline[3] or ''}"
    bad("phone", text, _("电话应为11位手机号，或带区号的固话（如 0571-88880000）"))
    return ""


def _check_political(text: str, bad) -> str:
    if not text:
        return PoliticalStatus.MASSES
    if text in POLITICAL:
        return POLITICAL[text]
    if text.startswith(DEMOCRATIC_PARTIES):
        return PoliticalStatus.OTHER_PARTY
    bad(
        "political_status",
        text,
        _("政治面貌应为：群众、中共党员、中共预备党员、共青团员或民主党派"),
    )
    return PoliticalStatus.MASSES


def _check_five_olds(text: str, bad) -> str:
    if text.upper() in NO_WORDS:
        return FiveOlds.NONE
    if text in FIVE_OLDS:
        return FIVE_OLDS[text]
    bad("five_olds", text, _("五老应填一项：老干部、老党员、老教师、老专家或老工人"))
    return FiveOlds.NONE


def _check_household(raw, bad) -> tuple[str, str] | None:
    for key in ("building", "unit", "door"):
        if isinstance(raw(key), datetime.date):
            bad(key, cell_text(raw(key)), _("被 Excel 当成了日期，请把该列设为“文本”后重新填写"))
            return None
    building, unit, door = _clean(raw("building")), _clean(raw("unit")), _clean(raw("door"))
    building = building.replace(" ", "")
    if building.isdigit():
        building += "栋"
    if unit.isdigit():
        unit += "单元"
    door = unit + door.replace(" ", "") if door else ""
    if not building and not door and not unit:
        return None
    if not building or not door:
        key = "door" if building else "building"
        bad(key, "", _("楼栋和门牌号要么都填，要么都不填（不填则不建户）"))
        return None
    for key, value in (("building", building), ("door", door)):
        if len(value) > MAX_LENGTHS[key]:
            bad(key, value, _("太长了，最多 %(n)d 个字") % {"n": MAX_LENGTHS[key]})
    return building, door


def mask_raw(raw) -> str:
    """Mask whatever was in the ID column, valid or not: keep the first 6 and last 4."""
    text = idnumber.normalize(raw)
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


@lru_cache(maxsize=50_000)
def name_initials(name: str) -> str:
    """张三 -> "zs"; 曾国藩 -> "zgf" (surname sound); Latin words give their first letter."""
    letters = []
    for i, part in enumerate(lazy_pinyin(name, style=Style.FIRST_LETTER)):
        if i == 0 and name[:1] in SURNAME_LETTERS:
            letters.append(SURNAME_LETTERS[name[0]])
            continue
        for word in part.split():
            if word[:1].isascii() and word[:1].isalpha():
                letters.append(word[0].lower())
    return "".join(letters)[:50]


# --- comparing with the database ---------------------------------------------------------


def existing_residents(community: Community, fields: tuple[str, ...]) -> dict[str, Existing]:
    """The community's residents by ID hash, with the fields an import may change."""
    columns = ["id", "id_number_hash", *fields, "household__building__name", "household__door"]
    out = {}
    qs = Resident.objects.filter(community=community).order_by().values_list(*columns)
    for rec in qs.iterator(chunk_size=5000):
        household = (rec[-2], rec[-1]) if rec[-2] is not None else None
        out[rec[1]] = Existing(rec[0], dict(zip(fields, rec[2:-2], strict=True)), household)
    return out


def diff(row: Row, old: Existing, has_household: bool) -> list[str]:
    """Names of the fields whose value in the file differs from the database."""
    changed = [f for f, value in row.values.items() if old.values[f] != value]
    if has_household and row.household != old.household:
        changed.append("household")
    return changed


def count_changes(plan: Plan) -> dict:
    existing = existing_residents(plan.community, plan.fields)
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    for row in plan.rows:
        old = existing.get(row.id_hash)
        if old is None:
            counts["new"] += 1
        elif diff(row, old, plan.has_household):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


# --- the blank template ------------------------------------------------------------------

TEMPLATE_TEXT_COLUMNS = ("身份证号", "联系电话", "单元", "门牌号")


def template_xlsx() -> bytes:
    """A blank roster with the headers; ID, phone and door columns preset to text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(
        [
            _(
                "填写说明：从第3行起每行一人。身份证号一列请保持“文本”格式；性别、单元及以后各列可不填；"
                "楼栋和门牌号要么都填，要么都不填；独居老人、残疾、低保填“是”或留空；"
                "政治面貌填群众、中共党员、中共预备党员、共青团员或民主党派；"
                "五老填老干部、老党员、老教师、老专家或老工人。"
            )
        ]
    )
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for i, header in enumerate(HEADERS, start=1):
        letter = sheet.cell(row=2, column=i).column_letter
        sheet.column_dimensions[letter].width = 22 if header == "身份证号" else 12
        if header in TEMPLATE_TEXT_COLUMNS:
            for row in range(3, 1003):
                sheet.cell(row=row, column=i).number_format = "@"
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
