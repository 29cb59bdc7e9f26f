"""API routes about the caller: who am I, my API tokens."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from . import actions
from .access import access_for
from .api_auth import session_auth
from .models import ApiToken, Role, RoleKind
from .schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["accounts"])


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    user = request.auth
    roles = []
    for role in Role.objects.filter(user=user).select_related("community", "subdistrict"):
        scope = role.community if role.kind == RoleKind.COMMUNITY_WORKER else role.subdistrict
        roles.append({"kind": role.kind, "scope": scope.code, "scope_name": scope.name})
    return {
        "name": user.name,
        "phone_masked": mask_phone(user.phone),
        "roles": roles,
        "resident_id": access_for(user).resident_id,
    }


class DataColumnOut(Schema):
    key: str
    label: str


class DataSectionOut(Schema):
    key: str
    title: str
    columns: list[DataColumnOut]
    rows: list[dict[str, Any]]


class MyDataOut(Schema):
    exported_at: str
    name: str
    id_number: str  # masked
    community: str
    sections: list[DataSectionOut]


@router.get("/me/data", response=MyDataOut, summary="下载我的全部个人信息（居民本人；记录审计）")
def my_data(request):
    from zizhi.registry.models import Resident
    from zizhi.registry.rights import do_export_personal_data

    resident_id = access_for(request.auth).resident_id
    if resident_id is None:
        raise Http404
    resident = Resident.objects.select_related("community", "user").get(pk=resident_id)
    return do_export_personal_data(resident, actor=request.auth, fmt="api")


@router.get("/tokens", response=list[TokenOut], summary="我的 API 令牌")
def list_tokens(request):
    return ApiToken.objects.filter(user=request.auth).order_by("-created_at", "-id")


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    auth=session_auth,
    summary="新建 API 令牌（仅限网页登录，令牌只显示这一次）",
)
def create_token(request, payload: TokenIn):
    name = payload.name.strip() or _("未命名令牌")
    key = actions.do_create_api_token(name, actor=request.auth)
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete("/tokens/{int:token_id}", response={204: None}, summary="吊销 API 令牌")
def revoke_token(request, token_id: int):
    actions.do_revoke_api_token(token_id, actor=request.auth)
    return Status(204, None)
