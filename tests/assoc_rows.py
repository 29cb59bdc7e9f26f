"""Builders for associations tests: an association with a leader, volunteers, activities."""

import datetime

from django.utils import timezone

from zizhi.associations.models import (
    Activity,
    Association,
    AssociationKind,
    AssociationMember,
    AssociationRole,
    Volunteer,
)

from . import factories as f


def leader_user(community, name="会长"):
    """A resident with a login who will lead an association."""
    return f.resident_user(community, name=name)


def association(community, leader=None, name="书法协会"):
    a = Association.objects.create(
        subdistrict=community.subdistrict,
        community=community,
        name=name,
        kind=AssociationKind.CULTURE,
    )
    if leader is not None:
        AssociationMember.objects.create(
            association=a,
            resident=leader.resident,
            role=AssociationRole.LEADER,
            joined_on=datetime.date(2024, 1, 1),
        )
    return a


def volunteer(resident, consent=False, guardian=None):
    return Volunteer.objects.create(
        resident=resident,
        community=resident.community,
        number=f"V{resident.pk:06d}",
        registered_by=resident.user or f.user(),
        guardian=guardian,
        guardian_consent_at=timezone.now() if consent else None,
    )


def activity(community, creator, starts_in_hours=48, hours=2, **extra):
    starts = timezone.now() + datetime.timedelta(hours=starts_in_hours)
    values = {
        "subdistrict": community.subdistrict,
        "community": community,
        "organiser_kind": "community",
        "title": "清扫楼道",
        "place": "1栋",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "signup_deadline": starts - datetime.timedelta(hours=2),
        "created_by": creator,
    }
    values.update(extra)
    return Activity.objects.create(**values)


def matrix_objects(world):
    """HD rows for the permission matrix (tests/test_access_matrix.py): an association, an open
    activity, one with resident_a signed up, an ended one with a pending attestation, and
    resident_a's attested record with an open correction request and a certificate."""
    from types import SimpleNamespace

    from django.core.files.base import ContentFile

    from zizhi.associations.models import (
        AssociationPhoto,
        Attestation,
        Certificate,
        CorrectionRequest,
        ServiceRecord,
        SignUp,
    )

    assoc = association(world.hd, name="摄影协会")
    photo = AssociationPhoto(association=assoc, uploaded_by=world.worker_a, caption="合影")
    photo.file.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8), save=False)
    photo.save()
    open_one = activity(world.hd, world.worker_a, title="开放活动")
    signed = activity(world.hd, world.worker_a, title="已报名活动")
    api_open = activity(world.hd, world.worker_a, title="接口开放活动")
    api_signed = activity(world.hd, world.worker_a, title="接口已报名活动")
    # the organisers' API (helper B): resident_a signed up, two days ahead; every call the
    # matrix makes on it is refused with a reason, so it stays the same for every role
    org = activity(world.hd, world.worker_a, title="组织者接口活动")
    for item in (signed, api_signed, org):
        SignUp.objects.create(activity=item, resident=world.resident_a.resident, status="confirmed")
    ended = activity(
        world.hd, world.worker_a, title="已结束活动", starts_in_hours=-5, status="ended"
    )
    Attestation.objects.create(
        activity=ended, status="pending", lines=[], attested_by=world.worker_a
    )
    rec = ServiceRecord.objects.create(
        number="FWHD2026999999",
        resident=world.resident_a.resident,
        community=world.hd,
        activity=ended,
        service_date=timezone.localdate(),
        minutes=60,
        category="elderly",
        content="陪伴老人",
        organiser="湖东社区",
        attested_by=world.worker_a,
    )
    correction = CorrectionRequest.objects.create(
        record=rec, resident=world.resident_a.resident, claimed_minutes=90, reason="少记了"
    )
    cert = Certificate.objects.create(
        number="ZMHD2026000001",
        verify_code="matrix-verify-code",
        resident=world.resident_a.resident,
        community=world.hd,
        name=world.resident_a.resident.name,
        id_number_masked=world.resident_a.resident.id_number_masked,
        volunteer_number="V000001",
        period_from=datetime.date(2026, 1, 1),
        period_to=timezone.localdate(),
        minutes=60,
        content="助老扶弱 1 小时",
        issuer="湖东社区居民委员会",
        issued_by=world.worker_a,
    )
    return SimpleNamespace(
        association=assoc,
        photo=photo,
        open=open_one,
        signed=signed,
        api_open=api_open,
        api_signed=api_signed,
        org=org,
        ended=ended,
        record=rec,
        correction=correction,
        certificate=cert,
    )
