"""Associations (群团组织 / 协会): who belongs, who leads."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Resident, Subdistrict


class AssociationKind(models.TextChoices):
    CULTURE = "culture", _("文化艺术")
    SPORTS = "sports", _("体育健身")
    HOBBY = "hobby", _("兴趣爱好")
    ELDERLY = "elderly", _("老年")
    VOLUNTEER = "volunteer", _("志愿服务")
    LEGAL = "legal", _("法律服务")
    YOUTH = "youth", _("青少年")
    WOMEN = "women", _("妇女")
    UNION = "union", _("工会")
    SCIENCE = "science", _("科普")
    OTHER = "other", _("其他")


class Association(models.Model):
    """An association of a community, or of the whole subdistrict (community empty)."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="associations"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="associations"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=AssociationKind.choices)
    description = models.TextField(_("简介"), blank=True)
    charter_text = models.TextField(_("章程"), blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("活动中"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("群团组织")
        verbose_name_plural = _("群团组织")
        ordering = ["subdistrict_id", "community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "name"], name="association_unique_name"),
        ]

    def __str__(self):
        return self.name


class AssociationRole(models.TextChoices):
    LEADER = "leader", _("会长")
    DEPUTY = "deputy", _("副会长")
    MEMBER = "member", _("会员")


# Leaders and deputies manage the association's members and activities.
MANAGING_ROLES = (AssociationRole.LEADER, AssociationRole.DEPUTY)


class AssociationMember(models.Model):
    """A resident's membership. Leaving sets left_on; the row stays for the history."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="association_memberships"
    )
    role = models.CharField(
        _("职务"), max_length=10, choices=AssociationRole.choices, default=AssociationRole.MEMBER
    )
    joined_on = models.DateField(_("入会日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["association_id", "role", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "resident"],
                condition=Q(left_on__isnull=True),
                name="association_member_once",
            ),
        ]
        indexes = [models.Index(fields=["resident", "left_on"], name="assoc_member_resident")]

    @property
    def manages(self) -> bool:
        return self.left_on is None and self.role in MANAGING_ROLES


def photo_path(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"associations/{instance.association_id}/{uuid.uuid4().hex}{suffix}"


class AssociationPhoto(models.Model):
    """A photo on the association's public page, optionally of one activity."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="photos")
    activity = models.ForeignKey(
        "associations.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    file = models.FileField(upload_to=photo_path)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
