"""API: associations (public reads)."""

from django.db.models import Count, Q
from ninja import Router
from ninja.pagination import paginate

from zizhi.accounts.access import get_public_community
from zizhi.notices.api import PUBLIC
from zizhi.registry.api import Pages

from .access import get_association
from .models import Association
from .schemas import AssociationOut

router = Router(tags=["associations"])


def _with_members(qs):
    return qs.select_related("community").annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True))
    )


@router.get(
    "/associations",
    response=list[AssociationOut],
    auth=PUBLIC,
    url_name="list_associations",
    summary="群团组织列表（公开）",
)
@paginate(Pages)
def list_associations(request, community: str = ""):
    qs = Association.objects.filter(active=True)
    if community:
        place = get_public_community(community)
        qs = qs.filter(
            Q(community=place) | Q(community__isnull=True, subdistrict=place.subdistrict)
        )
    return _with_members(qs).order_by("id")


@router.get(
    "/associations/{int:association_id}",
    response=AssociationOut,
    auth=PUBLIC,
    url_name="get_association",
    summary="群团组织（公开）",
)
def get_one(request, association_id: int):
    get_association(association_id)
    return _with_members(Association.objects.filter(pk=association_id)).get()
