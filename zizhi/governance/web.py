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


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        name = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{name}：{error}" if name else error)
