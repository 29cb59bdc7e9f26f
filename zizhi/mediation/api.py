"""矛盾调解 API. Case contents for the lead and the assigned mediators; a party sees their own
case without notes; staff see the register (no names); statistics are public (no names)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from zizhi.registry.models import Community, Resident, Subdistrict

from . import actions
from .access import (
    assignment_of,
    full_cases,
    get_case_for,
    get_full_case_for,
    get_lead_case_for,
    get_register_community,
    party_cases,
)
from .models import FollowUp, MediationCase
from .queries import statistics
from .schemas import (
    AssignIn,
    CaseOut,
    FollowUpIn,
    MediationApplyIn,
    OutcomeIn,
    RegisterIn,
    RegisterRow,
    RespondIn,
    SessionIn,
    WithdrawIn,
)

router = Router(tags=["mediation"])


def case_out(case: MediationCase, full: bool) -> dict:
    follow_up = FollowUp.objects.filter(case=case).first()
    data = {
        "id": case.pk,
        "community": case.community.code,
        "number": case.number,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "registered_at": case.registered_at,
        "view": "full" if full else "party",
        "parties": [
            {
                "side": p.side,
                "name": p.name,
                "phone": p.phone if full else "",
                "address": p.address if full else "",
                "in_registry": p.resident_id is not None,
            }
            for p in case.parties.all()
        ],
        "outcome_on": case.outcome_on,
        "terms": case.term_list,
        "performance_deadline": case.performance_deadline,
        "referral_to": case.referral_to,
        "follow_up_due_on": follow_up.due_on if follow_up else None,
        "agreement_url": reverse("mediation:agreement", args=[case.pk]) if case.terms else None,
    }
    if full:
        data["description"] = case.description
        data["mediators"] = [
            a.resident.name
            for a in case.assignments.filter(declined_at__isnull=True).select_related("resident")
        ]
        data["sessions"] = [
            {
                "id": s.pk,
                "held_on": s.held_on,
                "place": s.place,
                "mediators": [m.name for m in s.mediators.all()],
                "notes": s.notes,
            }
            for s in case.sessions.prefetch_related("mediators")
        ]
    return data


@router.get(
    "/mediation/register",
    response=list[RegisterRow],
    url_name="mediation_register",
    summary="调解登记簿（本社区工作人员、调解负责人；不含姓名和案情）",
)
def register(request, community: str):
    found = get_register_community(request.auth, community)
    return MediationCase.objects.filter(community=found).order_by("-registered_at")[:500]


@router.get(
    "/mediation/cases",
    response=list[CaseOut],
    url_name="mediation_cases",
    summary="我能看的调解案件（调解员、负责人：全部内容；当事人：本人案件的进展）",
)
def list_cases(request):
    full = list(full_cases(request.auth).select_related("community")[:200])
    ids = {c.pk for c in full}
    mine = [c for c in party_cases(request.auth).select_related("community") if c.pk not in ids]
    return [case_out(c, True) for c in full] + [case_out(c, False) for c in mine]


@router.get(
    "/mediation/cases/{int:case_id}",
    response=CaseOut,
    url_name="mediation_case",
    summary="调解案件",
)
def get_case(request, case_id: int):
    seen = get_case_for(request.auth, case_id)
    return case_out(seen.case, seen.full)


@router.post(
    "/mediation/cases",
    response={201: CaseOut},
    url_name="mediation_register_case",
    summary="登记来访调解（本社区工作人员、调解负责人）",
)
def register_case(request, payload: RegisterIn):
    community = get_register_community(request.auth, payload.community)
    case = actions.do_register_case(
        community,
        kind=payload.kind,
        description=payload.description,
        parties=[p.model_dump() for p in payload.parties],
        actor=request.auth,
    )
    return Status(201, case_out(case, False))


@router.post(
    "/mediation/applications",
    response={201: CaseOut},
    url_name="mediation_apply",
    summary="居民申请调解（本人为申请人）",
)
def apply(request, payload: MediationApplyIn):
    case = actions.do_apply_case(**payload.model_dump(), actor=request.auth)
    return Status(201, case_out(case, False))


@router.post(
    "/mediation/cases/{int:case_id}/mediators",
    response=CaseOut,
    url_name="mediation_assign",
    summary="指派调解员（调解负责人；回避审查）",
)
def assign(request, case_id: int, payload: AssignIn):
    case = get_lead_case_for(request.auth, case_id)
    resident = Resident.objects.filter(pk=payload.resident_id).first()
    if resident is None:
        raise HttpError(400, _("请选择调解员"))
    actions.do_assign_mediator(case, resident, actor=request.auth)
    return case_out(case, True)


@router.post(
    "/mediation/cases/{int:case_id}/respond",
    response=CaseOut,
    url_name="mediation_respond",
    summary="调解员接受或不接受指派",
)
def respond(request, case_id: int, payload: RespondIn):
    case = get_full_case_for(request.auth, case_id)
    item = assignment_of(request.auth, case)
    if item is None:
        raise HttpError(404, _("未找到，或您无权查看"))
    actions.do_respond_assignment(
        item, accept=payload.accept, reason=payload.reason, actor=request.auth
    )
    return case_out(case, True)


@router.post(
    "/mediation/cases/{int:case_id}/sessions",
    response={201: CaseOut},
    url_name="mediation_session",
    summary="记录一次调解",
)
def add_session(request, case_id: int, payload: SessionIn):
    case = get_full_case_for(request.auth, case_id)
    actions.do_record_session(case, **payload.model_dump(), actor=request.auth)
    return Status(201, case_out(case, True))


@router.post(
    "/mediation/cases/{int:case_id}/outcome",
    response=CaseOut,
    url_name="mediation_outcome",
    summary="记录调解结果（达成协议或未达成及引导去向）",
)
def outcome(request, case_id: int, payload: OutcomeIn):
    case = get_full_case_for(request.auth, case_id)
    actions.do_record_outcome(case, **payload.model_dump(), actor=request.auth)
    return case_out(case, True)


@router.post(
    "/mediation/cases/{int:case_id}/follow-up",
    response=CaseOut,
    url_name="mediation_follow_up",
    summary="记录回访并结案",
)
def follow_up(request, case_id: int, payload: FollowUpIn):
    case = get_full_case_for(request.auth, case_id)
    actions.do_record_follow_up(case, kept=payload.kept, note=payload.note, actor=request.auth)
    return case_out(case, True)


@router.post(
    "/mediation/cases/{int:case_id}/withdraw",
    response=CaseOut,
    url_name="mediation_withdraw",
    summary="撤回调解（有结果之前；负责人、调解员或当事人）",
)
def withdraw(request, case_id: int, payload: WithdrawIn):
    seen = get_case_for(request.auth, case_id)
    actions.do_withdraw_case(seen.case, reason=payload.reason, actor=request.auth)
    return case_out(seen.case, seen.full)


@router.get(
    "/mediation/stats",
    auth=None,
    url_name="mediation_stats",
    summary="调解公开统计（不含姓名；1～2 件显示为“<3”）",
)
def stats(request, community: str = "", subdistrict: str = ""):
    if community:
        scope = [get_object_or_404(Community, code=community).pk]
    elif subdistrict:
        sub = get_object_or_404(Subdistrict, code=subdistrict)
        scope = list(Community.objects.filter(subdistrict=sub).values_list("id", flat=True))
    else:
        raise HttpError(422, _("请指定社区或街道"))
    data = statistics(scope)
    data["start"], data["end"] = data["start"].isoformat(), data["end"].isoformat()
    return data
