"""Attested service records (服务记录), their corrections, and certificates.

Per the Ministry of Civil Affairs' 2021 rules: records are real, accurate, complete and
timely; whoever organises records, whoever records certifies; time is actual service time.
A ServiceRecord is written once (after attestation, and approval where the community asks
for a second person) and never edited or deleted: PostgreSQL refuses it by trigger, the model
refuses it everywhere. A correction is a new record (a reversal and/or an addition) linked
to the one it corrects.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Resident

from .activities import Activity, ServiceCategory

# Star levels (星级志愿者) by total attested hours.
STAR_HOURS = (100, 300, 600, 1000, 1500)


def star_level(minutes: int) -> int:
    """0 to 5 stars for a total of attested minutes."""
    hours = max(minutes, 0) // 60
    return sum(1 for h in STAR_HOURS if hours >= h)


class AttestationStatus(models.TextChoices):
    PENDING = "pending", _("待第二人审核")
    APPROVED = "approved", _("已认定")
    RETURNED = "returned", _("已退回")


class Attestation(models.Model):
    """The organiser's statement of an activity's hours; approved by a second person of the
    organising side where the community requires it (VolunteerRules.four_eyes)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attestations")
    status = models.CharField(max_length=10, choices=AttestationStatus.choices)
    # the attested lines: [{"resident": id, "minutes": n, "attendance": id}, ...]
    lines = models.JSONField(default=list)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)

    class Meta:
        ordering = ["activity_id", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="attestation_one_live",
            ),
        ]


class RecordKind(models.TextChoices):
    ORIGINAL = "original", _("原始记录")
    REVERSAL = "reversal", _("冲销更正")
    ADDITION = "addition", _("补充更正")


class ServiceRecord(models.Model):
    number = models.CharField(_("记录编号"), max_length=30, unique=True)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="service_records")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=RecordKind.choices, default=RecordKind.ORIGINAL)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction = models.ForeignKey(
        "associations.CorrectionRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    attestation = models.ForeignKey(
        Attestation, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    service_date = models.DateField(_("服务日期"))
    started_at = models.DateTimeField(_("开始"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    minutes = models.IntegerField(_("服务时长（分钟）"))  # negative in a reversal
    category = models.CharField(_("服务类别"), max_length=20, choices=ServiceCategory.choices)
    content = models.CharField(_("服务内容"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    organiser = models.CharField(_("组织方"), max_length=100)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["resident_id", "service_date", "id"]
        indexes = [
            models.Index(fields=["resident", "service_date"], name="record_resident_date"),
            models.Index(fields=["community", "service_date"], name="record_community_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(minutes=0), name="record_minutes_nonzero"),
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=models.Q(kind="original"),
                name="record_original_once",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A service record is never changed; correct it with a new record.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A service record is never deleted; correct it with a new record.")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ACCEPTED = "accepted", _("已更正")
    REFUSED = "refused", _("不予更正")


class CorrectionRequest(models.Model):
    """A volunteer's request to correct a record: the minutes they say are right, and why."""

    record = models.ForeignKey(
        ServiceRecord, on_delete=models.PROTECT, related_name="correction_requests"
    )
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    claimed_minutes = models.PositiveIntegerField(_("应为（分钟）"))
    reason = models.TextField(_("理由"))
    status = models.CharField(
        max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(status="open"), name="correction_one_open"
            ),
        ]


class Certificate(models.Model):
    """A certificate of volunteer service (志愿服务证明) over a period. Its facts are frozen
    when issued; the public verification page (by `verify_code`) shows them and nothing more."""

    number = models.CharField(_("证明编号"), max_length=30, unique=True)
    verify_code = models.CharField(max_length=32, unique=True)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="certificates")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    volunteer_number = models.CharField(_("志愿者编号"), max_length=30)
    period_from = models.DateField(_("起始日期"))
    period_to = models.DateField(_("截止日期"))
    minutes = models.PositiveIntegerField(_("服务时长（分钟）"))
    content = models.TextField(_("服务内容"))
    issuer = models.CharField(_("出具单位"), max_length=100)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务证明")
        verbose_name_plural = _("志愿服务证明")
        ordering = ["-issued_at", "-id"]
