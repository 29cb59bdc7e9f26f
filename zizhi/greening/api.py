"""认领绿地 API: plots and totals are public (a token or a session is still read when sent);
staff of a community create plots, review adoptions, record inspections and donations;
residents apply and log upkeep for their own adoptions."""

from django.db.models import Prefetch
from django.http import Http404
from ninja import Router, Status
from ninja.errors import HttpError

from zizhi.accounts.access import get_public_community, get_staff_community
from zizhi.accounts.api_auth import PUBLIC
from zizhi.registry.models import LocalUnit, Resident

from . import actions
from .access import (
    get_adoption_for,
    get_staff_plot_by_id,
    is_staff_of,
    my_adoptions,
    my_resident,
    staff_adoptions,
)
from .models import AdopterKind, Adoption, AdoptionStatus, Plot, PlotState
from .queries import totals as community_totals
from .schemas import (
    AdoptionOut,
    AdoptionReviewIn,
    ApplyIn,
    DonationOut,
    GreeningDonationIn,
    InspectionIn,
    LogOut,
    PlotIn,
    PlotOut,
    StateIn,
    TotalsOut,
    UpkeepIn,
)

router = Router(tags=["greening"])


def _with_adopter(qs):
    active = Adoption.objects.filter(status=AdoptionStatus.ACTIVE)
    return qs.select_related("community").prefetch_related(
        Prefetch("adoptions", queryset=active, to_attr="active_list")
    )


def _adopter(plot):
    plot.active_adoption = (getattr(plot, "active_list", None) or [None])[0]
    return plot


@router.get(
    "/greening/plots",
    response=list[PlotOut],
    auth=PUBLIC,
    url_name="greening_plots",
    summary="一个社区的绿地（公开）",
)
def list_plots(request, community: str, state: str = ""):
    found = get_public_community(community)
    qs = Plot.objects.filter(community=found).exclude(state=PlotState.RETIRED)
    if state:
        if state not in PlotState.values:
            raise HttpError(422, "state")
        qs = qs.filter(state=state)
    return [_adopter(p) for p in _with_adopter(qs)]


@router.get(
    "/greening/plots/{int:plot_id}",
    response=PlotOut,
    auth=PUBLIC,
    url_name="greening_plot",
    summary="绿地详情（公开）",
)
def get_plot(request, plot_id: int):
    found = _with_adopter(Plot.objects.filter(pk=plot_id).exclude(state=PlotState.RETIRED))
    plot = next(iter(found), None)
    if plot is None:
        raise Http404
    return _adopter(plot)


@router.post(
    "/greening/plots",
    response={201: PlotOut},
    url_name="greening_create_plot",
    summary="添加绿地（本社区工作人员）",
)
def create_plot(request, payload: PlotIn):
    community = get_staff_community(request.auth, payload.community)
    plot = actions.do_create_plot(
        community, actor=request.auth, **payload.dict(exclude={"community"})
    )
    return Status(201, _adopter(plot))


@router.post(
    "/greening/plots/{int:plot_id}/state",
    response=PlotOut,
    url_name="greening_move_plot",
    summary="更改绿地状态：养护休整、停用、恢复可认领（本社区工作人员）",
)
def move_plot(request, plot_id: int, payload: StateIn):
    plot = get_staff_plot_by_id(request.auth, plot_id)
    return _adopter(
        actions.do_move_plot(plot, payload.state, actor=request.auth, reason=payload.reason)
    )


@router.post(
    "/greening/plots/{int:plot_id}/inspections",
    response={201: LogOut},
    url_name="greening_inspect",
    summary="记录巡查（本社区工作人员）",
)
def inspect(request, plot_id: int, payload: InspectionIn):
    plot = get_staff_plot_by_id(request.auth, plot_id)
    log = actions.do_record_inspection(
        plot, actor=request.auth, done_on=payload.done_on, text_=payload.text, result=payload.result
    )
    return Status(201, log)


@router.get(
    "/greening/adoptions",
    response=list[AdoptionOut],
    url_name="greening_adoptions",
    summary="认领：工作人员看本社区的，居民看自己（家庭、组织）的",
)
def list_adoptions(request, community: str = "", status: str = ""):
    if community:
        qs = staff_adoptions(request.auth).filter(
            community=get_staff_community(request.auth, community)
        )
    else:
        qs = my_adoptions(request.auth)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("plot", "community")[:500]


