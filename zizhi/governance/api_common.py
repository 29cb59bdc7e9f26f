"""What the governance API modules share: lookups by id through the access helpers (404
alike for missing and forbidden), and refusals that explain themselves."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja.errors import HttpError

from zizhi.registry.models import Community

from .access import can_see_governance, get_matter_for, get_meeting_for
from .models import Matter, Meeting

API_PREFIX = "/api/v1"


def _community(**lookup) -> Community:
    community = Community.objects.select_related("subdistrict").filter(**lookup).first()
    if community is None:
        raise Http404
    return community


def meeting_for(user, pk) -> Meeting:
    """A meeting of a community: staff, members of its body, committee members; else 404."""
    return get_meeting_for(user, _community(meetings__pk=pk), pk)


def matter_for(user, pk) -> Matter:
    """A matter: staff, members of the community's bodies, committee members; else 404."""
    community = _community(matters__pk=pk)
    if not can_see_governance(user, community):
        raise Http404
    return get_matter_for(user, community, pk)


def require_visible(user, community: Community | None) -> None:
    if community is None or not can_see_governance(user, community):
        raise Http404


@contextmanager
def reasons():
    """A PermissionDenied that says who may act becomes 403 with that reason."""
    try:
        yield
    except PermissionDenied as exc:
        if str(exc):
            raise HttpError(403, str(exc)) from exc
        raise


def aware(value):
    """A time sent without a zone is read in the site's zone (Asia/Shanghai)."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value
