"""API: associations (public reads)."""

from django.db.models import Count, Q
from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from zizhi.accounts.access import get_public_community
from zizhi.notices.api import PUBLIC
from zizhi.registry.api import Pages

from .access import get_association, get_my_resident
from .actions import volunteers as vol
from .models import Association, Volunteer
from .schemas import AssociationOut, VolunteerIn, VolunteerOut

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


@router.get(
    "/volunteers/me", response=VolunteerOut, url_name="my_volunteer", summary="我的志愿者登记"
)
def my_volunteer(request):
    found = Volunteer.objects.filter(resident=get_my_resident(request.auth)).first()
    if found is None:
        raise Http404
    return found


@router.post(
    "/volunteers/me",
    response={201: VolunteerOut},
    url_name="register_volunteer",
    summary="登记为志愿者（未成年人由监护人到社区办理）",
)
def register(request, payload: VolunteerIn):
    volunteer = vol.do_register_volunteer(
        get_my_resident(request.auth), actor=request.auth, **payload.dict()
    )
    return Status(201, volunteer)
