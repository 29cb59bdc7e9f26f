"""The Excel export of a period's suggestions with their handling, for the subdistrict's
monthly report. Every cell is written as text, formula-safe (a cell starting with = + - @
gets a leading ')."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.registry.models import Community, Subdistrict
from zizhi.registry.spreadsheets import write_xlsx

from .models import Suggestion

MAX_ROWS = 200_000


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return since, until


def _local(value):
    return timezone.localtime(value) if value else None


def _handler(s) -> str:
    for who in (s.handler_body, s.handler_unit):
        if who is not None:
            return who.name
    if s.handler_user is not None:
        return s.handler_user.name or s.handler_user.phone
    return ""


def suggestions_xlsx(scope, start: datetime.date, end: datetime.date, *, actor) -> bytes:
    """The suggestions filed from `start` to `end` (inclusive) of a community or of every
    community of a subdistrict. Staff of the community, or the subdistrict's administrators."""
    access = access_for(actor)
    if isinstance(scope, Community):
        if scope.pk not in access.community_ids:
            raise PermissionDenied
        qs = Suggestion.objects.filter(community=scope)
        audit = {"community": scope}
    elif isinstance(scope, Subdistrict):
        if scope.pk not in access.subdistrict_ids:
            raise PermissionDenied
        qs = Suggestion.objects.filter(community__subdistrict=scope)
        audit = {"subdistrict": scope}
    else:
        raise TypeError("a Community or a Subdistrict")
    since, until = _bounds(start, end)
    qs = (
        qs.filter(created_at__gte=since, created_at__lt=until)
        .select_related(
            "community", "building", "resident", "handler_user", "handler_body", "handler_unit"
        )
        .order_by("community__code", "created_at", "pk")
    )
    today = timezone.localdate()
    header = [
        _("社区"),
        _("编号"),
        _("登记时间"),
        _("登记方式"),
        _("类别"),
        _("标题"),
        _("内容"),
        _("楼栋"),
        _("居民"),
        _("状态"),
        _("受理期限"),
        _("受理时间"),
        _("承办方"),
        _("答复期限"),
        _("答复时间"),
        _("答复"),
        _("不予受理的理由"),
        _("评价"),
        _("重新办理"),
        _("附议人数"),
        _("超期"),
        _("办结时间"),
    ]
    yes, no = _("是"), _("否")

    def rows():
        for s in qs.iterator(chunk_size=2000):
            yield [
                s.community.name,
                s.number,
                _local(s.created_at),
                s.get_channel_display(),
                s.get_category_display(),
                s.title,
                s.text,
                s.building.name if s.building else "",
                s.resident.name,
                s.get_status_display(),
                s.accept_due,
                _local(s.accepted_at),
                _handler(s),
                s.reply_due,
                _local(s.replied_at),
                s.reply,
                s.decline_reason,
                s.get_rating_display() if s.rating else "",
                yes if s.reopened else no,
                s.support_count,
                yes if (s.late or s.overdue_on(today)) else no,
                _local(s.closed_at),
            ]

    data = write_xlsx(
        _("居民建议"),
        header,
        rows(),
        note=_("居民建议办理情况 %(a)s 至 %(b)s") % {"a": start.isoformat(), "b": end.isoformat()},
        widths=[12, 16, 17, 10, 10, 30, 40, 8, 10, 10, 12, 17, 16, 12, 17, 40, 30, 10, 8, 8, 6, 17],
    )
    with transaction.atomic():
        record(
            actor,
            "suggestion.export",
            scope,
            **audit,
            extra={"start": start.isoformat(), "end": end.isoformat()},
        )
    return data
