"""Attestation of an activity's hours, the service records it writes, and corrections.

"Whoever organises records, whoever records certifies": the organiser attests the minutes of
each attendee (never more than the attendance gives); where the community asks for four eyes,
a second organiser (not the attester) approves. Only then are ServiceRecords written. A record
is never changed: a correction is a reversal of the old record and an addition of the right
minutes, linked to it and to the volunteer's request.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.accounts.access import access_for
from zizhi.audit.log import record

from ..access import can_organise
from ..models import (
    Activity,
    ActivityStatus,
    Attestation,
    AttestationStatus,
    CorrectionRequest,
    CorrectionStatus,
    RecordKind,
    ServiceRecord,
    VolunteerRules,
    star_level,
)
from ..signals import service_records_written
from .common import next_number, require, scope_of

MAX_TEXT = 2000


def _require_organiser(actor, activity) -> None:
    if not can_organise(actor, activity):
        raise PermissionDenied(_("您不能认定这个活动的服务时长"))


def organiser_label(activity: Activity) -> str:
    return str(activity.organiser)


def do_attest(activity: Activity, *, actor, minutes: dict[int, int] | None = None) -> Attestation:
    """The organiser attests the hours of an ended volunteer activity. `minutes` may lower a
    resident's computed minutes (resident id -> minutes); it never raises them. Every
    attendee needs a check-out first."""
    _require_organiser(actor, activity)
    minutes = minutes or {}
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        require(locked.is_volunteer_service, _("这个活动不计入志愿服务时长"))
        require(locked.status == ActivityStatus.ENDED, _("请先结束签到，再认定服务时长"))
        require(
            not locked.attestations.filter(
                status__in=[AttestationStatus.PENDING, AttestationStatus.APPROVED]
            ).exists(),
            _("这个活动的服务时长已经提交认定"),
        )
        rows = list(locked.attendance.select_related("resident"))
        missing = [a.resident.name for a in rows if a.check_out_at is None]
        require(not missing, _("以下人员缺少签退，请先补录：%(n)s") % {"n": "、".join(missing)})
        lines = []
        for a in rows:
            given = minutes.get(a.resident_id, a.minutes)
            require(
                isinstance(given, int) and 0 <= given <= a.minutes,
                _("%(n)s 的认定时长不能超过签到签退时长（%(m)s 分钟）")
                % {"n": a.resident.name, "m": a.minutes},
            )
            lines.append({"resident": a.resident_id, "attendance": a.pk, "minutes": given})
        require(any(line["minutes"] for line in lines), _("没有可认定的服务时长"))
        four_eyes = VolunteerRules.for_community(locked.community_id).four_eyes
        attestation = Attestation.objects.create(
            activity=locked,
            status=AttestationStatus.PENDING if four_eyes else AttestationStatus.APPROVED,
            lines=lines,
            attested_by=actor,
        )
        record(
            actor,
            "associations.attest",
            attestation,
            **scope_of(locked),
            after={"activity": locked.pk, "lines": len(lines), "four_eyes": four_eyes},
        )
        if not four_eyes:
            attestation.decided_at = timezone.now()
            attestation.save(update_fields=["decided_at"])
            _write_records(attestation, locked, approver=None)
    return attestation


def do_approve_attestation(attestation: Attestation, *, actor) -> Attestation:
    activity = attestation.activity
    _require_organiser(actor, activity)
    require(actor.pk != attestation.attested_by_id, _("认定人本人不能审核，请由另一位组织者审核"))
    with transaction.atomic():
        attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
        require(attestation.status == AttestationStatus.PENDING, _("这份认定已经处理过了"))
        attestation.status = AttestationStatus.APPROVED
        attestation.approved_by = actor
        attestation.decided_at = timezone.now()
        attestation.save(update_fields=["status", "approved_by", "decided_at"])
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        record(actor, "associations.approve_attestation", attestation, **scope_of(locked))
        _write_records(attestation, locked, approver=actor)
    return attestation


def do_return_attestation(attestation: Attestation, *, actor, reason: str) -> Attestation:
    _require_organiser(actor, attestation.activity)
    require(actor.pk != attestation.attested_by_id, _("认定人本人不能审核，请由另一位组织者审核"))
    reason = (reason or "").strip()
    require(reason, _("请说明退回原因"))
    with transaction.atomic():
        attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
        require(attestation.status == AttestationStatus.PENDING, _("这份认定已经处理过了"))
        attestation.status = AttestationStatus.RETURNED
        attestation.approved_by = actor
        attestation.decided_at = timezone.now()
        attestation.return_reason = reason[:500]
        attestation.save(update_fields=["status", "approved_by", "decided_at", "return_reason"])
        record(
            actor,
            "associations.return_attestation",
            attestation,
            **scope_of(attestation.activity),
            extra={"reason": reason},
        )
    return attestation


def announce(records: list[ServiceRecord], actor) -> None:
    """Tell listeners (the Moral Bank) once the records are committed."""
    if records:
        transaction.on_commit(
            lambda: service_records_written.send(sender=ServiceRecord, records=records, actor=actor)
        )


def record_number(community_code: str, year: int) -> str:
    return f"FW{community_code}{year}{next_number(f'record:{community_code}:{year}'):06d}"


def _write_records(attestation: Attestation, activity: Activity, approver) -> list[ServiceRecord]:
    from zizhi.registry.models import Resident

    residents = Resident.objects.in_bulk([line["resident"] for line in attestation.lines])
    attendance = {a.pk: a for a in activity.attendance.all()}
    day = timezone.localdate(activity.starts_at)
    records = []
    for line in attestation.lines:
        if not line["minutes"]:
            continue
        resident = residents[line["resident"]]
        a = attendance[line["attendance"]]
        rec = ServiceRecord.objects.create(
            number=record_number(resident.community.code, day.year),
            resident=resident,
            community_id=resident.community_id,
            kind=RecordKind.ORIGINAL,
            activity=activity,
            attestation=attestation,
            service_date=day,
            started_at=max(a.check_in_at, activity.starts_at),
            ended_at=min(a.check_out_at, activity.ends_at),
            minutes=line["minutes"],
            category=activity.category,
            content=activity.title[:200],
            place=activity.place,
            organiser=organiser_label(activity)[:100],
            attested_by_id=attestation.attested_by_id,
            approved_by=approver,
        )
        records.append(rec)
    activity.status = ActivityStatus.ATTESTED
    activity.save(update_fields=["status"])
    announce(records, approver or attestation.attested_by)
    record(
        approver or attestation.attested_by,
        "associations.write_records",
        activity,
        **scope_of(activity),
        extra={"records": [r.number for r in records], "minutes": sum(r.minutes for r in records)},
    )
    return records


# ---- corrections ----------------------------------------------------------------------------


def do_request_correction(
    rec: ServiceRecord, *, actor, claimed_minutes: int, reason: str
) -> CorrectionRequest:
    """The volunteer asks for a correction of their own record."""
    if access_for(actor).resident_id != rec.resident_id:
        raise PermissionDenied(_("只能对自己的服务记录申请更正"))
    reason = (reason or "").strip()
    require(reason, _("请说明更正理由"))
    require(
        isinstance(claimed_minutes, int) and 0 <= claimed_minutes <= 24 * 60,
        _("时长应在 0 到 1440 分钟之间"),
    )
    require(rec.kind != RecordKind.REVERSAL, _("冲销记录不能再更正"))
    require(not rec.corrections.exists(), _("这条记录已经更正过，请对更正后的记录申请"))
    require(claimed_minutes != rec.minutes, _("申请的时长与记录相同"))
    with transaction.atomic():
        require(
            not rec.correction_requests.filter(status=CorrectionStatus.OPEN).exists(),
            _("这条记录已有待答复的更正申请"),
        )
        request = CorrectionRequest.objects.create(
            record=rec,
            resident_id=rec.resident_id,
            claimed_minutes=claimed_minutes,
            reason=reason[:MAX_TEXT],
        )
        record(
            actor,
            "associations.request_correction",
            request,
            community=rec.community,
            after={"record": rec.number, "minutes": rec.minutes, "claimed": claimed_minutes},
        )
    return request


def can_answer(user, request: CorrectionRequest) -> bool:
    activity = request.record.activity
    if activity is not None:
        return can_organise(user, activity)
    return request.record.community_id in access_for(user).community_ids


def do_answer_correction(
    request: CorrectionRequest, *, actor, accept: bool, answer: str
) -> CorrectionRequest:
    """Refuse with a reason, or accept: a reversal negating the old record and, where the
    right time is not zero, an addition with it; both linked to the old record."""
    if not can_answer(actor, request):
        raise PermissionDenied(_("您不能答复这份更正申请"))
    answer = (answer or "").strip()
    require(accept or answer, _("不予更正时请说明理由"))
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        require(request.status == CorrectionStatus.OPEN, _("这份更正申请已经答复过了"))
        old = request.record
        require(not old.corrections.exists(), _("这条记录已经更正过"))
        request.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REFUSED
        request.answer = answer[:MAX_TEXT]
        request.answered_by = actor
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        numbers, written = [], []
        if accept:
            for kind, minutes in (
                (RecordKind.REVERSAL, -old.minutes),
                (RecordKind.ADDITION, request.claimed_minutes),
            ):
                if not minutes:
                    continue
                rec = ServiceRecord.objects.create(
                    number=record_number(old.community.code, timezone.localdate().year),
                    resident_id=old.resident_id,
                    community_id=old.community_id,
                    kind=kind,
                    corrects=old,
                    correction=request,
                    activity=old.activity,
                    service_date=old.service_date,
                    started_at=old.started_at,
                    ended_at=old.ended_at,
                    minutes=minutes,
                    category=old.category,
                    content=old.content,
                    place=old.place,
                    organiser=old.organiser,
                    attested_by=actor,
                )
                numbers.append(rec.number)
                written.append(rec)
        announce(written, actor)
        record(
            actor,
            "associations.answer_correction",
            request,
            community=old.community,
            after={"record": old.number, "accepted": accept, "new_records": numbers},
        )
        user = request.resident.user
        if user is not None:
            messaging.send(
                [user],
                _("服务记录更正申请已答复"),
                _("已更正") if accept else _("不予更正：%(a)s") % {"a": answer},
            )
    return request


def history(resident) -> dict:
    """A volunteer's records (newest first), total minutes and star level."""
    records = list(
        ServiceRecord.objects.filter(resident=resident)
        .select_related("corrects")
        .order_by("-service_date", "-id")
    )
    total = ServiceRecord.objects.filter(resident=resident).aggregate(t=Sum("minutes"))["t"] or 0
    return {"records": records, "minutes": total, "hours": total / 60, "stars": star_level(total)}
