"""The A4 certificate of volunteer service: facts, issuer, date, number and a QR code to the
public verification page (reportlab with the built-in CID font, as the notice sheets)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zizhi.notices.pdf import BODY, META, RIGHT, SMALL, TITLE, _date, _qr, _text

from .actions.certificates import hours_text
from .models import Certificate


def render_certificate_pdf(cert: Certificate, verify_url: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=30 * mm,
        bottomMargin=20 * mm,
        title=_("志愿服务证明"),
        author=cert.issuer,
    )
    text = _(
        "兹证明 %(name)s（身份证号 %(id)s，志愿者编号 %(no)s）于 %(from)s 至 %(to)s 期间参加志愿服务，"
        "经组织方记录并认定，累计志愿服务时长 %(hours)s 小时。服务内容：%(content)s。"
    ) % {
        "name": cert.name,
        "id": cert.id_number_masked,
        "no": cert.volunteer_number,
        "from": _date(cert.period_from),
        "to": _date(cert.period_to),
        "hours": hours_text(cert.minutes),
        "content": cert.content,
    }
    footer = Table(
        [
            [
                [_qr(verify_url), Paragraph(_("扫码核验本证明"), SMALL)],
                "",
                [
                    Paragraph(_text(cert.issuer), RIGHT),
                    Paragraph(_date(cert.issued_at.date()), RIGHT),
                ],
            ]
        ],
        colWidths=[40 * mm, None, 70 * mm],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]),
    )
    story = [
        Paragraph(_("志愿服务证明"), TITLE),
        Paragraph(_("证明编号：%(n)s") % {"n": cert.number}, RIGHT),
        Spacer(1, 8 * mm),
        Paragraph(_text(text), BODY),
        Spacer(1, 6 * mm),
        Paragraph(_("本证明依据《志愿服务记录与证明出具办法（试行）》出具。"), META),
        Spacer(1, 25 * mm),
        footer,
    ]
    doc.build(story)
    return out.getvalue()
