"""Associations and their members: created by staff; leaders and deputies (or staff) add and
remove members and change roles. Each function writes one audit event."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..access import can_manage_association, is_staff_for
from ..models import Association, AssociationKind, AssociationMember, AssociationRole
from .common import require, scope_of


def do_create_association(
    *,
    actor,
    subdistrict,
    community=None,
    name: str,
    kind: str,
    description: str = "",
    charter_text: str = "",
    founded_on: datetime.date | None = None,
) -> Association:
    if not is_staff_for(actor, community and community.pk, subdistrict.pk):
        raise PermissionDenied(_("您不能在这里登记群团组织"))
    name = (name or "").strip()
    require(name, _("请填写名称"))
    require(kind in AssociationKind.values, _("类别不正确"))
    require(
        not Association.objects.filter(subdistrict=subdistrict, name=name).exists(),
        _("本街道已有同名的群团组织"),
    )
    with transaction.atomic():
        item = Association.objects.create(
            subdistrict=subdistrict,
            community=community,
            name=name[:100],
            kind=kind,
            description=description.strip(),
            charter_text=charter_text.strip(),
            founded_on=founded_on,
            created_by=actor,
        )
        record(
            actor,
            "associations.create_association",
            item,
            **scope_of(item),
            after={"name": item.name, "kind": kind},
        )
    return item


def do_update_association(
    item: Association, *, actor, description: str, charter_text: str
) -> Association:
    """Leaders keep the public text and the charter up to date."""
    if not can_manage_association(actor, item):
        raise PermissionDenied(_("您不能管理这个组织"))
    with transaction.atomic():
        before = {"description": item.description, "charter_text": item.charter_text}
        item.description = (description or "").strip()
        item.charter_text = (charter_text or "").strip()
        item.save(update_fields=["description", "charter_text"])
        record(
            actor,
            "associations.update_association",
            item,
            **scope_of(item),
            before=before,
            after={"description": item.description, "charter_text": item.charter_text},
        )
    return item


def do_add_member(
    item: Association,
    resident,
    *,
    actor,
    role: str = AssociationRole.MEMBER,
    joined_on: datetime.date | None = None,
) -> AssociationMember:
    if not can_manage_association(actor, item):
        raise PermissionDenied(_("您不能管理这个组织"))
    require(role in AssociationRole.values, _("职务不正确"))
    require(
        item.community_id is None or resident.community.subdistrict_id == item.subdistrict_id,
        _("只能吸收本街道的居民"),
    )
    if role == AssociationRole.LEADER:
        _require_staff(actor, item)
    try:
        with transaction.atomic():
            member = AssociationMember.objects.create(
                association=item,
                resident=resident,
                role=role,
                joined_on=joined_on or timezone.localdate(),
            )
            record(
                actor,
                "associations.add_member",
                member,
                **scope_of(item),
                after={"association": item.pk, "resident": resident.pk, "role": role},
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(n)s 已经是会员") % {"n": resident.name}) from exc
    return member


def _require_staff(actor, item) -> None:
    """Who leads an association is decided by the community's staff, not by its leaders."""
    if not is_staff_for(actor, item.community_id, item.subdistrict_id):
        raise PermissionDenied(_("会长由社区工作人员设定"))


def do_set_member_role(member: AssociationMember, *, actor, role: str) -> AssociationMember:
    item = member.association
    if not can_manage_association(actor, item):
        raise PermissionDenied(_("您不能管理这个组织"))
    require(role in AssociationRole.values, _("职务不正确"))
    require(member.left_on is None, _("已退出的会员不能设置职务"))
    if AssociationRole.LEADER in (role, member.role):
        _require_staff(actor, item)
    with transaction.atomic():
        before = member.role
        member.role = role
        member.save(update_fields=["role"])
        record(
            actor,
            "associations.set_member_role",
            member,
            **scope_of(item),
            before={"role": before},
            after={"role": role},
        )
    return member


def do_remove_member(
    member: AssociationMember, *, actor, left_on: datetime.date | None = None
) -> AssociationMember:
    item = member.association
    if not can_manage_association(actor, item):
        raise PermissionDenied(_("您不能管理这个组织"))
    require(member.left_on is None, _("已经退出"))
    if member.role == AssociationRole.LEADER:
        _require_staff(actor, item)
    with transaction.atomic():
        member.left_on = left_on or timezone.localdate()
        member.save(update_fields=["left_on"])
        record(
            actor,
            "associations.remove_member",
            member,
            **scope_of(item),
            after={"resident": member.resident_id, "left_on": member.left_on.isoformat()},
        )
    return member


def do_add_photo(item: Association, upload, *, actor, caption: str = "", activity=None):
    """A photo on the association's public page (JPEG or PNG, checked by name and content)."""
    from zizhi.notices.files import JPEG, PNG, check_upload

    from ..models import AssociationPhoto

    if not can_manage_association(actor, item):
        raise PermissionDenied(_("您不能管理这个组织"))
    check_upload(upload, (JPEG, PNG), what=_("照片"))
    require(activity is None or activity.association_id == item.pk, _("活动不属于这个组织"))
    with transaction.atomic():
        photo = AssociationPhoto(
            association=item,
            activity=activity,
            caption=(caption or "").strip()[:200],
            uploaded_by=actor,
        )
        photo.file.save(upload.name, upload, save=False)
        photo.save()
        record(
            actor,
            "associations.add_photo",
            photo,
            **scope_of(item),
            after={"association": item.pk, "caption": photo.caption},
        )
    return photo
