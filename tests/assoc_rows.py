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
