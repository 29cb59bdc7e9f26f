"""Who may see and do what with the books and assets.

- Bookkeeping: the community's staff (its community workers, and administrators of its
  subdistrict) keep the books. There is no separate accountant role: the platform's roles
  are "subdistrict administrator" and "community worker", and the community decides which of
  its workers keeps the books. Every entry records who made it.
- Approval: administrators of the community's subdistrict approve or return a submitted
  period. A community worker cannot approve their own books.
- Everyone, without login, sees published periods (totals, categories, entries) and the
  asset list. Receipts (scans of invoices, which may show names and signatures) are shown to
  residents of the community with a login and to its staff only, not to the anonymous public.
- Drafts, submitted and approved periods are seen by the community's staff only. Missing and
  forbidden answer 404 alike.
"""

from django.db.models import Q
from django.http import Http404

from zizhi.accounts.access import access_for, get_public_community

from .models import Asset, Entry, Period, PeriodStatus, Receipt


def is_staff_of(user, community_id: int) -> bool:
    return community_id in access_for(user).community_ids


def can_approve(user, community) -> bool:
    """Administrators of the community's subdistrict approve or return its periods."""
    return community.subdistrict_id in access_for(user).subdistrict_ids


def can_see_receipts(user, community_id: int) -> bool:
    access = access_for(user)
    return community_id in access.community_ids or access.resident_community_id == community_id


def public_periods():
    return Period.objects.filter(status=PeriodStatus.PUBLISHED)


def periods_for(user):
    """Published periods, and every period of the user's communities."""
    access = access_for(user)
    if access.is_staff:
        return Period.objects.filter(
            Q(status=PeriodStatus.PUBLISHED) | Q(community_id__in=access.community_ids)
        )
    return public_periods()


def staff_periods(user):
    return Period.objects.filter(community_id__in=access_for(user).community_ids)


def _get_period(qs, **lookup) -> Period:
    try:
        return qs.select_related("community__subdistrict").get(**lookup)
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_staff_period(user, code: str, year, month) -> Period:
    return _get_period(staff_periods(user), community__code=code, year=year, month=month)


def get_public_period(code: str, year, month) -> Period:
    get_public_community(code)
    return _get_period(public_periods(), community__code=code, year=year, month=month)


def get_period_for(user, pk) -> Period:
    """By id (the API's reads): published ones, and every period of the user's communities."""
    return _get_period(periods_for(user), pk=pk)


def get_staff_period_by_id(user, pk) -> Period:
    """By id (the API's writes): a period of the user's communities."""
    return _get_period(staff_periods(user), pk=pk)


def get_entry_of(period: Period, pk) -> Entry:
    try:
        return period.entries.select_related("category").get(pk=pk)
    except (Entry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_receipt_for(user, code: str, pk) -> Receipt:
    """A receipt: staff of the community see all; its residents those of published periods."""
    try:
        receipt = Receipt.objects.select_related("entry__period__community").get(
            pk=pk, entry__period__community__code=code
        )
    except (Receipt.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    period = receipt.entry.period
    if is_staff_of(user, period.community_id):
        return receipt
    if period.is_published and can_see_receipts(user, period.community_id):
        return receipt
    raise Http404


def get_staff_asset(user, code: str, pk) -> Asset:
    try:
        return Asset.objects.select_related("community", "manager_user").get(
            pk=pk, community__code=code, community_id__in=access_for(user).community_ids
        )
    except (Asset.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
