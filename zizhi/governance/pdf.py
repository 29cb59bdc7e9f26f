"""The minutes (会议记录) of a meeting as an A4 PDF (reportlab, built-in Chinese CID font)."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zizhi.notices.pdf import FONT  # registers the font

from .meeting_queries import quorum_state

TEXT = ParagraphStyle("text", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK")
TITLE = ParagraphStyle(
    "title", parent=TEXT, fontSize=18, leading=26, alignment=1, spaceAfter=6 * mm
)
HEAD = ParagraphStyle("head", parent=TEXT, fontSize=14, leading=22, spaceBefore=4 * mm)


def _p(text, style=TEXT):
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def minutes(meeting, compress: bool = True) -> bytes:
    q = quorum_state(meeting)
    when = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    flow = [
        _p(f"{meeting.community.name if meeting.community else ''} {meeting.body.name}", HEAD),
        _p(_("%(t)s 会议记录") % {"t": meeting.title}, TITLE),
        _p(_("时间：%(w)s　　地点：%(p)s") % {"w": when, "p": meeting.place}),
        _p(
            _("应到%(e)s人，实到%(p)s人（出席要求：%(w)s，依据：%(s)s）")
            % {"e": q["expected"], "p": q["present"], "w": q["words"], "s": meeting.rule.source}
        ),
        _p(_("出席人员"), HEAD),
        _p(
            "、".join(a.membership.name for a in meeting.attendances.select_related("membership"))
            or "—"
        ),
    ]
    for item in meeting.items.prefetch_related("polls"):
        flow.append(_p(_("议题%(n)s：%(t)s") % {"n": item.position, "t": item.title}, HEAD))
        if item.text:
            flow.append(_p(item.text))
        for poll in item.polls.all():
            if poll.result_text:
                rows = [
                    [_("表决事项"), _("赞成"), _("反对"), _("弃权"), _("结果")],
                    [
                        poll.question,
                        poll.yes,
                        poll.no,
                        poll.abstain,
                        _("通过") if poll.passed else _("未通过"),
                    ],
                ]
                table = Table(
                    [[_p(c) for c in r] for r in rows],
                    colWidths=[70 * mm, 20 * mm, 20 * mm, 20 * mm, 25 * mm],
                )
                table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
                flow += [Spacer(1, 2 * mm), table, _p(poll.result_text)]
    flow += [_p(_("会议记录"), HEAD), _p(meeting.minutes or _("（尚未填写）"))]
    flow += [Spacer(1, 12 * mm), _p(_("记录人：＿＿＿＿＿＿　　主持人：＿＿＿＿＿＿"))]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=meeting.title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        pageCompression=1 if compress else 0,
    )
    doc.build(flow)
    return out.getvalue()
