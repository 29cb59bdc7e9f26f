"""微心愿 API: published wishes without login (never naming anyone); a resident's own wishes,
posted and confirmed; claims, contact, fulfilment and the audited contact reveal for the
claimant; the staff desk (with the beneficiary), verification and rejection."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.accounts.access import access_for, get_public_community, get_staff_community
from zizhi.accounts.api_auth import PUBLIC
from zizhi.registry.api import Pages
from zizhi.registry.models import Resident

from . import actions
from .access import get_my_claim, get_staff_wish, my_claims, my_wishes
from .models import PUBLIC_STATUSES, Wish, WishStatus
from .schemas import (
    ConfirmIn,
    ContactIn,
    ContactOut,
    FulfilIn,
    MyWishOut,
    StaffWishOut,
    VerifyIn,
    WishClaimIn,
    WishClaimOut,
    WishIn,
    WishOut,
    WishReasonIn,
)

router = Router(tags=["wishes"])


def _public():
    return Wish.objects.filter(status__in=PUBLIC_STATUSES).select_related("community")


def _public_wish(pk) -> Wish:
    wish = _public().filter(pk=pk).first()
    if wish is None:
        raise Http404
    return wish


@router.get(
    "/wishes",
    response=list[WishOut],
    auth=PUBLIC,
    url_name="list_wishes",
    summary="心愿墙（公开，不含受助人信息；顺延过的排在前面）",
)
@paginate(Pages)
def list_wishes(request, community: str = "", status: str = WishStatus.PUBLISHED):
    if status not in PUBLIC_STATUSES:
        raise HttpError(422, _("不支持的状态：%(s)s") % {"s": status})
    qs = _public().filter(status=status)
    if community:
        qs = qs.filter(community=get_public_community(community))
    return qs.order_by("-rolled_over_times", "published_at", "id")


@router.get("/wishes/mine", response=list[MyWishOut], url_name="my_wishes", summary="我的心愿")
@paginate(Pages)
def list_my_wishes(request):
    return my_wishes(request.auth).select_related("community").order_by("-created_at")


@router.get(
    "/wishes/desk",
    response=list[StaffWishOut],
    url_name="desk_wishes",
    summary="工作台：本社区的全部心愿（含受助人）",
)
@paginate(Pages)
def desk_wishes(request, community: str, status: str = ""):
    qs = Wish.objects.filter(community=get_staff_community(request.auth, community))
    if status:
        if status not in WishStatus.values:
            raise HttpError(422, _("不支持的状态：%(s)s") % {"s": status})
        qs = qs.filter(status=status)
    return qs.select_related("community", "beneficiary").order_by("-created_at", "-id")


@router.post(
    "/wishes",
    response={201: MyWishOut},
    url_name="post_wish",
    summary="提一个心愿（居民本人；工作人员代为登记时给 beneficiary_id）",
)
def post_wish(request, payload: WishIn):
    user = request.auth
    access = access_for(user)
    if payload.beneficiary_id is None:
        if access.resident_id is None:
            raise Http404
        person = Resident.objects.select_related("community").get(pk=access.resident_id)
    else:
        person = Resident.objects.filter(
            pk=payload.beneficiary_id, community_id__in=access.community_ids
        ).first()
        if person is None:
            raise Http404
    wish = actions.do_post_wish(
        person,
        actor=user,
        text=payload.text,
        category=payload.category,
        value_cap_yuan=payload.value_cap_yuan,
    )
    return Status(201, wish)


@router.get(
    "/wishes/claims", response=list[WishClaimOut], url_name="my_claims", summary="我认领的心愿"
)
@paginate(Pages)
def list_my_claims(request):
    return my_claims(request.auth).select_related("wish__community")


@router.post(
    "/wishes/claims/{int:claim_id}/reveal",
    response=ContactOut,
    url_name="reveal_contact",
    summary="认领人查看受助人联系方式（每次查看都记入审计）",
)
def reveal_contact(request, claim_id: int):
    return actions.do_reveal_contact(get_my_claim(request.auth, claim_id), actor=request.auth)


@router.post(
    "/wishes/claims/{int:claim_id}/contact",
    response=WishClaimOut,
    url_name="record_contact",
    summary="记录已联系受助人",
)
def record_contact(request, claim_id: int, payload: ContactIn):
    claim = get_my_claim(request.auth, claim_id)
    return actions.do_record_contact(claim, actor=request.auth, note=payload.note)


@router.post(
    "/wishes/claims/{int:claim_id}/fulfil",
    response=WishClaimOut,
    url_name="record_fulfilment",
    summary="记录心愿已实现（文字凭证；照片请在网页上传）",
)
def record_fulfilment(request, claim_id: int, payload: FulfilIn):
    claim = get_my_claim(request.auth, claim_id)
    return actions.do_record_fulfilment(
        claim, actor=request.auth, minutes=payload.minutes, proof_text=payload.proof_text
    )


@router.get(
    "/wishes/{int:wish_id}",
    response=WishOut,
    auth=PUBLIC,
    url_name="get_wish",
    summary="一个已发布的心愿（公开，不含受助人信息）",
)
def get_wish(request, wish_id: int):
    return _public_wish(wish_id)


@router.post(
    "/wishes/{int:wish_id}/claim",
    response={201: WishClaimOut},
    url_name="claim_wish",
    summary="认领心愿（党员、在册志愿者、社会组织负责人）",
)
def claim_wish(request, wish_id: int, payload: WishClaimIn):
    claim = actions.do_claim_wish(
        _public_wish(wish_id),
        actor=request.auth,
        kind=payload.kind,
        association_id=payload.association_id,
    )
    return Status(201, claim)


@router.post(
    "/wishes/{int:wish_id}/confirm",
    response=MyWishOut,
    url_name="confirm_wish",
    summary="确认心愿已实现（受助人本人，或工作人员上门后代为确认）",
)
def confirm_wish(request, wish_id: int, payload: ConfirmIn):
    user = request.auth
    wish = my_wishes(user).filter(pk=wish_id).first() or get_staff_wish(user, wish_id)
    return actions.do_confirm_wish(wish, actor=user, note=payload.note)


@router.post(
    "/wishes/{int:wish_id}/verify",
    response=StaffWishOut,
    url_name="verify_wish",
    summary="核实并发布（公开文字不得暴露受助人）",
)
def verify_wish(request, wish_id: int, payload: VerifyIn):
    return actions.do_verify_wish(
        get_staff_wish(request.auth, wish_id),
        actor=request.auth,
        title=payload.title,
        public_text=payload.public_text,
        contact_hint=payload.contact_hint,
    )


@router.post(
    "/wishes/{int:wish_id}/reject",
    response=StaffWishOut,
    url_name="reject_wish",
    summary="不通过（写明原因）",
)
def reject_wish(request, wish_id: int, payload: WishReasonIn):
    return actions.do_reject_wish(
        get_staff_wish(request.auth, wish_id), actor=request.auth, reason=payload.reason
    )
