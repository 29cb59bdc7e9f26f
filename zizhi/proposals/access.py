"""Who may see and handle a suggestion, and the status lookup without login.

Missing and forbidden look the same (404 / None): the community's staff (and the
subdistrict's administrators) see every suggestion of the community; a resident sees their
own; anyone sees the public ones.
"""

import hmac

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from zizhi.accounts.access import access_for

from .models import Suggestion

LOOKUP_LIMIT = 10  # failed lookups per IP address per hour
LOOKUP_WINDOW = 3600


def suggestions_for(user, community=None):
    access = access_for(user)
    visible = Q(public=True)
    if access.community_ids:
        visible |= Q(community_id__in=access.community_ids)
    if access.resident_id:
        visible |= Q(resident_id=access.resident_id)
    qs = Suggestion.objects.filter(visible)
    if community is not None:
        qs = qs.filter(community=community)
    return qs


def get_suggestion_for(user, community, pk) -> Suggestion:
    try:
        return (
            suggestions_for(user, community)
            .select_related(
                "community__subdistrict",
                "resident__user",
                "building",
                "handler_user",
                "handler_body",
                "handler_unit",
                "entered_by",
            )
            .get(pk=pk)
        )
    except (Suggestion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_handle(user, suggestion: Suggestion) -> bool:
    """The community's staff (its workers and the subdistrict's administrators) handle it."""
    return suggestion.community_id in access_for(user).community_ids


def _key(ip: str) -> str:
    return f"proposals:lookup-fail:{ip or '-'}"


def lookup_by_number(number: str, last4: str, ip: str = "") -> Suggestion | None:
    """The suggestion with this tracking number whose resident's phone ends in `last4`; None
    alike for an unknown number and wrong digits. After LOOKUP_LIMIT failed attempts from
    one IP address within the hour it refuses (PermissionDenied) without looking."""
    key = _key(ip)
    if cache.get(key, 0) >= LOOKUP_LIMIT:
        raise PermissionDenied
    number = (number or "").strip().upper()
    last4 = (last4 or "").strip()
    s = None
    if number and len(last4) == 4 and last4.isdigit():
        s = (
            Suggestion.objects.select_related("community", "resident", "building")
            .filter(number=number)
            .first()
        )
    phone = "".join(ch for ch in (s.resident.phone if s else "") if ch.isdigit())
    # compare in constant time, and also when the number is unknown
    ok = hmac.compare_digest((phone[-4:] or "----").encode(), last4.encode()) and s is not None
    if ok and len(phone) >= 4:
        return s
    if cache.add(key, 1, LOOKUP_WINDOW) is False:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOOKUP_WINDOW)
    return None
