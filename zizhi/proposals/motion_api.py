"""Motions API: the community's motions, open one (a representative), co-sign or withdraw a
co-signature, submit (the proposer), accept or decline (a worker of the community)."""

import datetime

from django.db.models import Count
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from zizhi.governance.access import require_governance_community
from zizhi.governance.models import MatterType
from zizhi.registry.api import Pages

from . import motion_actions as actions
from .models import Motion, MotionStatus
from .motion_views import get_motion_for

router = Router(tags=["motions"])


class MotionIn(Schema):
    community: str = Field(description="社区代码")
    title: str = Field(max_length=120)
    text: str
    reason: str


class AcceptIn(Schema):
    matter_type: MatterType = MatterType.GENERAL


class PaperCosignatureIn(Schema):
    seat: int = Field(description="代表在居民代表大会中的席位编号（membership id）")


class DeclineIn(Schema):
    reason: str


class CosignatureOut(Schema):
    name: str
    signed_at: datetime.datetime
    on_paper: bool

    @staticmethod
    def resolve_on_paper(obj) -> bool:
        return obj.user_id is None


class MotionOut(Schema):
    id: int
    community: str
    number: str
    title: str
    text: str
    reason: str
    proposer: str
    status: MotionStatus
    status_label: str
    cosigners_needed: int
    cosigners: int
    matter_id: int | None
    matter_number: str | None
    decline_reason: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None


class MotionDetailOut(MotionOut):
    signatures: list[CosignatureOut]


def _out(motion: Motion, signed: int | None = None) -> dict:
    return {
        "id": motion.pk,
        "community": motion.community.code,
        "number": motion.number,
        "title": motion.title,
        "text": motion.text,
        "reason": motion.reason,
        "proposer": motion.proposer_name,
        "status": motion.status,
        "status_label": motion.get_status_display(),
        "cosigners_needed": motion.cosigners_needed,
        "cosigners": signed if signed is not None else motion.cosignatures.count(),
        "matter_id": motion.matter_id,
        "matter_number": motion.matter.number if motion.matter_id else None,
        "decline_reason": motion.decline_reason,
        "created_at": motion.created_at,
        "submitted_at": motion.submitted_at,
        "decided_at": motion.decided_at,
    }


def _detail(request, motion_id: int) -> dict:
    motion = _motion(request, motion_id)
    signatures = list(motion.cosignatures.all())
    return {**_out(motion, len(signatures)), "signatures": signatures}


def _motion(request, motion_id: int) -> Motion:
    code = Motion.objects.filter(pk=motion_id).values_list("community__code", flat=True).first()
    return get_motion_for(request.auth, code or "", motion_id)


@router.get("/motions", response=list[MotionOut], url_name="list_motions", summary="社区的居民议案")
@paginate(Pages)
def list_motions(request, community: str, status: MotionStatus | None = None):
    found = require_governance_community(request.auth, community)
    rows = Motion.objects.filter(community=found).select_related("community", "matter")
    if status:
        rows = rows.filter(status=status)
    return [_out(m, m.signed) for m in rows.annotate(signed=Count("cosignatures"))]


@router.get(
    "/motions/{int:motion_id}",
    response=MotionDetailOut,
    url_name="get_motion",
    summary="议案详情和联名代表",
)
def get_motion(request, motion_id: int):
    return _detail(request, motion_id)


@router.post(
    "/motions",
    response={201: MotionDetailOut},
    url_name="open_motion",
    summary="提出议案（本社区居民代表），通知其他代表联名",
)
def open_motion(request, payload: MotionIn):
    community = require_governance_community(request.auth, payload.community)
    motion = actions.do_open_motion(
        community, title=payload.title, text=payload.text, reason=payload.reason, actor=request.auth
    )
    return Status(201, _detail(request, motion.pk))


def _act(request, motion_id: int, fn, *args, **kwargs) -> dict:
    fn(_motion(request, motion_id), *args, actor=request.auth, **kwargs)
    return _detail(request, motion_id)


@router.post(
    "/motions/{int:motion_id}/cosignatures",
    response=MotionDetailOut,
    url_name="cosign_motion",
    summary="联名（本社区其他居民代表）",
)
def cosign_motion(request, motion_id: int):
    return _act(request, motion_id, actions.do_cosign_motion)


@router.delete(
    "/motions/{int:motion_id}/cosignatures",
    response=MotionDetailOut,
    url_name="uncosign_motion",
    summary="撤回自己的联名（提交之前）",
)
def uncosign_motion(request, motion_id: int):
    return _act(request, motion_id, actions.do_withdraw_cosignature)


@router.post(
    "/motions/{int:motion_id}/paper-cosignatures",
    response=MotionDetailOut,
    url_name="paper_cosign_motion",
    summary="录入代表在纸质议案上的联名（本社区工作人员）",
)
def paper_cosign_motion(request, motion_id: int, payload: PaperCosignatureIn):
    return _act(request, motion_id, actions.do_record_paper_cosignature, payload.seat)


@router.post(
    "/motions/{int:motion_id}/submit",
    response=MotionDetailOut,
    url_name="submit_motion",
    summary="提交议案（领衔代表，联名人数达到章程规定后）",
)
def submit_motion(request, motion_id: int):
    return _act(request, motion_id, actions.do_submit_motion)


@router.post(
    "/motions/{int:motion_id}/accept",
    response=MotionDetailOut,
    url_name="accept_motion",
    summary="受理议案，转为重大事项（本社区工作人员）",
)
def accept_motion(request, motion_id: int, payload: AcceptIn):
    return _act(request, motion_id, actions.do_accept_motion, matter_type=payload.matter_type)


@router.post(
    "/motions/{int:motion_id}/decline",
    response=MotionDetailOut,
    url_name="decline_motion",
    summary="不予受理，写明理由（本社区工作人员）",
)
def decline_motion(request, motion_id: int, payload: DeclineIn):
    return _act(request, motion_id, actions.do_decline_motion, payload.reason)
