"""Changes in mediation. Each checks permission (access.py) and rules, changes rows and
writes one audit event. Status moves go through models.check_move (the one table)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.registry.models import Building, Community, Resident

from . import access
from .conflicts import conflict_reason
from .models import (
    CaseCounter,
    CaseKind,
    CaseParty,
    CaseStatus,
    FollowUp,
    MediationCase,
    MediationLead,
    MediationSettings,
    MediatorAssignment,
    Referral,
    Session,
    Side,
    Source,
    check_move,
)

MAX_TEXT = 5000


def _summary(case: MediationCase) -> dict:
    # no names and no contents: the audit log is read by more people than the case
    return {"number": case.number, "kind": case.kind, "status": case.status}


def _text(value, message, limit=MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    if len(value) > limit:
        raise ValidationError(_("内容太长，不能超过 %(n)d 个字") % {"n": limit})
    return value


def _lock(case: MediationCase) -> None:
    """Lock the case's row for this transaction and read it afresh (the caller's instance
    may be stale; two people may act on it at once)."""
    MediationCase.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    case.refresh_from_db()


def _move(case: MediationCase, new: str) -> str:
    old = case.status
    check_move(old, new)
    case.status = new
    return old


def _next_number(community: Community, year: int) -> str:
    counter, _new = CaseCounter.objects.select_for_update().get_or_create(
        community=community, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{community.code}调{year}-{counter.last:04d}"


def _party(community: Community, side: str, name, phone, building="", address="") -> CaseParty:
    """A party: the community's registry resident with this phone number, or an outside
    person by name and phone (with the building named, when it is one of the community's)."""
    name, phone = (name or "").strip(), (phone or "").strip()
    building, address = (building or "").strip(), (address or "").strip()
    resident = None
    if phone:
        resident = (
            Resident.objects.filter(community=community, phone=phone)
            .select_related("household__building")
            .first()
        )
    if resident is not None and name and name != resident.name:
        resident = None  # the phone number is somebody else's: keep the person as named
    if resident is not None:
        house = resident.household
        return CaseParty(
            side=side,
            resident=resident,
            name=resident.name,
            phone=resident.phone,
            building=house.building if house else None,
            address=address or (f"{house.building.name}{house.door}" if house else ""),
        )
    if not name:
        raise ValidationError(_("请填写当事人姓名"))
    found = (
        Building.objects.filter(community=community, name=building).first() if building else None
    )
    return CaseParty(
        side=side,
        name=name[:50],
        phone=phone[:20],
        building=found,
        address=(address or building)[:200],
    )


def _create(community, *, kind, description, parties, source, actor) -> MediationCase:
    if kind not in CaseKind.values:
        raise ValidationError(_("请选择纠纷类型"))
    description = _text(description, _("请写明事情经过"))
    sides = {p.side for p in parties}
    if Side.APPLICANT not in sides or Side.RESPONDENT not in sides:
        raise ValidationError(_("请填写双方当事人"))
    with transaction.atomic():
        case = MediationCase.objects.create(
            community=community,
            number=_next_number(community, timezone.localdate().year),
            kind=kind,
            source=source,
            description=description,
            registered_by=actor,
        )
        for party in parties:
            party.case = case
        CaseParty.objects.bulk_create(parties)
        record(actor, "mediation.register", case, community=community, after=_summary(case))
    return case


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


def do_assign_mediator(case: MediationCase, resident: Resident, *, actor) -> MediatorAssignment:
    """The lead assigns a member of a legal-service association, after the conflict check."""
    from .conflicts import candidates

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
    actor,
) -> Session:
    _require_mediating(case, actor)
    if held_on is None or held_on > timezone.localdate():
        raise ValidationError(_("请填写调解日期（不能晚于今天）"))
    place = _text(place, _("请填写地点"), 100)
    notes = _text(notes, _("请填写调解记录"))
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
            case=case, held_on=held_on, place=place, notes=notes, recorded_by=actor
        )
        session.mediators.set(present)
        record(
            actor,
            "mediation.session",
            case,
            community=case.community,
            before={"status": before},
            after={**_summary(case), "session": session.pk},
        )
    return session


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
