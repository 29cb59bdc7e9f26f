"""Certificates of volunteer service: facts from attested records only (net of corrections,
within the period), who may issue them, the A4 PDF, and the public verification page that
shows the certificate's facts and nothing more."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.associations.actions import certificates as certs
from zizhi.associations.actions import records as rec
from zizhi.associations.certificate_pdf import render_certificate_pdf
from zizhi.associations.models import CorrectionRequest, RecordKind, ServiceRecord
from zizhi.audit.models import Event

from . import assoc_rows as rows

pytestmark = pytest.mark.django_db


def a_record(world, resident, minutes, category="elderly", days_ago=1, n=1):
    activity = rows.activity(world.hd, world.worker_a, starts_in_hours=-24 * days_ago - 3)
    return ServiceRecord.objects.create(
        number=f"FWHD1999{n:06d}",
        resident=resident,
        community=world.hd,
        activity=activity,
        service_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        minutes=minutes,
        category=category,
        content="服务",
        organiser="湖东社区",
        attested_by=world.worker_a,
    )


def test_a_certificate_states_the_net_minutes_in_the_period(world):
    r = world.resident_a.resident
    vol = rows.volunteer(r)
    today = timezone.localdate()
    old = a_record(world, r, 120, "elderly", days_ago=2, n=1)
    a_record(world, r, 30, "environment", days_ago=3, n=2)
    a_record(world, r, 600, "culture", days_ago=400, n=3)  # outside the period
    # a correction: 120 -> 90 (reversal -120 and addition +90, both kept)
    req = CorrectionRequest.objects.create(
        record=old, resident=r, claimed_minutes=90, reason="提前离开"
    )
    rec.do_answer_correction(req, actor=world.worker_a, accept=True, answer="")
    assert ServiceRecord.objects.filter(corrects=old).count() == 2
    assert set(ServiceRecord.objects.filter(corrects=old).values_list("kind", flat=True)) == {
        RecordKind.REVERSAL,
        RecordKind.ADDITION,
    }
    cert = certs.do_issue_certificate(
        r, actor=world.resident_a, period_from=today - datetime.timedelta(days=30), period_to=today
    )
    assert cert.minutes == 120  # 120 - 120 + 90 + 30
    assert cert.content == "助老扶弱 1.5 小时；环境卫生 0.5 小时"
    assert cert.number == f"ZMHD{today.year}000001"
    assert cert.name == r.name and cert.id_number_masked == r.id_number_masked
    assert cert.volunteer_number == vol.number and cert.issuer == "湖东社区居民委员会"
    assert cert.verify_code and len(cert.verify_code) >= 16
    event = Event.objects.get(verb="associations.issue_certificate")
    assert event.actor_id == world.resident_a.pk
    second = certs.do_issue_certificate(
        r, actor=world.worker_a, period_from=today - datetime.timedelta(days=3), period_to=today
    )
    assert second.number == f"ZMHD{today.year}000002" and second.minutes == 120


def test_who_may_issue_and_bad_periods(world):
    r = world.resident_a.resident
    rows.volunteer(r)
    a_record(world, r, 60)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=10)
    for stranger in (world.worker_c, world.resident_b, world.subadmin_other):
        with pytest.raises(PermissionDenied):
            certs.do_issue_certificate(r, actor=stranger, period_from=start, period_to=today)
    for frm, to, message in (
        (today, start, "起始日期不能晚于截止日期"),
        (start, today + datetime.timedelta(days=1), "截止日期不能晚于今天"),
        (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), "这段时间没有认定"),
    ):
        with pytest.raises(ValidationError, match=message):
            certs.do_issue_certificate(r, actor=world.worker_a, period_from=frm, period_to=to)
    # staff of the resident's community and the subdistrict may issue
    for staff in (world.worker_a, world.subadmin):
        cert = certs.do_issue_certificate(r, actor=staff, period_from=start, period_to=today)
        assert cert.minutes == 60 and cert.issued_by == staff
    # not a registered volunteer: no certificate
    with pytest.raises(ValidationError, match="只有登记的志愿者"):
        certs.do_issue_certificate(
            world.resident_b.resident, actor=world.resident_b, period_from=start, period_to=today
        )


def test_the_pdf_is_an_a4_page(world):
    r = world.resident_a.resident
    rows.volunteer(r)
    a_record(world, r, 90)
    today = timezone.localdate()
    cert = certs.do_issue_certificate(
        r,
        actor=world.worker_a,
        period_from=today.replace(day=1) - datetime.timedelta(days=40),
        period_to=today,
    )
    pdf = render_certificate_pdf(cert, "https://example.org/verify/certificate/x/")
    assert pdf.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    assert len(pdf) > 2000


def test_the_verification_page_shows_the_facts_and_nothing_more(world):
    r = world.resident_a.resident
    r.phone = "13900001111"
    r.save(update_fields=["phone"])
    rows.volunteer(r)
    a_record(world, r, 150, "environment")
    today = timezone.localdate()
    cert = certs.do_issue_certificate(
        r, actor=world.resident_a, period_from=today - datetime.timedelta(days=5), period_to=today
    )
    page = Client().get(reverse("associations:verify", args=[cert.verify_code]))
    assert page.status_code == 200
    html = page.content.decode()
    for fact in (
        cert.number,
        cert.name,
        cert.id_number_masked,
        cert.volunteer_number,
        "2.5 小时",
        cert.content,
        cert.issuer,
    ):
        assert fact in html
    assert "13900001111" not in html and "FWHD1999" not in html  # no phone, no record list
    # the certificate number alone does not verify: only the code in the QR does
    assert Client().get(reverse("associations:verify", args=[cert.number])).status_code == 404
