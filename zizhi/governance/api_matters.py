"""Major matters API: list, detail (timeline and the moves allowed now), register, and one
route per step of the workflow; each calls one action of governance.actions.matters."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.accounts.access import access_for
from zizhi.registry.api import Pages
from zizhi.registry.models import Resident

from . import actions, workflow
from .access import is_staff_of, require_governance_community, require_staff_community
from .api_common import matter_for, reasons, require_visible
from .api_matter_detail import detail
from .matter_schemas import (
    AgendaIn,
    ConsultationAnswerIn,
    ConsultationAnswerOut,
    ConsultationOut,
    EscalationOut,
    FinishIn,
    ImplementationIn,
    ImplementationOut,
    InstructionIn,
    MatterDetailOut,
    MatterIn,
    MatterOut,
    MoveIn,
    OpinionIn,
    OpinionOut,
    ReviewIn,
)
from .models import Escalation, ImplementationStep, Matter, Meeting, Membership

router = Router()


@router.get(
    "/matters",
    response=list[MatterOut],
    url_name="list_matters",
    summary="社区的重大事项",
)
@paginate(Pages)
def list_matters(request, community: str, state: str = ""):
    found = require_governance_community(request.auth, community)
    if state and state not in workflow.STATES:
        raise HttpError(422, _("不支持的环节：%(s)s") % {"s": state})
    qs = Matter.objects.filter(community=found)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("community").order_by("-registered_at", "-id")


@router.get(
    "/matters/{int:matter_id}",
    response=MatterDetailOut,
    url_name="get_matter",
    summary="重大事项详情：流程记录和当前可以进行的下一步",
)
def get_matter(request, matter_id: int):
    return detail(matter_for(request.auth, matter_id), request.auth)


@router.post(
    "/matters",
    response={201: MatterDetailOut},
    url_name="register_matter",
    summary="登记重大事项（本社区工作人员）",
)
def register_matter(request, payload: MatterIn):
    community = require_staff_community(request.auth, payload.community)
    fields = payload.dict(exclude={"community"})
    matter = actions.do_register_matter(community, **fields, actor=request.auth)
    return Status(201, detail(matter_for(request.auth, matter.pk), request.auth))


def _act(request, matter_id: int, action, *args, **kwargs) -> Matter:
    """Run a matter action on the matter; answer its detail as it is now."""
    matter = matter_for(request.auth, matter_id)
    with reasons():
        action(matter, *args, actor=request.auth, **kwargs)
    return detail(matter_for(request.auth, matter_id), request.auth)


@router.post(
    "/matters/{int:matter_id}/moves",
    response=MatterDetailOut,
    url_name="move_matter",
    summary="推进事项（只需记录意见的环节：提交审议、提议、商议、审议、提交表决）",
)
def move_matter(request, matter_id: int, payload: MoveIn):
    return _act(request, matter_id, actions.do_move_matter, payload.move, note=payload.note)


@router.post(
    "/matters/{int:matter_id}/opinions",
    response={201: OpinionOut},
    url_name="record_opinion",
    summary="记录党员对事项的意见（本人，或党支部书记代为记录）",
)
def record_opinion(request, matter_id: int, payload: OpinionIn):
    matter = matter_for(request.auth, matter_id)
    membership = Membership.objects.filter(
        pk=payload.membership_id, body__community_id=matter.community_id
    ).first()
    if membership is None:
        raise Http404
    with reasons():
        opinion = actions.do_record_opinion(
            matter, membership, stance=payload.stance, text=payload.text, actor=request.auth
        )
    return Status(201, opinion)


@router.post(
    "/matters/{int:matter_id}/review",
    response=MatterDetailOut,
    url_name="conclude_review",
    summary="党支部审议结论：提交表决、拟否决或请示街道党工委",
)
def conclude_review(request, matter_id: int, payload: ReviewIn):
    return _act(
        request,
        matter_id,
        actions.do_conclude_review,
        payload.outcome,
        conclusion=payload.conclusion,
        base=payload.base or "adult_residents",
    )


@router.post(
    "/escalations/{int:escalation_id}/answer",
    response=EscalationOut,
    url_name="answer_escalation",
    summary="街道党工委批复请示",
)
def answer_escalation(request, escalation_id: int, payload: InstructionIn):
    escalation = (
        Escalation.objects.select_related("matter__community__subdistrict")
        .filter(pk=escalation_id)
        .first()
    )
    require_visible(request.auth, escalation.matter.community if escalation else None)
    with reasons():
        return actions.do_answer_escalation(
            escalation, instruction=payload.instruction, actor=request.auth
        )


def _consulted_matter(user, matter_id: int) -> Matter:
    """Governance viewers, and the community's residents while they are being consulted."""
    access = access_for(user)
    matter = Matter.objects.select_related("community__subdistrict").filter(pk=matter_id)
    matter = matter.first()
    if (
        matter is not None
        and matter.state == "in_consultation"
        and matter.community_id == access.resident_community_id
    ):
        return matter
    return matter_for(user, matter_id)


