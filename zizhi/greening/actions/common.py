"""What the greening actions share: the staff check, parsing, summaries for the audit log."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import is_staff_of


def require_staff(community_id: int, actor) -> None:
    if actor is None or not is_staff_of(actor, community_id):
        raise PermissionDenied(_("您不是这个社区的工作人员"))


def text(value, limit: int, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("请填写%(f)s") % {"f": label})
    if len(value) > limit:
        raise ValidationError(_("%(f)s不能超过 %(n)d 个字") % {"f": label, "n": limit})
    return value


def day(value, label: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError as exc:
        raise ValidationError(_("请填写%(f)s（年-月-日）") % {"f": label}) from exc


def not_future(value: datetime.date, label: str) -> datetime.date:
    if value > timezone.localdate():
        raise ValidationError(_("%(f)s不能晚于今天") % {"f": label})
    return value
