"""The A4 PDF of "my data": what the platform holds about a resident, in large print, one
heading per part, each item as "label: value" lines (no wide tables to squint at)."""

import datetime
import io

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zizhi.notices.pdf import FONT, _text

BODY = ParagraphStyle("pd-body", fontName=FONT, fontSize=14, leading=22, wordWrap="CJK")
LABEL = ParagraphStyle("pd-label", parent=BODY, textColor=colors.HexColor("#444444"))
TITLE = ParagraphStyle("pd-title", parent=BODY, fontSize=22, leading=30, spaceAfter=3 * mm)
HEAD = ParagraphStyle(
    "pd-head", parent=BODY, fontSize=18, leading=26, spaceBefore=6 * mm, spaceAfter=2 * mm
)
NOTE = ParagraphStyle("pd-note", parent=BODY, fontSize=12, leading=18)


def _value(value) -> str:
    """Dates and times as people read them (2026年11月29日 15:04)."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        moment = parse_datetime(value) if len(value) > 10 else None
        if moment is not None:
            return date_format(moment, "DATETIME_FORMAT")
        try:
            return date_format(datetime.date.fromisoformat(value[:10]), "DATE_FORMAT")
        except ValueError:
            return value
    if value in ("", None):
        return "—"
    return str(value)


def _item(columns, row):
    cells = [
        [Paragraph(_text(c["label"]), LABEL), Paragraph(_text(_value(row[c["key"]])), BODY)]
        for c in columns
    ]
    table = Table(cells, colWidths=[45 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.grey),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 3 * mm),
            ]
        )
    )
    return table


def render_my_data_pdf(data: dict, person: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("我的个人信息"),
    )
    story = [
        Paragraph(_("我的个人信息"), TITLE),
        Paragraph(
            _text(
                _("%(name)s，这是自治平台上记录的关于您的全部信息（%(c)s，导出于 %(t)s）。")
                % {"name": person, "c": data["community"], "t": _value(data["exported_at"])}
            ),
            BODY,
        ),
        Paragraph(
            _(
                "身份证号只印打码的号码，以免打印件被他人看到。如有不对，可在“我的信息”页申请更正。"
            ),
            NOTE,
        ),
    ]
    for part in data["sections"]:
        head = Paragraph(_text(part["title"]), HEAD)
        if not part["rows"]:
            story.append(KeepTogether([head, Paragraph(_("（没有）"), BODY)]))
            continue
        items = [_item(part["columns"], row) for row in part["rows"]]
        story.append(KeepTogether([head, items[0]]))
        story.extend(items[1:])
        story.append(Spacer(1, 2 * mm))
    doc.build(story)
    return out.getvalue()
