"""Running an action from a view: a refusal becomes a message, never a 500."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def attempt(request, fn, *args, done: str = "", **kwargs):
    """Call the action; on ValidationError show its message and return None."""
    try:
        result = fn(*args, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, done or _("已保存"))
    return result if result is not None else True


def to_int(value, default: int = 0) -> int:
    """A number from a form field; `default` when it is missing or not a number (the action
    then refuses it with its own message)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        name = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{name}：{error}" if name else error)


def find_resident(request, community, who: str):
    """The one resident of the community with this phone or name; a message otherwise."""
    from django.db.models import Q

    from zizhi.registry.models import Resident

    who = (who or "").strip()
    found = (
        list(Resident.objects.filter(community=community).filter(Q(phone=who) | Q(name=who))[:2])
        if who
        else []
    )
    if len(found) == 1:
        return found[0]
    if not found:
        messages.error(request, _("没有找到“%(w)s”") % {"w": who})
    else:
        messages.error(request, _("“%(w)s”有重名，请输入手机号") % {"w": who})
    return None
