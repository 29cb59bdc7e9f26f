"""Small helpers the governance actions share."""

from django.core.exceptions import PermissionDenied, ValidationError

from ..access import is_staff_of


def refuse(message) -> None:
    """An illegal request: nothing changes and the user reads why."""
    raise ValidationError(message)


def require_staff(actor, community_id) -> None:
    if actor is None or not is_staff_of(actor, community_id):
        raise PermissionDenied


def label(actor) -> str:
    return str(actor) if actor is not None else "system"


def in_official_language(fn):
    """Texts that become part of the record (results, resolutions, notices) are written in
    the platform's language (zh-Hans), whatever language the acting user reads."""
    import functools

    from django.conf import settings
    from django.utils import translation

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return wrapper
