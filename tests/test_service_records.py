"""Attestation (with four eyes), append-only service records, corrections by reversal,
totals and star levels."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from zizhi.associations.actions import records as rec
from zizhi.associations.models import (
    ActivityStatus,
    Attendance,
    AttendanceSource,
    AttestationStatus,
    RecordKind,
    ServiceRecord,
    VolunteerRules,
    star_level,
)
from zizhi.audit.models import Event

from . import assoc_rows as rows
from . import factories as f

pytestmark = pytest.mark.django_db


def ended(world, minutes_by_user, **extra):
    """An ended activity of HD with attendance of the given users (None: no check-out)."""
    a = rows.activity(world.hd, world.worker_a, starts_in_hours=-5, hours=3, **extra)
    a.status = ActivityStatus.ENDED
    a.save()
    for user, minutes in minutes_by_user:
        out = None if minutes is None else a.starts_at + datetime.timedelta(minutes=minutes)
        Attendance.objects.create(
            activity=a,
            resident=user.resident,
            check_in_at=a.starts_at,
            check_out_at=out,
            check_in_source=AttendanceSource.QR,
            minutes=minutes,
        )
    return a


def test_attesting_writes_records_with_who_what_when_where(world):
    a = ended(world, [(world.resident_a, 120), (world.resident_b, 90)])
    att = rec.do_attest(a, actor=world.worker_a, minutes={world.resident_b.resident.pk: 60})
    assert att.status == AttestationStatus.APPROVED
    records = {r.resident_id: r for r in ServiceRecord.objects.filter(activity=a)}
    mine = records[world.resident_a.resident.pk]
    assert mine.minutes == 120 and mine.attested_by == world.worker_a and mine.approved_by is None
    assert mine.number.startswith(f"FWHD{mine.service_date.year}")
    assert mine.content == a.title and mine.place == a.place and mine.organiser == str(world.hd)
    assert records[world.resident_b.resident.pk].minutes == 60  # lowered by the organiser
    assert records[world.resident_b.resident.pk].community == world.xh
    a.refresh_from_db()
    assert a.status == ActivityStatus.ATTESTED
    assert Event.objects.filter(verb="associations.write_records").count() == 1
    with pytest.raises(ValidationError):
        rec.do_attest(a, actor=world.worker_a)


def test_attestation_refuses_more_than_attended_missing_check_outs_and_strangers(world):
    a = ended(world, [(world.resident_a, 120), (world.resident_b, None)])
    with pytest.raises(ValidationError, match="缺少签退"):
        rec.do_attest(a, actor=world.worker_a)
    Attendance.objects.filter(check_out_at__isnull=True).update(
        check_out_at=a.starts_at + datetime.timedelta(minutes=30), minutes=30
    )
    with pytest.raises(ValidationError, match="不能超过"):
        rec.do_attest(a, actor=world.worker_a, minutes={world.resident_a.resident.pk: 121})
    with pytest.raises(PermissionDenied):
        rec.do_attest(a, actor=world.worker_b)
    not_service = ended(world, [(world.resident_a, 60)], is_volunteer_service=False)
    with pytest.raises(ValidationError, match="不计入志愿服务"):
        rec.do_attest(not_service, actor=world.worker_a)


def test_four_eyes_needs_a_second_organiser(world):
    VolunteerRules.objects.create(community=world.hd, four_eyes=True)
    second = f.worker(world.hd, "第二位工作者")
    a = ended(world, [(world.resident_a, 100)])
    att = rec.do_attest(a, actor=world.worker_a)
    assert att.status == AttestationStatus.PENDING
    assert not ServiceRecord.objects.exists()  # nothing counts before approval
    with pytest.raises(ValidationError, match="认定人本人不能审核"):
        rec.do_approve_attestation(att, actor=world.worker_a)
    with pytest.raises(PermissionDenied):
        rec.do_approve_attestation(att, actor=world.worker_b)
    rec.do_return_attestation(att, actor=second, reason="时长与签到表不符")
    att = rec.do_attest(a, actor=world.worker_a, minutes={world.resident_a.resident.pk: 90})
    rec.do_approve_attestation(att, actor=second)
    only = ServiceRecord.objects.get()
    assert (only.minutes, only.attested_by, only.approved_by) == (90, world.worker_a, second)


def test_a_correction_is_a_reversal_and_an_addition_both_kept(world):
    a = ended(world, [(world.resident_a, 120)])
    rec.do_attest(a, actor=world.worker_a)
    old = ServiceRecord.objects.get()
    with pytest.raises(PermissionDenied):
        rec.do_request_correction(old, actor=world.resident_b, claimed_minutes=150, reason="x")
    request = rec.do_request_correction(
        old, actor=world.resident_a, claimed_minutes=150, reason="我提前半小时到场布置"
    )
    with pytest.raises(ValidationError, match="待答复"):
        rec.do_request_correction(old, actor=world.resident_a, claimed_minutes=140, reason="y")
    with pytest.raises(PermissionDenied):
        rec.do_answer_correction(request, actor=world.worker_b, accept=True, answer="")
    rec.do_answer_correction(request, actor=world.worker_a, accept=True, answer="核实属实")
    kinds = dict(ServiceRecord.objects.filter(corrects=old).values_list("kind", "minutes"))
    assert kinds == {RecordKind.REVERSAL: -120, RecordKind.ADDITION: 150}
    h = rec.history(world.resident_a.resident)
    assert h["minutes"] == 150 and len(h["records"]) == 3  # the old one stays visible
    with pytest.raises(ValidationError, match="已经更正过"):
        rec.do_request_correction(old, actor=world.resident_a, claimed_minutes=100, reason="z")
    addition = ServiceRecord.objects.get(kind=RecordKind.ADDITION)
    refused = rec.do_request_correction(
        addition, actor=world.resident_a, claimed_minutes=200, reason="还应更多"
    )
    with pytest.raises(ValidationError, match="说明理由"):
        rec.do_answer_correction(refused, actor=world.worker_a, accept=False, answer="")
    rec.do_answer_correction(
        refused, actor=world.worker_a, accept=False, answer="签到表只有两个半小时"
    )
    assert rec.history(world.resident_a.resident)["minutes"] == 150
    assert world.resident_a.inbox.filter(subject__contains="更正申请已答复").count() == 2


def test_records_are_never_changed_or_deleted(world):
    a = ended(world, [(world.resident_a, 60)])
    rec.do_attest(a, actor=world.worker_a)
    r = ServiceRecord.objects.get()
    r.minutes = 600
    with pytest.raises(ValueError):
        r.save()
    with pytest.raises(ValueError):
        r.delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are a PostgreSQL feature"
)
def test_postgresql_refuses_update_and_delete_of_a_record(world):
    a = ended(world, [(world.resident_a, 60)])
    rec.do_attest(a, actor=world.worker_a)
    for statement in (
        "UPDATE associations_servicerecord SET minutes = 600",
        "DELETE FROM associations_servicerecord",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert ServiceRecord.objects.get().minutes == 60


@pytest.mark.parametrize(
    ("hours", "stars"),
    [(0, 0), (99, 0), (100, 1), (299, 1), (300, 2), (600, 3), (1000, 4), (1500, 5), (9999, 5)],
)
def test_star_levels(hours, stars):
    assert star_level(hours * 60) == stars
    assert star_level(hours * 60 + 59) == stars
