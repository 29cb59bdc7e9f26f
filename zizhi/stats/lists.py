"""The list behind each of a community's figures: the same filter as figures.py, so the number
of rows is the number on the dashboard. For the community's staff only (views.figure_list)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zizhi.associations.models import (
    AssociationMember,
    ServiceRecord,
    Volunteer,
    VolunteerStatus,
)
from zizhi.governance.models import Matter
from zizhi.governance.workflow import STATES
from zizhi.moralbank.models import Account, AccountKind, EntryKind, EntryStatus, Posting
from zizhi.proposals.models import Suggestion
from zizhi.registry.models import Resident

from .figures import DECIDED_STATES
from .period import Period


@dataclass(frozen=True)
class ListSpec:
    title: str
    columns: list
    rows: Callable  # (community, period) -> queryset
    cells: Callable  # row -> [(text, url or "")]


def _resident_url(resident) -> str:
    return reverse("registry:resident", args=[resident.community.code, resident.pk])


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def _hours(minutes) -> str:
    return f"{(minutes or 0) / 60:.1f}"


def participants(community, period: Period):
    start, end = period.bounds()
    took_part = Q(attendance__check_in_at__gte=start, attendance__check_in_at__lt=end)
    return (
        Resident.objects.filter(took_part, community=community)
        .annotate(times=Count("attendance", filter=took_part))
        .select_related("community")
        .order_by("-times", "name_initials", "pk")
    )


def members(community, period: Period):
    return (
        AssociationMember.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=period.end),
            association__community=community,
            joined_on__lte=period.end,
        )
        .select_related("association", "resident__community")
        .order_by("association__name", "resident__name_initials", "pk")
    )


def volunteers(community, period: Period):
    _, end = period.bounds()
    return (
        Volunteer.objects.filter(
            community=community, status=VolunteerStatus.ACTIVE, registered_at__lt=end
        )
        .select_related("resident__community")
        .order_by("number")
    )


def service(community, period: Period):
    return (
        ServiceRecord.objects.filter(
            community=community, service_date__gte=period.start, service_date__lte=period.end
        )
        .select_related("resident__community")
        .order_by("-service_date", "-pk")
    )


def depositors(community, period: Period):
    _, end = period.bounds()
    return (
        Account.objects.filter(community=community, kind=AccountKind.PERSONAL, created_at__lt=end)
        .select_related("resident__community", "community")
        .order_by("-balance", "pk")
    )


def _postings(kind):
    def rows(community, period: Period):
        start, end = period.bounds()
        return (
            Posting.objects.filter(
                account__community=community,
                account__kind=AccountKind.PERSONAL,
                entry__kind=kind,
                entry__status=EntryStatus.POSTED,
                entry__decided_at__gte=start,
                entry__decided_at__lt=end,
            )
            .select_related("entry", "account__resident__community")
            .order_by("-entry__decided_at", "-pk")
        )

    return rows


def matters(community, period: Period):
    start, end = period.bounds()
    return (
        Matter.objects.filter(community=community, registered_at__gte=start, registered_at__lt=end)
        .select_related("community")
        .order_by("-registered_at", "-pk")
    )


def decided(community, period: Period):
    start, end = period.bounds()
    return (
        Matter.objects.filter(
            community=community,
            steps__to_state__in=DECIDED_STATES,
            steps__at__gte=start,
            steps__at__lt=end,
        )
        .distinct()
        .select_related("community")
        .order_by("-registered_at", "-pk")
    )


def suggestions(community, period: Period):
    start, end = period.bounds()
    return (
        Suggestion.objects.filter(community=community, created_at__gte=start, created_at__lt=end)
        .select_related("community")
        .order_by("-created_at", "-pk")
    )


def _matter_cells(m):
    url = reverse("governance:matter", args=[m.community.code, m.pk])
    return [(m.number, url), (m.title, ""), (str(STATES.get(m.state, m.state)), ""),
            (_date(m.registered_at), "")]  # fmt: skip


def _posting_cells(p):
    r = p.account.resident
    return [(_date(p.entry.decided_at), ""), (r.name, _resident_url(r)), (p.entry.memo, ""),
            (_hours(abs(p.minutes)), "")]  # fmt: skip


def _suggestion_cells(s):
    url = reverse("proposals:staff_detail", args=[s.community.code, s.pk])
    on_time = "" if s.replied_at is None else (_("逾期") if s.late else _("按时"))
    return [(s.number, url), (s.title, ""), (s.get_status_display(), ""), (str(on_time), ""),
            (s.get_rating_display(), "")]  # fmt: skip


LISTS = {
    "participants": ListSpec(
        _("参加活动的居民"), [_("姓名"), _("参加次数")], participants,
        lambda r: [(r.name, _resident_url(r)), (str(r.times), "")],
    ),
    "members": ListSpec(
        _("群团组织会员"), [_("群团组织"), _("姓名"), _("职务"), _("入会日期")], members,
        lambda m: [(m.association.name, ""), (m.resident.name, _resident_url(m.resident)),
                   (m.get_role_display(), ""), (_date(m.joined_on), "")],
    ),
    "volunteers": ListSpec(
        _("在册志愿者"), [_("志愿者编号"), _("姓名"), _("登记日期")], volunteers,
        lambda v: [(v.number, ""), (v.resident.name, _resident_url(v.resident)),
                   (_date(v.registered_at), "")],
    ),
    "service": ListSpec(
        _("志愿服务记录"), [_("服务日期"), _("姓名"), _("服务内容"), _("小时")], service,
        lambda s: [(_date(s.service_date), ""), (s.resident.name, _resident_url(s.resident)),
                   (s.content, ""), (_hours(s.minutes), "")],
    ),
    "depositors": ListSpec(
        _("道德银行储户"), [_("账号"), _("姓名"), _("余额（小时）")], depositors,
        lambda a: [(a.number, ""), (a.resident.name, _resident_url(a.resident)),
                   (_hours(a.balance), "")],
    ),
    "credit": ListSpec(
        _("存入"), [_("入账日期"), _("姓名"), _("摘要"), _("小时")],
        _postings(EntryKind.SERVICE_CREDIT), _posting_cells,
    ),
    "redeemed": ListSpec(
        _("兑换"), [_("入账日期"), _("姓名"), _("摘要"), _("小时")],
        _postings(EntryKind.REDEMPTION), _posting_cells,
    ),
    "matters": ListSpec(
        _("登记的重大事项"), [_("编号"), _("事项名称"), _("当前环节"), _("登记日期")], matters,
        _matter_cells,
    ),
    "decided": ListSpec(
        _("作出决定的事项"), [_("编号"), _("事项名称"), _("当前环节"), _("登记日期")], decided,
        _matter_cells,
    ),
    "suggestions": ListSpec(
        _("收到的建议"), [_("编号"), _("标题"), _("状态"), _("答复"), _("评价")], suggestions,
        _suggestion_cells,
    ),
}  # fmt: skip
