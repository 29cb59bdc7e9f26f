"""What notices hold about a resident: their objections to notices (see
registry/personal_data.py for the contract)."""

from django.utils.translation import gettext as _

from zizhi.registry.personal_data import scrub, section

from .models import Objection


def export(resident) -> list[dict]:
    rows = Objection.objects.filter(resident=resident).select_related("notice").order_by("id")
    return [
        section(
            "objections",
            _("对公示的异议"),
            [
                ("notice", _("公示")),
                ("text", _("异议")),
                ("created_at", _("提出时间")),
                ("answer", _("答复")),
                ("answered_at", _("答复时间")),
            ],
            [
                {
                    "notice": o.notice.title,
                    "text": o.text,
                    "created_at": o.created_at,
                    "answer": o.answer,
                    "answered_at": o.answered_at,
                }
                for o in rows
            ],
        )
    ]


def erase(resident, *, actor) -> int:
    return scrub(Objection.objects.filter(resident=resident), ["text", "answer"], resident)
