"""The monthly report as a printable A4 PDF (reportlab, the built-in CID font of the other
apps' PDFs): the title, the figures (communities side by side for a subdistrict), the
12-month trend, the communities compared, the volunteers' age pyramid, and the tables
behind the charts.

Readable in black-and-white print: bars are grey with a black outline, the pyramid's two
sides differ in shade and are named above it, and every bar carries its number.
"""

import io

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from zizhi.notices.pdf import FONT  # registers the font

from . import definitions
from .dashboard import Dashboard

TEXT = ParagraphStyle("r-text", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
CELL = ParagraphStyle("r-cell", parent=TEXT, fontSize=8.5, leading=11)
TITLE = ParagraphStyle(
    "r-title", parent=TEXT, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=2 * mm
)
HEAD = ParagraphStyle("r-head", parent=TEXT, fontSize=13, leading=18, spaceBefore=5 * mm)
META = ParagraphStyle("r-meta", parent=TEXT, alignment=TA_CENTER, spaceAfter=3 * mm)

WIDTH = A4[0] - 36 * mm  # the frame's width
BAR = colors.Color(0.35, 0.35, 0.35)
LIGHT = colors.Color(0.8, 0.8, 0.8)
LINE = colors.black
UNITS_PER_TABLE = 6  # communities side by side in one table; more go to the next table
TABLE_STYLE = [
    ("FONT", (0, 0), (-1, -1), FONT, 8.5),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("REPEATROWS", (0, 0), (-1, 0)),
]


def _p(value, style=CELL) -> Paragraph:
    return Paragraph(escape(str(value)), style)


def number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:g}"
    return f"{int(value):,}"


def _label(figure) -> str:
    return f"{figure.label}（{'%' if figure.is_rate else figure.unit}）"


def _table(rows: list[list], widths: list[float], extra: list | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE + (extra or [])))
    return table


