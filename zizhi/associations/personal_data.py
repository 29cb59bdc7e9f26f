"""What associations hold about a resident: volunteer registration, association memberships,
sign-ups, attendance, service records and hours, certificates, correction requests (see
registry/personal_data.py for the contract).

Service records are append-only (a PostgreSQL trigger): an erasure keeps them as they are,
hours and all, under the resident's row (which is pseudonymised); their text names the
activity's organiser, not the volunteer."""

from django.utils.translation import gettext as _

from zizhi.registry.personal_data import pseudonym, scrub, section

from .models import (
    AssociationMember,
    Attendance,
    Certificate,
    CorrectionRequest,
    ServiceRecord,
    SignUp,
    Volunteer,
)


def export(resident) -> list[dict]:
    volunteer = Volunteer.objects.filter(resident=resident).first()
    members = AssociationMember.objects.filter(resident=resident).select_related("association")
    signups = SignUp.objects.filter(resident=resident).select_related("activity").order_by("id")
    attended = Attendance.objects.filter(resident=resident).select_related("activity")
    records = ServiceRecord.objects.filter(resident=resident).order_by("service_date", "id")
    certificates = Certificate.objects.filter(resident=resident).order_by("issued_at")
    corrections = CorrectionRequest.objects.filter(resident=resident).select_related("record")
    return [
        section(
            "volunteer",
            _("志愿者登记"),
            [
                ("number", _("志愿者编号")),
                ("status", _("状态")),
                ("skills", _("技能特长")),
                ("availability", _("可服务时间")),
                ("emergency_name", _("紧急联系人")),
                ("emergency_phone", _("紧急联系电话")),
                ("registered_at", _("登记时间")),
            ],
            [
                {
                    "number": volunteer.number,
                    "status": volunteer.get_status_display(),
                    "skills": volunteer.skills,
                    "availability": volunteer.availability,
                    "emergency_name": volunteer.emergency_name,
                    "emergency_phone": volunteer.emergency_phone,
                    "registered_at": volunteer.registered_at,
                }
            ]
            if volunteer
            else [],
        ),
        section(
            "association_memberships",
            _("协会会员"),
            [
                ("association", _("协会")),
                ("role", _("身份")),
                ("joined_on", _("入会日期")),
                ("left_on", _("退出日期")),
            ],
            [
                {
                    "association": m.association.name,
                    "role": m.get_role_display(),
                    "joined_on": m.joined_on,
                    "left_on": m.left_on,
                }
                for m in members
            ],
        ),
        section(
            "signups",
            _("活动报名"),
            [("activity", _("活动")), ("status", _("状态")), ("at", _("报名时间"))],
            [
                {"activity": s.activity.title, "status": s.get_status_display(), "at": s.created_at}
                for s in signups
            ],
        ),
        section(
            "attendance",
            _("活动签到"),
            [
                ("activity", _("活动")),
                ("check_in_at", _("签到时间")),
                ("check_out_at", _("签退时间")),
                ("minutes", _("分钟")),
            ],
            [
                {
                    "activity": a.activity.title,
                    "check_in_at": a.check_in_at,
                    "check_out_at": a.check_out_at,
                    "minutes": a.minutes,
                }
                for a in attended
            ],
        ),
        section(
            "service_records",
            _("志愿服务记录"),
            [
                ("number", _("记录编号")),
                ("date", _("服务日期")),
                ("minutes", _("服务时长（分钟）")),
                ("category", _("服务类别")),
                ("content", _("服务内容")),
                ("organiser", _("组织方")),
            ],
            [
                {
                    "number": r.number,
                    "date": r.service_date,
                    "minutes": r.minutes,
                    "category": r.get_category_display(),
                    "content": r.content,
                    "organiser": r.organiser,
                }
                for r in records
            ],
        ),
        section(
            "certificates",
            _("志愿服务证明"),
            [
                ("number", _("证明编号")),
                ("period", _("期间")),
                ("minutes", _("服务时长（分钟）")),
                ("issued_at", _("出具时间")),
            ],
            [
                {
                    "number": c.number,
                    "period": f"{c.period_from.isoformat()} ~ {c.period_to.isoformat()}",
                    "minutes": c.minutes,
                    "issued_at": c.issued_at,
                }
                for c in certificates
            ],
        ),
        section(
            "record_corrections",
            _("服务时长更正申请"),
            [
                ("record", _("记录编号")),
                ("claimed_minutes", _("应为（分钟）")),
                ("reason", _("理由")),
                ("status", _("状态")),
                ("answer", _("答复")),
            ],
            [
                {
                    "record": c.record.number,
                    "claimed_minutes": c.claimed_minutes,
                    "reason": c.reason,
                    "status": c.get_status_display(),
                    "answer": c.answer,
                }
                for c in corrections
            ],
        ),
    ]


def erase(resident, *, actor) -> int:
    """Hours and records stay; the volunteer's contact details, the certificates' name and ID
    number, and free text naming them go."""
    changed = scrub(
        Volunteer.objects.filter(resident=resident),
        [],
        resident,
        {"skills": "", "availability": "", "emergency_name": "", "emergency_phone": ""},
    )
    changed += scrub(
        Certificate.objects.filter(resident=resident),
        ["content"],
        resident,
        {"name": pseudonym(resident), "id_number_masked": ""},
    )
    changed += scrub(Attendance.objects.filter(resident=resident), ["note"], resident)
    changed += scrub(
        CorrectionRequest.objects.filter(resident=resident), ["reason", "answer"], resident
    )
    return changed
