"""What the Party desk holds about a resident: their Party member record, report-in, posts
claimed, quarterly reports, care visits (see registry/personal_data.py for the contract)."""

from django.utils.translation import gettext as _

from zizhi.registry.personal_data import scrub, section

from .models import CareVisit, PartyMember, PostClaim, QuarterlyReport, ReportIn


def export(resident) -> list[dict]:
    members = list(PartyMember.objects.filter(resident=resident))
    reports = QuarterlyReport.objects.filter(member__in=members).order_by("quarter")
    claims = PostClaim.objects.filter(member__in=members).select_related("post")
    return [
        section(
            "party_member",
            _("党员信息"),
            [
                ("status", _("类别")),
                ("joined_on", _("入党日期")),
                ("branch", _("所在党组织")),
                ("employer", _("工作单位")),
                ("note", _("备注")),
            ],
            [
                {
                    "status": m.get_status_display(),
                    "joined_on": m.joined_on,
                    "branch": m.get_branch_display(),
                    "employer": m.employer,
                    "note": m.note,
                }
                for m in members
            ],
        ),
        section(
            "report_in",
            _("到社区报到"),
            [
                ("reported_on", _("报到日期")),
                ("skills", _("特长")),
                ("availability", _("服务时间")),
            ],
            list(
                ReportIn.objects.filter(member__in=members).values(
                    "reported_on", "skills", "availability"
                )
            ),
        ),
        section(
            "post_claims",
            _("认领的岗位"),
            [("post", _("岗位")), ("claimed_on", _("认领日期"))],
            [{"post": c.post.title, "claimed_on": c.claimed_on} for c in claims],
        ),
        section(
            "quarterly_reports",
            _("季度报告"),
            [
                ("quarter", _("季度")),
                ("minutes", _("服务分钟")),
                ("grade", _("评定")),
                ("comment", _("评语")),
            ],
            [
                {
                    "quarter": r.quarter,
                    "minutes": r.minutes,
                    "grade": r.get_grade_display() if r.grade else "",
                    "comment": r.comment,
                }
                for r in reports
            ],
        ),
        section(
            "care_visits",
            _("走访慰问"),
            [("visited_on", _("日期")), ("kind", _("类别")), ("needs", _("需求"))],
            [
                {"visited_on": v.visited_on, "kind": v.get_kind_display(), "needs": v.needs}
                for v in CareVisit.objects.filter(member__in=members).order_by("visited_on")
            ],
        ),
    ]


def erase(resident, *, actor) -> int:
    """The member record stays for the branch's counts; employer, notes, skills and the care
    visits' free text go."""
    members = PartyMember.objects.filter(resident=resident)
    changed = scrub(members, [], resident, {"employer": "", "note": ""})
    changed += scrub(
        ReportIn.objects.filter(member__in=members),
        [],
        resident,
        {"skills": "", "availability": ""},
    )
    changed += scrub(PostClaim.objects.filter(member__in=members), ["note"], resident)
    changed += scrub(QuarterlyReport.objects.filter(member__in=members), ["comment"], resident)
    changed += scrub(
        CareVisit.objects.filter(member__in=members),
        ["visitor"],
        resident,
        {"needs": "", "notes": ""},
    )
    return changed