def figures_tables(board: Dashboard) -> list:
    """One row per figure, a column per community (and the total), at most
    UNITS_PER_TABLE communities per table; section names as spanning rows."""
    columns = [(row.unit.name, row) for row in board.rows]
    if len(columns) > 1:
        columns.append((_("合计"), board.total))
    tables_needed = max(1, -(-len(columns) // UNITS_PER_TABLE))
    size = max(1, -(-len(columns) // tables_needed))  # even tables: 8 columns are 4 + 4
    chunks = [columns[i : i + size] for i in range(0, len(columns), size)] or [[]]
    tables = []
    for chunk in chunks:
        label_w = 52 * mm
        col_w = (WIDTH - label_w) / max(len(chunk), 1)
        rows = [[_p(_("指标"))] + [_p(name) for name, _row in chunk]]
        spans = []
        for _key, section, figures in definitions.sections():
            spans.append(len(rows))
            rows.append([_p(section)] + [""] * len(chunk))
            for figure in figures:
                rows.append(
                    [_p(_label(figure))] + [number(r.values[figure.key]) for _n, r in chunk]
                )
        extra = []
        for at in spans:
            extra += [
                ("SPAN", (0, at), (-1, at)),
                ("BACKGROUND", (0, at), (-1, at), colors.Color(0.96, 0.96, 0.96)),
            ]
        tables += [_table(rows, [label_w] + [col_w] * len(chunk), extra), Spacer(1, 3 * mm)]
    return tables


def _axis_font(chart, size=7) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = size


def _top(values) -> float:
    """The value axis' end: above the highest bar, and at least 5 (no 0.2 steps for 0s)."""
    return max(max([v or 0 for v in values] + [0]) * 1.15, 5)


def column_chart(title: str, labels: list[str], values: list[float], width: float) -> Drawing:
    """A titled vertical bar chart (a month per bar), its numbers above the bars."""
    height = 48 * mm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=FONT, fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 24, 18, width - 30, height - 40
    chart.data = [[v or 0 for v in values]]
    chart.categoryAxis.categoryNames = labels
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _top(values)
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BAR, LINE
    chart.barLabelFormat = number
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 6
    chart.barLabels.nudge = 5
    _axis_font(chart, 6)
    drawing.add(chart)
    return drawing


def bar_chart(title: str, rows: list[tuple[str, float | None]], width: float) -> Drawing:
    """A titled horizontal bar chart, one bar per community, the number at the bar's end."""
    row_h = 7 * mm
    height = len(rows) * row_h + 22
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=FONT, fontSize=9))
    chart = HorizontalBarChart()
    chart.x, chart.y = 62, 4
    chart.width, chart.height = width - 100, len(rows) * row_h
    # the first row on top, as in the table
    chart.data = [[v or 0 for _n, v in reversed(rows)]]
    chart.categoryAxis.categoryNames = [name for name, _v in reversed(rows)]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _top([v for _n, v in rows])
    chart.valueAxis.visibleLabels = False
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BAR, LINE
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[number(v) for _n, v in reversed(rows)]]
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    _axis_font(chart, 7)
    drawing.add(chart)
    return drawing


def pyramid_chart(pyramid: dict, width: float) -> Drawing:
    """Volunteers by age band, men to the left (dark), women to the right (light), the
    oldest on top, each bar with its number."""
    bands = list(pyramid.items())
    row_h, label_w = 7 * mm, 16 * mm
    height = len(bands) * row_h + 16
    drawing = Drawing(width, height)
    middle = width / 2
    half = middle - label_w / 2 - 24
    top = max([max(c.get("M", 0), c.get("F", 0)) for _b, c in bands] + [0]) or 1
    drawing.add(String(middle - label_w / 2 - 4, height - 10, _("男"), fontName=FONT,
                       fontSize=9, textAnchor="end"))  # fmt: skip
    drawing.add(String(middle + label_w / 2 + 4, height - 10, _("女"), fontName=FONT, fontSize=9))
    for i, (band, counts) in enumerate(reversed(bands)):
        y = i * row_h + 2
        men, women = counts.get("M", 0), counts.get("F", 0)
        m_len, f_len = half * men / top, half * women / top
        left = middle - label_w / 2
        drawing.add(Rect(left - m_len, y, m_len, row_h - 4, fillColor=BAR, strokeColor=LINE,
                         strokeWidth=0.5))  # fmt: skip
        drawing.add(Rect(middle + label_w / 2, y, f_len, row_h - 4, fillColor=LIGHT,
                         strokeColor=LINE, strokeWidth=0.5))  # fmt: skip
        text_y = y + row_h / 2 - 4
        drawing.add(String(middle, text_y, band, fontName=FONT, fontSize=8, textAnchor="middle"))
        drawing.add(String(left - m_len - 3, text_y, str(men), fontName=FONT, fontSize=7,
                           textAnchor="end"))  # fmt: skip
        drawing.add(String(middle + label_w / 2 + f_len + 3, text_y, str(women), fontName=FONT,
                           fontSize=7))  # fmt: skip
    return drawing


TREND = [
    ("participants", 1, gettext_noop("参加活动的居民（人）")),
    ("service_minutes", 60, gettext_noop("志愿服务时长（小时）")),
    ("credit_issued", 60, gettext_noop("道德银行存入（小时）")),
    ("suggestions", 1, gettext_noop("收到的建议（件）")),
]


def trend_part(board: Dashboard) -> list:
    labels = [m["month"].strftime("%y.%m") for m in board.trend]
    half = WIDTH / 2 - 2 * mm
    charts = [
        column_chart(_(title), labels, [round(m[key] / div, 1) for m in board.trend], half)
        for key, div, title in TREND
    ]
    grid = Table([charts[:2], charts[2:]], colWidths=[WIDTH / 2] * 2)
    header = [_p(_("月份"))] + [_p(_(title)) for _k, _d, title in TREND]
    rows = [header] + [
        [m["month"].strftime("%Y-%m")] + [number(round(m[key] / div, 1)) for key, div, _t in TREND]
        for m in board.trend
    ]
    table = _table(rows, [WIDTH / 5] * 5)
    return [KeepTogether([Paragraph(escape(_("近12个月")), HEAD), grid]), Spacer(1, 2 * mm), table]


def compared_part(board: Dashboard) -> list:
    if len(board.rows) < 2:
        return []
    half = WIDTH / 2 - 2 * mm
    charts = []
    for key in definitions.COMPARED:
        figure = definitions.BY_KEY[key]
        rows = [(row.unit.name, row.values[key]) for row in board.rows]
        charts.append(bar_chart(_label(figure), rows, half))
    pairs = [
        charts[i : i + 2] + [""] * (2 - len(charts[i : i + 2])) for i in range(0, len(charts), 2)
    ]
    return [
        CondPageBreak(80 * mm),
        Paragraph(escape(_("各社区比较")), HEAD),
        Table(pairs, colWidths=[WIDTH / 2] * 2),
    ]


def pyramid_part(board: Dashboard) -> list:
    rows = [[_p(_("年龄")), _p(_("男")), _p(_("女"))]] + [
        [band, str(c.get("M", 0)), str(c.get("F", 0))] for band, c in board.pyramid.items()
    ]
    return [
        KeepTogether(
            [
                Paragraph(escape(_("志愿者年龄结构")), HEAD),
                pyramid_chart(board.pyramid, WIDTH * 0.7),
                Spacer(1, 2 * mm),
                _table(rows, [30 * mm, 25 * mm, 25 * mm]),
            ]
        )
    ]


def render(board: Dashboard, heading: str, note: str, author: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=heading,
        author=author,
        lang="zh-CN",
    )
    story = [Paragraph(escape(heading), TITLE), Paragraph(escape(note), META)]
    story += [Paragraph(escape(_("主要数字")), HEAD)] + figures_tables(board)
    story += trend_part(board) + compared_part(board) + pyramid_part(board)
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(A4[0] / 2, 9 * mm, f"{doc.title} · {doc.page}")
    canvas.restoreState()
