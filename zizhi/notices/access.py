"""Who may see and do what with notices.

Staff of a community (community workers, administrators of its subdistrict) manage its
notices. Everyone, without login, sees published notices and withdrawn ones that had been
published (with the reason); drafts are invisible outside the staff. Missing and forbidden
both answer 404.
"""

from django.db.models import Q
from django.http import Http404

from zizhi.accounts.access import access_for, get_public_community

from .models import Notice, NoticeStatus, Objection

PUBLIC = Q(status=NoticeStatus.PUBLISHED) | Q(
    status=NoticeStatus.WITHDRAWN, published_at__isnull=False
)


def is_staff_of(user, community_id: int) -> bool:
    return community_id in access_for(user).community_ids


def public_notices():
    return Notice.objects.filter(PUBLIC)


def notices_for(user):
    """Notices the user may see: the public ones, and every notice of their communities."""
    access = access_for(user)
    if access.is_staff:
        return Notice.objects.filter(PUBLIC | Q(community_id__in=access.community_ids))
    return public_notices()


def staff_notices(user):
    return Notice.objects.filter(community_id__in=access_for(user).community_ids)


def _get(qs, **lookup) -> Notice:
    try:
        return qs.select_related("community__subdistrict").get(**lookup)
    except (Notice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_notice_for_staff(user, code: str, pk) -> Notice:
    """A notice of community `code` that the user manages; 404 otherwise."""
    return _get(staff_notices(user), community__code=code, pk=pk)


def get_staff_notice(user, pk) -> Notice:
    """By id alone (the API's writes): a notice of the user's communities; 404 otherwise."""
    return _get(staff_notices(user), pk=pk)


def get_public_notice(code: str, pk) -> Notice:
    """A public notice of community `code`; 404 for drafts and missing ones alike."""
    get_public_community(code)
    return _get(public_notices(), community__code=code, pk=pk)


def get_notice_for(user, pk) -> Notice:
    """By id alone (the API): public notices, and drafts of the user's communities."""
    return _get(notices_for(user), pk=pk)


def get_objection_for_staff(user, pk) -> Objection:
    try:
        return Objection.objects.select_related("notice__community", "resident").get(
            pk=pk, notice__community_id__in=access_for(user).community_ids
        )
    except (Objection.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def objections_for(user, notice: Notice):
    """Staff of the community see every objection; others the answered ones and their own."""
    qs = notice.objections.select_related("resident")
    access = access_for(user)
    if notice.community_id in access.community_ids:
        return qs
    mine = Q(resident_id=access.resident_id) if access.resident_id else Q(pk__in=[])
    return qs.filter(Q(answered_at__isnull=False) | mine)


def can_file_objection(user, notice: Notice) -> bool:
    """A resident of the notice's community with a login, while the notice is current."""
    access = access_for(user)
    return access.resident_community_id == notice.community_id and notice.is_current