@router.post(
    "/greening/adoptions",
    response={201: AdoptionOut},
    url_name="greening_apply",
    summary="申请认领（居民为自己、家庭或所在组织；工作人员可代任何认领人登记）",
)
def apply(request, payload: ApplyIn):
    user = request.auth
    me = my_resident(user)
    plot = Plot.objects.select_related("community").filter(pk=payload.plot_id).first()
    if plot is None or not (
        is_staff_of(user, plot.community_id) or (me and me.community_id == plot.community_id)
    ):
        raise HttpError(404, "")
    staff = is_staff_of(user, plot.community_id)
    resident = unit = None
    if staff and payload.resident_id:
        resident = Resident.objects.filter(pk=payload.resident_id, community=plot.community).first()
    if staff and payload.unit_id:
        unit = LocalUnit.objects.filter(pk=payload.unit_id, community=plot.community).first()
    adoption = actions.do_apply_adoption(
        plot,
        actor=user,
        adopter_kind=payload.adopter_kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        resident=resident,
        household=resident.household
        if resident and payload.adopter_kind == AdopterKind.HOUSEHOLD
        else None,
        association_id=payload.association_id,
        unit=unit,
        show_name=payload.show_name,
        contact_phone=payload.contact_phone,
        note=payload.note,
    )
    return Status(201, adoption)


@router.post(
    "/greening/adoptions/{int:adoption_id}/review",
    response=AdoptionOut,
    url_name="greening_review",
    summary="审核认领：批准、退回、续期、结束（本社区工作人员）",
)
def review(request, adoption_id: int, payload: AdoptionReviewIn):
    adoption = staff_adoptions(request.auth).filter(pk=adoption_id).first()
    if adoption is None:
        raise HttpError(404, "")
    user = request.auth
    if payload.move == "approve":
        return actions.do_approve_adoption(adoption, actor=user, note=payload.note)
    if payload.move == "reject":
        return actions.do_reject_adoption(adoption, actor=user, reason=payload.note)
    if payload.move == "renew":
        return actions.do_renew_adoption(adoption, actor=user, ends_on=payload.ends_on)
    if payload.move == "end":
        return actions.do_end_adoption(adoption, actor=user, reason=payload.note)
    raise HttpError(422, "move")


@router.post(
    "/greening/adoptions/{int:adoption_id}/upkeep",
    response={201: LogOut},
    url_name="greening_log_upkeep",
    summary="记录养护（认领人；照片请在网页上传）",
)
def log_upkeep(request, adoption_id: int, payload: UpkeepIn):
    adoption = get_adoption_for(request.auth, adoption_id)
    log = actions.do_log_upkeep(
        adoption, actor=request.auth, done_on=payload.done_on, text_=payload.text
    )
    return Status(201, log)


@router.post(
    "/greening/donations",
    response={201: DonationOut},
    url_name="greening_donate",
    summary="登记绿化捐款，记入社区财务公开（本社区工作人员）",
)
def donate(request, payload: GreeningDonationIn):
    community = get_staff_community(request.auth, payload.community)
    resident = None
    if payload.resident_id:
        resident = Resident.objects.filter(pk=payload.resident_id, community=community).first()
    unit = None
    if payload.unit_id:
        unit = LocalUnit.objects.filter(pk=payload.unit_id, community=community).first()
    plot = (
        Plot.objects.filter(pk=payload.plot_id, community=community).first()
        if payload.plot_id
        else None
    )
    donation = actions.do_record_donation(
        community,
        actor=request.auth,
        amount_fen=payload.amount_fen,
        donor_kind=payload.donor_kind,
        resident=resident,
        household=resident.household if resident else None,
        unit=unit,
        donor_label=payload.donor_label,
        receipt_no=payload.receipt_no,
        given_on=payload.given_on,
        purpose=payload.purpose,
        plot=plot,
    )
    return Status(201, donation)


@router.get(
    "/greening/totals",
    response=TotalsOut,
    auth=PUBLIC,
    url_name="greening_totals",
    summary="认领户数、认领面积、自筹资金等汇总（公开，不含姓名）",
)
def totals(request, community: str):
    return community_totals(get_public_community(community))
