"""Build roster files in memory for the import tests (no binary fixtures committed)."""

import csv
import datetime
import io

from openpyxl import Workbook

from zizhi.registry import idnumber

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
    "网格",
]


def make_id(seq: int, born=datetime.date(1960, 5, 17), region="330106") -> str:
    return idnumber.make(region, born, seq)


def good_rows():
    """Three residents: two in one household, one without a household."""
    a, b, c = make_id(11), make_id(12, datetime.date(1985, 2, 3)), make_id(14)
    return [
        ["张三", "男", a, "13800000001", "3", "2", "301", "中共党员", "是", "第一网格"],
        ["李秀英", "女", b, "0571-88880000", "3栋", "2单元", "301", "", "", "第一网格"],
        ["曾国藩", "", c, "", "", "", "", "群众", "否", ""],
    ]


def xlsx(rows, *, header=HEADER, title=None, blank_rows_before_header=0) -> bytes:
    book = Workbook()
    sheet = book.active
    for _ in range(blank_rows_before_header):
        sheet.append([])
    if title:
        sheet.append([title])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, *, header=HEADER, encoding="gbk") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