@router.post(
    "/matters/{int:matter_id}/consultation/answers",
    response={201: ConsultationAnswerOut},
    url_name="answer_consultation",
    summary="居民答复征求意见（本人，或工作人员录入入户征询的答复）",
)
def answer_consultation(request, matter_id: int, payload: ConsultationAnswerIn):
    user = request.auth
    matter = _consulted_matter(user, matter_id)
    residents = Resident.objects.filter(community_id=matter.community_id)
    if not is_staff_of(user, matter.community_id):
        residents = residents.filter(pk=access_for(user).resident_id)
    resident = residents.filter(pk=payload.resident_id).first()
    if resident is None:
        raise Http404
    with reasons():
        answer = actions.do_answer_consultation(
            matter, resident, consent=payload.consent, actor=user
        )
    return Status(201, answer)


@router.post(
    "/matters/{int:matter_id}/consultation/close",
    response=ConsultationOut,
    url_name="close_consultation",
    summary="结束征求意见并计数（过半数同意则否决，否则提交大会表决）",
)
def close_consultation(request, matter_id: int):
    matter = matter_for(request.auth, matter_id)
    with reasons():
        consultation = actions.do_close_consultation(matter, actor=request.auth)
    consultation.answer_count = consultation.answers.count()
    return consultation


@router.post(
    "/matters/{int:matter_id}/agenda",
    response=MatterDetailOut,
    url_name="put_on_agenda",
    summary="列入居民代表大会议程",
)
def put_on_agenda(request, matter_id: int, payload: AgendaIn):
    matter = matter_for(request.auth, matter_id)
    meeting = (
        Meeting.objects.select_related("body", "community")
        .filter(pk=payload.meeting_id, community_id=matter.community_id)
        .first()
    )
    if meeting is None:
        raise Http404
    return _act(request, matter_id, actions.do_put_on_agenda, meeting)


@router.post(
    "/matters/{int:matter_id}/disclose",
    response=MatterDetailOut,
    url_name="disclose_resolution",
    summary="公开决议（发布公示）",
)
def disclose_resolution(request, matter_id: int):
    return _act(request, matter_id, actions.do_disclose_resolution)


@router.post(
    "/matters/{int:matter_id}/implementation",
    response={201: ImplementationOut},
    url_name="add_implementation",
    summary="安排一项实施工作（责任人、完成期限）",
)
def add_implementation(request, matter_id: int, payload: ImplementationIn):
    matter = matter_for(request.auth, matter_id)
    step = actions.do_add_implementation_step(matter, **payload.dict(), actor=request.auth)
    return Status(201, step)


@router.post(
    "/implementation/{int:step_id}/finish",
    response=ImplementationOut,
    url_name="finish_implementation",
    summary="标记实施工作完成",
)
def finish_implementation(request, step_id: int, payload: FinishIn):
    step = (
        ImplementationStep.objects.select_related("matter__community__subdistrict")
        .filter(pk=step_id)
        .first()
    )
    require_visible(request.auth, step.matter.community if step else None)
    return actions.do_finish_implementation_step(step, outcome=payload.outcome, actor=request.auth)


@router.post(
    "/matters/{int:matter_id}/complete",
    response=MatterDetailOut,
    url_name="complete_matter",
    summary="实施完毕",
)
def complete_matter(request, matter_id: int):
    return _act(request, matter_id, actions.do_complete_implementation)


@router.post(
    "/matters/{int:matter_id}/disclose-result",
    response=MatterDetailOut,
    url_name="disclose_result",
    summary="公开实施结果（发布公示）",
)
def disclose_result(request, matter_id: int):
    return _act(request, matter_id, actions.do_disclose_result)
