"""The printable A4 sheet of a notice (reportlab, built-in CID font: no font file needed).

Community name, number, title, the body wrapped for Chinese, the publication date and the
notice period, then a QR code to the online notice (left) and a bordered seal area (right).
"""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Notice

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle(
    "body", fontName=FONT, fontSize=13, leading=22, wordWrap="CJK", firstLineIndent=26
)
TITLE = ParagraphStyle(
    "title",
    parent=BODY,
    fontSize=20,
    leading=28,
    alignment=TA_CENTER,
    firstLineIndent=0,
    spaceAfter=4 * mm,
)
HEAD = ParagraphStyle(
    "head", parent=BODY, fontSize=15, leading=22, alignment=TA_CENTER, firstLineIndent=0
)
META = ParagraphStyle("meta", parent=BODY, fontSize=11, leading=16, firstLineIndent=0)
RIGHT = ParagraphStyle("right", parent=META, alignment=TA_RIGHT)
SMALL = ParagraphStyle("small", parent=META, fontSize=9, leading=12, alignment=TA_CENTER)
QR_SIZE = 32 * mm
SEAL_SIZE = 45 * mm


def _text(value: str) -> str:
    """Escape for reportlab's mini-markup (it reads &, < and > as XML)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def period_text(notice: Notice) -> str:
    if not notice.first_day:
        return ""
    return _("公示期：%(first)s至%(last)s") % {
        "first": _date(notice.first_day),
        "last": _date(notice.last_day),
    }


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    return drawing


def _footer(notice: Notice, url: str):
    qr = Table(
        [[_qr(url)], [Paragraph(_("扫码查看网上公示、提出异议"), SMALL)]],
        colWidths=[QR_SIZE + 24 * mm],
    )
    seal = Table(
        [[Paragraph(_("盖章处"), SMALL)]],
        colWidths=[SEAL_SIZE],
        rowHeights=[SEAL_SIZE],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        ),
    )
    signed = [
        Paragraph(_text(notice.community.name), RIGHT),
        Paragraph(_date(notice.first_day), RIGHT),
    ]
    outer = Table(
        [[qr, "", seal], ["", "", signed]],
        colWidths=[QR_SIZE + 26 * mm, None, SEAL_SIZE + 2 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("SPAN", (0, 0), (0, 1)),
            ]
        ),
    )
    return KeepTogether([Spacer(1, 10 * mm), outer])


def render_notice_pdf(notice: Notice, url: str, *, compress: bool = True) -> bytes:
    """The A4 sheet as PDF bytes; `url` is the absolute address of the online notice."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=notice.title,
        author=notice.community.name,
        subject=notice.number,
        pageCompression=1 if compress else 0,
        invariant=0 if compress else 1,
        lang="zh-CN",
    )
    story = [
        Paragraph(_text(notice.community.name), HEAD),
        Spacer(1, 2 * mm),
        Paragraph(_text(notice.title), TITLE),
        Paragraph(_text(f"{notice.number}　{notice.get_category_display()}"), RIGHT),
        Spacer(1, 4 * mm),
    ]
    for part in notice.body.splitlines():
        if part.strip():
            story.append(Paragraph(_text(part.strip()), BODY))
        else:
            story.append(Spacer(1, 3 * mm))
    story += [
        Spacer(1, 6 * mm),
        Paragraph(_("发布日期：%(date)s") % {"date": _date(notice.first_day)}, META),
        Paragraph(_text(period_text(notice)), META),
        Paragraph(
            _("公示期内如有异议，请向%(name)s提出，或扫描二维码在网上提出。")
            % {"name": _text(notice.community.name)},
            META,
        ),
    ]
    if notice.community.phone:
        story.append(
            Paragraph(_("联系电话：%(phone)s") % {"phone": _text(notice.community.phone)}, META)
        )
    story.append(_footer(notice, url))
    doc.build(story)
    return out.getvalue()
