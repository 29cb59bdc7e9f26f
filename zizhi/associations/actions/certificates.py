"""Certificates of volunteer service (志愿服务证明). The community that keeps the records
issues them; a volunteer may issue their own from the app (the facts come only from attested
records). The facts are frozen in the certificate; its public page shows them and no more."""

import datetime
import secrets
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record

from ..models import Certificate, ServiceCategory, ServiceRecord, Volunteer
from .common import next_number, require


def hours_text(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:.1f}".rstrip("0").rstrip(".")


def content_of(records) -> str:
    """ "助老扶弱 12.5 小时；环境卫生 3 小时" in the order of most hours."""
    by_category = defaultdict(int)
    for r in records:
        by_category[r.category] += r.minutes
    parts = sorted(by_category.items(), key=lambda kv: -kv[1])
    return "；".join(
        _("%(c)s %(h)s 小时") % {"c": ServiceCategory(c).label, "h": hours_text(m)}
        for c, m in parts
        if m
    )


def do_issue_certificate(
    resident, *, actor, period_from: datetime.date, period_to: datetime.date
) -> Certificate:
    access = access_for(actor)
    if resident.community_id not in access.community_ids and access.resident_id != resident.pk:
        raise PermissionDenied(_("您不能为这位居民出具证明"))
    require(period_from and period_to and period_from <= period_to, _("起始日期不能晚于截止日期"))
    require(period_to <= timezone.localdate(), _("截止日期不能晚于今天"))
    volunteer = Volunteer.objects.filter(resident=resident).first()
    require(volunteer is not None, _("只有登记的志愿者才能出具志愿服务证明"))
    records = list(
        ServiceRecord.objects.filter(
            resident=resident, service_date__gte=period_from, service_date__lte=period_to
        )
    )
    minutes = sum(r.minutes for r in records)
    require(minutes > 0, _("这段时间没有认定的志愿服务时长"))
    community = resident.community
    with transaction.atomic():
        year = timezone.localdate().year
        number = (
            f"ZM{community.code}{year}{next_number(f'certificate:{community.code}:{year}'):06d}"
        )
        certificate = Certificate.objects.create(
            number=number,
            verify_code=secrets.token_urlsafe(16),
            resident=resident,
            community=community,
            name=resident.name,
            id_number_masked=resident.id_number_masked,
            volunteer_number=volunteer.number,
            period_from=period_from,
            period_to=period_to,
            minutes=minutes,
            content=content_of(records),
            issuer=_("%(c)s居民委员会") % {"c": community.name},
            issued_by=actor,
        )
        record(
            actor,
            "associations.issue_certificate",
            certificate,
            community=community,
            after={
                "number": number,
                "resident": resident.pk,
                "from": period_from.isoformat(),
                "to": period_to.isoformat(),
                "minutes": minutes,
            },
        )
    return certificate
