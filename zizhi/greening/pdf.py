"""Printable A4 documents of a plot (reportlab, built-in CID font):

- the sign put up at the plot: large name, kind and area, who adopted it (only if they
  agreed), and a QR code to the plot's public page;
- the adoption agreement: both parties, the plot, the term, the duties, signature lines.
"""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Adoption, Plot

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle("gbody", fontName=FONT, fontSize=13, leading=22, wordWrap="CJK")
TITLE = ParagraphStyle(
    "gtitle", parent=BODY, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=6 * mm
)
BIG = ParagraphStyle("gbig", parent=BODY, fontSize=48, leading=60, alignment=TA_CENTER)
LARGE = ParagraphStyle("glarge", parent=BODY, fontSize=26, leading=38, alignment=TA_CENTER)
CENTER = ParagraphStyle("gcenter", parent=BODY, fontSize=15, leading=22, alignment=TA_CENTER)

DUTIES = (
    gettext_noop(
        "认领人按时浇水、除草、修剪、清理垃圾，保持绿地整洁，每月至少养护一次并在平台上记录。"
    ),
    gettext_noop("认领人不得改变绿地用途，不得私自种植蔬菜、圈占或硬化地面，不得砍伐、移植树木。"),
    gettext_noop("社区负责病虫害防治、大树修剪等专业养护，定期巡查，并向认领人反馈巡查情况。"),
    gettext_noop("认领人自愿捐赠的养护资金记入社区财务公开，用途向捐赠人和居民公开。"),
    gettext_noop("认领期满可以申请续期；认领人不能继续养护时，应提前告知社区，社区可以结束认领。"),
)


def _text(value) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _qr(url: str, size) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _doc(out, title: str, author: str):
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        lang="zh-CN",
    )


def render_sign_pdf(plot: Plot, adoption: Adoption | None, url: str) -> bytes:
    """The plot's sign; `url` is the absolute address of its public page."""
    out = io.BytesIO()
    doc = _doc(out, plot.name, plot.community.name)
    if adoption is None:
        who = _("欢迎认领")
    elif adoption.show_name:
        who = _("认领人：%(n)s") % {"n": adoption.adopter_name}
    else:
        who = _("已被认领")
    story = [
        Paragraph(_text(_("%(c)s · 认领绿地") % {"c": plot.community.name}), CENTER),
        Spacer(1, 10 * mm),
        Paragraph(_text(plot.name), BIG),
        Spacer(1, 6 * mm),
        Paragraph(
            _text(_("%(k)s　%(a)s 平方米") % {"k": plot.get_kind_display(), "a": plot.area_m2}),
            LARGE,
        ),
        Spacer(1, 4 * mm),
        Paragraph(_text(who), LARGE),
    ]
    if adoption is not None:
        story.append(
            Paragraph(
                _text(
                    _("认领期：%(a)s至%(b)s")
                    % {"a": _date(adoption.starts_on), "b": _date(adoption.ends_on)}
                ),
                CENTER,
            )
        )
    story += [
        Spacer(1, 12 * mm),
        Table(
            [[_qr(url, 70 * mm)]],
            colWidths=[80 * mm],
            style=TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]),
        ),
        Paragraph(_text(_("扫码查看这块绿地的养护情况")), CENTER),
        Spacer(1, 8 * mm),
        Paragraph(_text(_("爱护绿地　人人有责")), LARGE),
    ]
    doc.build(story)
    return out.getvalue()


def render_agreement_pdf(adoption: Adoption, url: str) -> bytes:
    """The adoption agreement (认领协议) for both parties to sign."""
    plot, community = adoption.plot, adoption.community
    out = io.BytesIO()
    doc = _doc(out, _("绿地认领协议"), community.name)
    rows = [
        (_("甲方（社区）"), community.name),
        (_("乙方（认领人）"), f"{adoption.adopter_name}（{adoption.get_adopter_kind_display()}）"),
        (_("联系电话"), adoption.contact_phone or "________________"),
        (_("认领绿地"), plot.name),
        (_("位置"), plot.location),
        (
            _("类型和面积"),
            _("%(k)s，%(a)s 平方米") % {"k": plot.get_kind_display(), "a": plot.area_m2},
        ),
        (
            _("认领期"),
            _("%(a)s至%(b)s") % {"a": _date(adoption.starts_on), "b": _date(adoption.ends_on)},
        ),
        (
            _("公开认领人名称"),
            _("同意在标牌和网页上公开") if adoption.show_name else _("不公开（显示“已被认领”）"),
        ),
    ]
    table = Table(
        [[Paragraph(_text(k), BODY), Paragraph(_text(v), BODY)] for k, v in rows],
        colWidths=[42 * mm, None],
        style=TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, "#000000"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        ),
    )
    story = [
        Paragraph(_text(_("绿地认领协议")), TITLE),
        Paragraph(
            _text(_("协议编号：%(c)s-GL-%(n)05d") % {"c": community.code, "n": adoption.pk}), BODY
        ),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 5 * mm),
        Paragraph(_text(_("双方的责任")), BODY),
    ]
    for n, duty in enumerate(DUTIES, 1):
        story.append(Paragraph(_text(f"{n}. {_(duty)}"), BODY))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(_text(_("本协议一式两份，双方各执一份。网上查看：%(u)s") % {"u": url}), BODY),
        Spacer(1, 14 * mm),
        Table(
            [
                [
                    Paragraph(_text(_("甲方（盖章）：")), BODY),
                    Paragraph(_text(_("乙方（签字）：")), BODY),
                ],
                ["", ""],
                [
                    Paragraph(_text(_("日期：　　年　　月　　日")), BODY),
                    Paragraph(_text(_("日期：　　年　　月　　日")), BODY),
                ],
            ],
            colWidths=[85 * mm, 85 * mm],
            rowHeights=[None, 18 * mm, None],
        ),
    ]
    doc.build(story)
    return out.getvalue()
