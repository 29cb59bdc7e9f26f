"""The mediation agreement (人民调解协议书) as an A4 PDF (reportlab, built-in CID font).

Layout of the usual form: title, case number, the parties (side, name, address, phone),
the facts and the dispute, the agreed terms as numbered items, the performance deadline,
the standard clauses, signature lines of the parties and of the mediators, the committee's
seal box and the date.
"""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import MediationCase

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle("m-body", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK")
INDENT = ParagraphStyle("m-indent", parent=BODY, firstLineIndent=24)
TITLE = ParagraphStyle(
    "m-title", parent=BODY, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=2 * mm
)
HEAD = ParagraphStyle("m-head", parent=BODY, fontSize=13, leading=22, spaceBefore=3 * mm)
RIGHT = ParagraphStyle("m-right", parent=BODY, alignment=TA_RIGHT)
SMALL = ParagraphStyle("m-small", parent=BODY, fontSize=9, leading=12, alignment=TA_CENTER)
SEAL_SIZE = 40 * mm


def _text(value: str) -> str:
    return (value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _parties(case: MediationCase) -> list:
    out = []
    for party in case.parties.all():
        line = _("%(side)s：%(name)s") % {"side": party.get_side_display(), "name": party.name}
        if party.address:
            line += _("，住址：%(a)s") % {"a": party.address}
        if party.phone:
            line += _("，联系电话：%(p)s") % {"p": party.phone}
        out.append(Paragraph(_text(line), BODY))
    return out


def _signatures(case: MediationCase) -> Table:
    parties = [
        Paragraph(_text(_("%(side)s（签名）：") % {"side": p.get_side_display()}), BODY)
        for p in case.parties.all()
    ]
    mediators = [
        Paragraph(_text(_("调解员（签名）：%(name)s") % {"name": a.resident.name}), BODY)
        for a in case.assignments.filter(
            accepted_at__isnull=False, declined_at__isnull=True
        ).select_related("resident")
    ]
    rows = max(len(parties), len(mediators))
    data = [
        [
            parties[i] if i < len(parties) else "",
            mediators[i] if i < len(mediators) else "",
        ]
        for i in range(rows)
    ]
    return Table(data, colWidths=[83 * mm, 83 * mm], rowHeights=[14 * mm] * rows)


def _seal(case: MediationCase):
    box = Table(
        [[Paragraph(_("人民调解委员会（盖章）"), SMALL)]],
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
        Paragraph(_text(_("%(c)s人民调解委员会") % {"c": case.community.name}), RIGHT),
        Paragraph(_date(case.outcome_on), RIGHT),
    ]
    return Table(
        [["", box], ["", signed]],
        colWidths=[None, SEAL_SIZE + 40 * mm],
        style=TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT")]),
    )


def render_agreement_pdf(case: MediationCase, *, compress: bool = True) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        title=_("人民调解协议书"),
        author=case.community.name,
        subject=case.number,
        pageCompression=1 if compress else 0,
        invariant=0 if compress else 1,
        lang="zh-CN",
    )
    story = [
        Paragraph(_("人民调解协议书"), TITLE),
        Paragraph(_text(_("编号：%(n)s") % {"n": case.number}), RIGHT),
        Spacer(1, 3 * mm),
        *_parties(case),
        Paragraph(_("纠纷主要事实、争议事项："), HEAD),
    ]
    story += [Paragraph(_text(p), INDENT) for p in case.facts.splitlines() if p.strip()]
    story.append(Paragraph(_("经调解，自愿达成如下协议："), HEAD))
    story += [Paragraph(_text(f"{i}. {term}"), INDENT) for i, term in enumerate(case.term_list, 1)]
    story += [
        Paragraph(
            _text(
                _("履行方式、时限：上述协议于%(d)s前履行完毕。")
                % {"d": _date(case.performance_deadline)}
            ),
            HEAD,
        ),
        Paragraph(
            _(
                "本协议书自各方当事人签名、调解员签名并加盖人民调解委员会印章之日起生效。"
                "本协议书一式三份，双方当事人、人民调解委员会各执一份。"
            ),
            INDENT,
        ),
        Spacer(1, 6 * mm),
        KeepTogether([_signatures(case), Spacer(1, 4 * mm), _seal(case)]),
    ]
    doc.build(story)
    return out.getvalue()
