"""Registering cases (a worker's walk-in, a resident's request), the lead and the
community's settings, withdrawal. Each checks permission (access.py) and rules, changes rows
and writes one audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.registry.models import Community, Resident

from .. import access
from ..models import CaseStatus, MediationCase, MediationLead, MediationSettings, Side, Source
from .common import _create, _lock, _move, _party, _summary, _text


def do_register_case(
    community: Community, *, kind: str, description: str, parties: list[dict], actor
) -> MediationCase:
    """A worker (or the lead) registers a walk-in case with its parties: a list of dicts
    side, name, phone, building, address."""
    if not access.can_register_for(actor, community.pk):
        raise PermissionDenied(_("您不能为这个社区登记调解案件"))
    rows = [p for p in parties if (p.get("name") or p.get("phone") or "").strip()]
    built = [
        _party(
            community,
            p.get("side") if p.get("side") in Side.values else Side.RESPONDENT,
            p.get("name"),
            p.get("phone"),
            p.get("building", ""),
            p.get("address", ""),
        )
        for p in rows
    ]
    return _create(
        community,
        kind=kind,
        description=description,
        parties=built,
        source=Source.WORKER,
        actor=actor,
    )


def do_apply_case(
    *,
    kind: str,
    description: str,
    other_name: str,
    other_building: str = "",
    other_phone: str = "",
    actor,
) -> MediationCase:
    """A resident asks for mediation as a party: the case of their community arrives as
    "registered" for the lead to take on."""
    me = access_for(actor)
    if me.resident_id is None:
        raise PermissionDenied(_("只有登记在册的居民可以申请调解"))
    resident = Resident.objects.select_related("household__building", "community").get(
        pk=me.resident_id
    )
    community = resident.community
    mine = _party(community, Side.APPLICANT, resident.name, resident.phone)
    if not (other_name or "").strip():
        raise ValidationError(_("请填写对方的姓名或称呼"))
    other = _party(community, Side.RESPONDENT, other_name, other_phone, other_building)
    if other.resident_id == resident.pk:
        raise ValidationError(_("对方不能是您自己"))
    return _create(
        community,
        kind=kind,
        description=description,
        parties=[mine, other],
        source=Source.PARTY,
        actor=actor,
    )


def do_appoint_lead(community: Community, user, *, actor, started_on=None) -> MediationLead:
    """The community's staff appoint the mediation lead; the previous one's term ends."""
    if not access.is_staff_of(actor, community.pk):
        raise PermissionDenied(_("只有本社区工作人员可以指定调解负责人"))
    if user is None or not user.is_active:
        raise ValidationError(_("请选择调解负责人"))
    today = timezone.localdate()
    started_on = started_on or today
    with transaction.atomic():
        current = MediationLead.objects.select_for_update().filter(
            community=community, ended_on__isnull=True
        )
        before = list(current.values_list("user_id", flat=True))
        current.update(ended_on=started_on)
        lead = MediationLead.objects.create(
            community=community, user=user, started_on=started_on, appointed_by=actor
        )
        record(
            actor,
            "mediation.appoint_lead",
            lead,
            community=community,
            before={"lead": before},
            after={"lead": user.pk, "started_on": started_on.isoformat()},
        )
    return lead


def do_set_follow_up_days(community: Community, days, *, actor) -> MediationSettings:
    if not (access.is_staff_of(actor, community.pk) or access.is_lead(actor, community.pk)):
        raise PermissionDenied(_("您不能修改这个社区的调解设置"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        raise ValidationError(_("回访间隔应在 1 到 365 天之间"))
    with transaction.atomic():
        row, _new = MediationSettings.objects.get_or_create(community=community)
        before = row.follow_up_days
        row.follow_up_days = days
        row.save()
        record(
            actor,
            "mediation.settings",
            row,
            community=community,
            before={"follow_up_days": before},
            after={"follow_up_days": days},
        )
    return row


def do_withdraw_case(case: MediationCase, *, reason: str, actor) -> MediationCase:
    """The lead, a mediator or a party withdraws the case before an outcome."""
    if not access.can_withdraw(actor, case):
        raise PermissionDenied(_("您不能撤回这个案件"))
    reason = _text(reason, _("请写明撤回原因"), 200)
    with transaction.atomic():
        _lock(case)
        before = _move(case, CaseStatus.WITHDRAWN)
        case.withdrawn_reason = reason
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "withdrawn_reason", "closed_at"])
        record(
            actor,
            "mediation.withdraw",
            case,
            community=case.community,
            before={"status": before},
            after=_summary(case),
        )
    return case
