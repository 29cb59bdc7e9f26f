"""A resident's pages (phone, large and plain): plots they can adopt, applying, their
adoptions with the upkeep log (photo from the phone's camera), and their money."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.associations.queries import association_choices

from . import actions
from .access import get_my_adoption, get_public_plot, my_adoptions, my_resident_or_404
from .models import AdopterKind, AdoptionStatus, Donation, FundUse, Plot, PlotState
from .queries import fund

RESIDENT_KINDS = (
    AdopterKind.RESIDENT,
    AdopterKind.HOUSEHOLD,
    AdopterKind.PARTY_MEMBER,
    AdopterKind.ASSOCIATION,
)


def _errors(exc) -> list[str]:
    return list(getattr(exc, "messages", None) or [str(exc)])


@login_required
def home(request):
    me = my_resident_or_404(request.user)
    adoptions = my_adoptions(request.user).select_related("plot").order_by("-applied_at")
    available = Plot.objects.filter(community_id=me.community_id, state=PlotState.AVAILABLE)
    return render(
        request,
        "greening/home.html",
        {
            "me": me,
            "community": me.community,
            "adoptions": adoptions,
            "available": available,
        },
    )


@login_required
def apply(request, pk):
    me = my_resident_or_404(request.user)
    plot = get_public_plot(me.community.code, pk)
    today = timezone.localdate()
    kinds = [k for k in RESIDENT_KINDS if k != AdopterKind.PARTY_MEMBER or me.is_party_member]
    if me.household_id is None:
        kinds.remove(AdopterKind.HOUSEHOLD)
    associations = association_choices(me.community, me.pk)
    if not associations:
        kinds.remove(AdopterKind.ASSOCIATION)
    form = {
        "kind": AdopterKind.HOUSEHOLD if me.household_id else AdopterKind.RESIDENT,
        "starts_on": today.isoformat(),
        "ends_on": today.replace(year=today.year + 1).isoformat()
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year + 1, day=28).isoformat(),
        "phone": me.phone,
    }
    errors = []
    if request.method == "POST":
        form = request.POST
        try:
            association = form.get("association") or None
            actions.do_apply_adoption(
                plot,
                actor=request.user,
                adopter_kind=form.get("kind", ""),
                starts_on=form.get("starts_on"),
                ends_on=form.get("ends_on"),
                association_id=int(association) if association and association.isdigit() else None,
                show_name=form.get("show_name") == "1",
                contact_phone=form.get("phone", ""),
                note=form.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("申请已提交，社区审核后会通知您"))
            return redirect("greening:home")
    return render(
        request,
        "greening/apply.html",
        {
            "plot": plot,
            "me": me,
            "kinds": [(k, AdopterKind(k).label) for k in kinds],
            "associations": associations,
            "form": form,
            "errors": errors,
        },
    )


@login_required
def my_adoption(request, pk):
    adoption = get_my_adoption(request.user, pk)
    errors, form = [], {"done_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        form = request.POST
        try:
            actions.do_log_upkeep(
                adoption,
                actor=request.user,
                done_on=form.get("done_on"),
                text_=form.get("text", ""),
                photo=request.FILES.get("photo"),
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("养护记录已保存，谢谢您！"))
            return redirect("greening:my_adoption", adoption.pk)
    return render(
        request,
        "greening/my_adoption.html",
        {
            "adoption": adoption,
            "plot": adoption.plot,
            "community": adoption.community,
            "logs": adoption.plot.logs.filter(adoption=adoption)[:50],
            "active": adoption.status == AdoptionStatus.ACTIVE,
            "today": timezone.localdate(),
            "form": form,
            "errors": errors,
        },
    )


@login_required
def my_money(request):
    """What the resident (or their household) gave, and how the fund was used."""
    me = my_resident_or_404(request.user)
    mine = Q(resident_id=me.pk)
    if me.household_id:
        mine |= Q(household_id=me.household_id)
    given = Donation.objects.filter(mine, community_id=me.community_id).select_related("plot")
    return render(
        request,
        "greening/my_money.html",
        {
            "me": me,
            "community": me.community,
            "given": given,
            "given_fen": sum(d.amount_fen for d in given),
            "fund": fund(me.community),
            "uses": FundUse.objects.filter(community_id=me.community_id).select_related("plot")[
                :50
            ],
        },
    )
