"""Running an action from a page: a refusal becomes a message on the next page, never a 500."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def attempt(request, fn, *args, done: str, **kwargs) -> bool:
    """Call the action; show `done` on success, or the refusal's words, and say which."""
    try:
        fn(*args, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    except PermissionDenied:
        messages.error(request, _("您没有权限进行此操作"))
        return False
    messages.success(request, done)
    return True
