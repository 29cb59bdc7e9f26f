"""Mediating a case: assigning mediators after the conflict check, their answer, sessions,
the outcome and the follow-up. Each checks permission (access.py) and rules, changes rows
and writes one audit event; status moves go through models.check_move."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.registry.models import Resident

from .. import access
from ..conflicts import candidates, conflict_reason
from ..models import (
    CaseStatus,
    FollowUp,
    MediationCase,
    MediationSettings,
    MediatorAssignment,
    Referral,
    Session,
)
from .common import MAX_TEXT, _lock, _move, _summary, _text


def do_assign_mediator(case: MediationCase, resident: Resident, *, actor) -> MediatorAssignment:
    """The lead assigns a member of a legal-service association, after the conflict check."""
    if not access.is_lead(actor, case.community_id):
        raise PermissionDenied(_("只有本社区的调解负责人可以指派调解员"))
    found = next((c for c in candidates(case) if c.resident.pk == resident.pk), None)
    if found is None:
        raise ValidationError(_("只能指派服务本社区的法律服务协会会员"))
    reason = conflict_reason(case, found.resident) or found.reason
    if reason:
        raise ValidationError(
            _("不能指派%(name)s：%(reason)s") % {"name": found.resident.name, "reason": reason}
        )
    try:
        with transaction.atomic():
            _lock(case)
            if not case.is_open:
                raise ValidationError(_("案件已有结果或已撤回，不能再指派调解员"))
            item = MediatorAssignment.objects.create(
                case=case, user=found.resident.user, resident=found.resident, assigned_by=actor
            )
            record(
                actor,
                "mediation.assign",
                case,
                community=case.community,
                after={**_summary(case), "mediator": found.resident.user_id},
            )
    except IntegrityError as exc:
        raise ValidationError(_("这位调解员已经指派过了")) from exc
    return item


def do_respond_assignment(
    item: MediatorAssignment, *, accept: bool, reason: str = "", actor
) -> MediatorAssignment:
    """The mediator accepts or declines; the first acceptance moves the case to "assigned"."""
    if item.user_id != getattr(actor, "pk", None) or item.declined_at or item.accepted_at:
        raise PermissionDenied(_("这项指派不需要您确认"))
    now = timezone.now()
    with transaction.atomic():
        case = item.case
        _lock(case)
        if not case.is_open:
            raise ValidationError(_("案件已有结果或已撤回"))
        before = case.status
        if accept:
            item.accepted_at = now
            if case.status == CaseStatus.REGISTERED:
                _move(case, CaseStatus.ASSIGNED)
                case.save(update_fields=["status"])
        else:
            item.declined_at = now
            item.decline_reason = _text(reason, _("请写明不接受的原因"), 200)
        item.save()
        record(
            actor,
            "mediation.accept" if accept else "mediation.decline",
            case,
            community=case.community,
            before={"status": before},
            after=_summary(case),
        )
    return item


def _require_mediating(case: MediationCase, actor) -> None:
    """The lead, or a mediator who accepted the case."""
    if access.is_lead(actor, case.community_id):
        return
    item = access.assignment_of(actor, case)
    if item is None or item.accepted_at is None:
        raise PermissionDenied(_("只有接受指派的调解员或调解负责人可以办理"))


def do_record_session(
    case: MediationCase,
    *,
    held_on: datetime.date,
    place: str,
    notes: str,
    mediator_ids=(),
    minutes: int = 0,
    actor,
) -> Session:
    _require_mediating(case, actor)
    if held_on is None or held_on > timezone.localdate():
        raise ValidationError(_("请填写调解日期（不能晚于今天）"))
    place = _text(place, _("请填写地点"), 100)
    notes = _text(notes, _("请填写调解记录"))
    if not 0 <= (minutes or 0) <= 600:
        raise ValidationError(_("调解时长应在 0 到 600 分钟之间"))
    present = set(
        case.assignments.filter(
            accepted_at__isnull=False, declined_at__isnull=True, user_id__in=list(mediator_ids)
        ).values_list("user_id", flat=True)
    )
    with transaction.atomic():
        _lock(case)
        if case.status not in (CaseStatus.ASSIGNED, CaseStatus.IN_MEDIATION):
            raise ValidationError(_("案件须先指派调解员并有人接受，才能记录调解"))
        before = case.status
        if case.status == CaseStatus.ASSIGNED:
            _move(case, CaseStatus.IN_MEDIATION)
            case.save(update_fields=["status"])
        session = Session.objects.create(
            case=case,
            held_on=held_on,
            place=place,
            notes=notes,
            minutes=minutes or 0,
            recorded_by=actor,
        )
        session.mediators.set(present)
        _service_records(case, session, present, actor)
        record(
            actor,
            "mediation.session",
            case,
            community=case.community,
            before={"status": before},
            after={**_summary(case), "session": session.pk},
        )
    return session


def _service_records(case, session, present, actor) -> None:
    """A session with a duration counts as volunteer service (法律服务) of each mediator
    present, as the Moral Bank's neighbourly help does (moralbank/actions/help.py); the
    record names no party and tells nothing of the case."""
    from zizhi.associations.actions.records import announce, record_number
    from zizhi.associations.models import RecordKind, ServiceCategory, ServiceRecord

    if not session.minutes or not present:
        return
    records = [
        ServiceRecord.objects.create(
            number=record_number(item.resident.community.code, session.held_on.year),
            resident=item.resident,
            community_id=item.resident.community_id,
            kind=RecordKind.ORIGINAL,
            service_date=session.held_on,
            minutes=session.minutes,
            category=ServiceCategory.LEGAL,
            content=_("人民调解"),
            organiser=_("%(c)s人民调解委员会") % {"c": case.community.name},
            attested_by=actor,
        )
        for item in case.assignments.filter(user_id__in=present).select_related(
            "resident__community"
        )
    ]
    announce(records, actor)


def do_record_outcome(
    case: MediationCase,
    *,
    agreed: bool,
    facts: str,
    terms: str = "",
    performance_deadline: datetime.date | None = None,
    referral_to: str = "",
    referral_note: str = "",
    actor,
) -> MediationCase:
    """Agreement reached (facts, terms, deadline) or not (referral); the follow-up is due
    after the community's interval."""
    _require_mediating(case, actor)
    if not case.sessions.exists():
        raise ValidationError(_("请先记录至少一次调解"))
    facts = _text(facts, _("请填写纠纷事实及争议"))
    today = timezone.localdate()
    if agreed:
        terms = _text(terms, _("请填写协议内容"))
        if performance_deadline is None or performance_deadline < today:
            raise ValidationError(_("请填写履行期限（不早于今天）"))
        referral_to, referral_note = "", ""
    else:
        if referral_to not in Referral.values:
            raise ValidationError(_("请选择引导当事人去哪里解决"))
        referral_note = (referral_note or "").strip()[:MAX_TEXT]
        terms, performance_deadline = "", None
    with transaction.atomic():
        _lock(case)
        before = _move(case, CaseStatus.AGREED if agreed else CaseStatus.NOT_AGREED)
        case.outcome_on = today
        case.facts, case.terms = facts, terms
        case.performance_deadline = performance_deadline
        case.referral_to, case.referral_note = referral_to, referral_note
        case.save()
        days = MediationSettings.follow_up_days_for(case.community_id)
        FollowUp.objects.create(case=case, due_on=today + datetime.timedelta(days=days))
        record(
            actor,
            "mediation.outcome",
            case,
            community=case.community,
            before={"status": before},
            after=_summary(case),
        )
    return case


def do_record_follow_up(case: MediationCase, *, kept: bool | None, note: str, actor):
    """The follow-up visit (kept / not kept, note) closes the case."""
    _require_mediating(case, actor)
    note = _text(note, _("请填写回访情况"))
    with transaction.atomic():
        _lock(case)
        before = _move(case, CaseStatus.CLOSED)
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closed_at"])
        FollowUp.objects.filter(case=case).update(
            done_on=timezone.localdate(), kept=kept, note=note, recorded_by=actor
        )
        record(
            actor,
            "mediation.follow_up",
            case,
            community=case.community,
            before={"status": before},
            after={**_summary(case), "kept": kept},
        )
    return case
