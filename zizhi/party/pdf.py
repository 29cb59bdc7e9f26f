"""The A4 quarterly report of an in-service member for their employer's Party organisation
(reportlab with the built-in CID font, as the notice sheets and certificates): member,
employer, organisation, posts claimed, activities, hours, the community's evaluation, and a
QR code to the public verification page."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zizhi.notices.pdf import BODY, META, RIGHT, SMALL, TITLE, _date, _qr, _text

from .models import PartyMember, QuarterlyReport
from .queries import hours_text

MAX_LINES = 25


def _p(value, style=META):
    return Paragraph(_text(str(value)), style)


def render_report_pdf(member: PartyMember, report: QuarterlyReport, verify_url: str) -> bytes:
    out = io.BytesIO()
    community = member.community
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=22 * mm,
        bottomMargin=18 * mm,
        title=_("在职党员到社区报到服务情况季度报告"),
        author=community.name,
    )
    org = member.organisation.name if member.organisation else _("（未登记）")
    facts = [
        [_p(_("党员姓名")), _p(member.resident.name), _p(_("季度")), _p(report.quarter)],
        [_p(_("工作单位")), _p(member.employer or "—"), _p(_("单位党组织")), _p(org)],
        [
            _p(_("报到社区")),
            _p(community.name),
            _p(_("服务时长")),
            _p(_("%(h)s 小时") % {"h": hours_text(report.minutes)}),
        ],
    ]
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, "#444444"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story = [
        Paragraph(_("在职党员到社区报到服务情况季度报告"), TITLE),
        Paragraph(_("报告编号：%(n)s") % {"n": report.number}, RIGHT),
        Spacer(1, 4 * mm),
        Table(facts, colWidths=[24 * mm, 54 * mm, 24 * mm, None], style=grid),
        Spacer(1, 5 * mm),
        Paragraph(_("认领岗位"), META),
        _p("、".join(report.posts) or _("本季度没有认领岗位"), BODY),
        Spacer(1, 3 * mm),
        Paragraph(_("参加活动和服务"), META),
    ]
    lines = [[_p(_("日期")), _p(_("内容")), _p(_("时长（小时）"))]]
    for row in report.activities[:MAX_LINES]:
        lines.append([_p(row["date"]), _p(row["content"]), _p(hours_text(row["minutes"]))])
    if len(lines) == 1:
        lines.append([_p("—"), _p(_("本季度没有服务记录")), _p("0")])
    story += [
        Table(lines, colWidths=[28 * mm, None, 28 * mm], style=grid, repeatRows=1),
        Spacer(1, 5 * mm),
        Paragraph(_("社区评价：%(g)s") % {"g": report.get_grade_display()}, BODY),
        _p(report.comment or "", BODY),
        Spacer(1, 10 * mm),
        Table(
            [
                [
                    [_qr(verify_url), Paragraph(_("扫码核验本报告"), SMALL)],
                    "",
                    [
                        _p(_("%(c)s党支部") % {"c": community.name}, RIGHT),
                        _p(_date(timezone.localtime(report.evaluated_at).date()), RIGHT),
                    ],
                ]
            ],
            colWidths=[40 * mm, None, 70 * mm],
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]),
        ),
    ]
    doc.build(story)
    return out.getvalue()
