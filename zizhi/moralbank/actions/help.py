"""Neighbour help ("I for all"): a resident records help they gave a neighbour; the neighbour
confirms it. Confirmed, it is a service record (the honour book) attested by the neighbour, and
it is credited like any deposit: a pending service credit of the community's branch for its
clerk to approve (deposits.credit_records)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.associations.actions.records import announce, record_number
from zizhi.associations.models import RecordKind, ServiceCategory, ServiceRecord
from zizhi.audit.log import record

from ..models import Help, HelpStatus
from .ledger import refuse

MAX_MINUTES = 8 * 60
MAX_AGE_DAYS = 30
ORGANISER = "邻里互助"


def _check(helper, neighbour, minutes, service_date, content) -> str:
    if neighbour.pk == helper.pk:
        refuse(_("不能给自己记录互助"))
    if neighbour.community_id != helper.community_id:
        refuse(_("只能记录对本社区邻居的帮助"))
    if helper.household_id is not None and helper.household_id == neighbour.household_id:
        refuse(_("家人之间的帮助不计入邻里互助"))
    if not isinstance(minutes, int) or not 0 < minutes <= MAX_MINUTES:
        refuse(_("时长须在 1 分钟到 8 小时之间"))
    today = timezone.localdate()
    if service_date > today or service_date < today - datetime.timedelta(days=MAX_AGE_DAYS):
        refuse(_("帮助日期须在最近 30 天内，且不能晚于今天"))
    content = (content or "").strip()
    if not content:
        refuse(_("请写明帮了什么，例如：陪同就医、代买药品"))
    return content[:200]


def do_record_help(helper, neighbour, *, actor, minutes: int, service_date, content: str) -> Help:
    if helper.user_id != actor.pk:
        raise PermissionDenied
    content = _check(helper, neighbour, minutes, service_date, content)
    with transaction.atomic():
        help_ = Help.objects.create(
            community_id=helper.community_id,
            helper=helper,
            neighbour=neighbour,
            minutes=minutes,
            service_date=service_date,
            content=content,
        )
        record(
            actor,
            "moralbank.record_help",
            help_,
            community=helper.community,
            after={"neighbour": neighbour.name, "minutes": minutes, "content": content},
        )
    return help_


def _pending(help_: Help, actor) -> Help:
    if help_.neighbour.user_id != actor.pk:
        raise PermissionDenied
    locked = Help.objects.select_for_update().get(pk=help_.pk)
    if locked.status != HelpStatus.PENDING:
        refuse(_("这条互助记录已处理"))
    return locked


def do_confirm_help(help_: Help, *, actor) -> Help:
    """The neighbour confirms: a service record is written and the credit requested."""
    with transaction.atomic():
        locked = _pending(help_, actor)
        helper = locked.helper
        service_record = ServiceRecord.objects.create(
            number=record_number(helper.community.code, locked.service_date.year),
            resident=helper,
            community_id=helper.community_id,
            kind=RecordKind.ORIGINAL,
            service_date=locked.service_date,
            minutes=locked.minutes,
            category=ServiceCategory.OTHER,
            content=locked.content,
            organiser=ORGANISER,
            attested_by=actor,
        )
        locked.status = HelpStatus.CONFIRMED
        locked.service_record = service_record
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "service_record", "decided_at"])
        record(
            actor,
            "moralbank.confirm_help",
            locked,
            community=helper.community,
            after={"record": service_record.number, "minutes": locked.minutes},
        )
        announce([service_record], actor)
    return locked


def do_decline_help(help_: Help, *, actor, reason: str = "") -> Help:
    with transaction.atomic():
        locked = _pending(help_, actor)
        locked.status = HelpStatus.DECLINED
        locked.reason = reason.strip()[:500]
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_at"])
        record(
            actor,
            "moralbank.decline_help",
            locked,
            community=locked.community,
            after={"reason": locked.reason},
        )
    return locked
