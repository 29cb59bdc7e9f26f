"""Staff pages of a community's greening: plots, applications, adoptions, inspections, the
fund, printable signs and agreements, and the subdistrict's side-by-side totals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_staff_community
from zizhi.associations.queries import association_choices
from zizhi.registry.models import LocalUnit, Resident

from . import actions
from .access import get_staff_adoption, get_staff_plot
from .models import (
    AdopterKind,
    Adoption,
    AdoptionStatus,
    InspectionResult,
    Plot,
    PlotKind,
    PlotState,
)
from .pdf import render_agreement_pdf, render_sign_pdf
from .queries import care_days, expiring, mark_care, needs_care_q, totals, with_care
from .views import plot_url


def _errors(exc) -> list[str]:
    return list(getattr(exc, "messages", None) or [str(exc)])


def _plot_fields(data) -> dict:
    keys = ("name", "zone", "location", "area_m2", "kind", "description")
    return {k: data.get(k, "") for k in keys}


@login_required
def manage(request, code):
    community = get_staff_community(request.user, code)
    today = timezone.localdate()
    days = care_days(community)
    plots = with_care(Plot.objects.filter(community=community))
    show = request.GET.get("show", "")
    if show == "care":
        plots = plots.filter(needs_care_q(today, days))
    elif show in PlotState.values:
        plots = plots.filter(state=show)
    else:
        show = ""
    pending = Adoption.objects.filter(community=community, status=AdoptionStatus.PENDING)
    return render(
        request,
        "greening/manage.html",
        {
            "community": community,
            "plots": mark_care(plots, today, days),
            "show": show,
            "states": PlotState.choices,
            "pending": pending.count(),
            "expiring": expiring(community, today),
            "care_days": days,
            "totals": totals(community),
            "kinds": PlotKind.choices,
            "is_subdistrict_admin": access_for(request.user).is_subdistrict_admin,
        },
    )


@login_required
def plot_new(request, code):
    community = get_staff_community(request.user, code)
    form, errors = {}, []
    if request.method == "POST":
        form = request.POST
        try:
            plot = actions.do_create_plot(community, actor=request.user, **_plot_fields(form))
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("已添加绿地“%(n)s”") % {"n": plot.name})
            return redirect("greening:plot", community.code, plot.pk)
    return render(
        request,
        "greening/plot_form.html",
        {"community": community, "form": form, "errors": errors, "kinds": PlotKind.choices},
    )


def _plot_page(request, plot, errors=(), form=None):
    return render(
        request,
        "greening/plot.html",
        {
            "community": plot.community,
            "plot": plot,
            "form": form or _plot_fields(plot.__dict__),
            "errors": errors,
            "kinds": PlotKind.choices,
            "moves": [
                (s, PlotState(s).label)
                for s in PlotState.values
                if s != plot.state and s != PlotState.ADOPTED
            ],
            "results": InspectionResult.choices,
            "photos": plot.photos.all(),
            "adoptions": plot.adoptions.all(),
            "logs": plot.logs.select_related("recorded_by")[:50],
            "today": timezone.localdate(),
            "public_url": plot_url(request, plot),
        },
    )


@login_required
def plot(request, code, pk):
    return _plot_page(request, get_staff_plot(request.user, code, pk))


def _plot_post(request, code, pk, run, done: str):
    item = get_staff_plot(request.user, code, pk)
    try:
        run(item)
    except (ValidationError, PermissionDenied) as exc:
        return _plot_page(request, item, _errors(exc), request.POST)
    messages.success(request, done)
    return redirect("greening:plot", code, pk)


@login_required
@require_POST
def plot_edit(request, code, pk):
    def run(item):
        actions.do_update_plot(item, actor=request.user, **_plot_fields(request.POST))

    return _plot_post(request, code, pk, run, _("已保存"))


@login_required
@require_POST
def plot_move(request, code, pk):
    def run(item):
        actions.do_move_plot(
            item,
            request.POST.get("state", ""),
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )

    return _plot_post(request, code, pk, run, _("状态已更改"))


@login_required
@require_POST
def plot_photo_add(request, code, pk):
    def run(item):
        actions.do_add_plot_photo(
            item,
            request.FILES.get("photo"),
            actor=request.user,
            caption=request.POST.get("caption", ""),
        )

    return _plot_post(request, code, pk, run, _("照片已上传"))


@login_required
@require_POST
def inspect(request, code, pk):
    def run(item):
        actions.do_record_inspection(
            item,
            actor=request.user,
            done_on=request.POST.get("done_on"),
            text_=request.POST.get("text", ""),
            result=request.POST.get("result", ""),
            photo=request.FILES.get("photo"),
        )

    return _plot_post(request, code, pk, run, _("巡查已记录"))


@login_required
def sign_pdf(request, code, pk):
    item = get_staff_plot(request.user, code, pk)
    adoption = item.adoptions.filter(status=AdoptionStatus.ACTIVE).first()
    response = HttpResponse(
        render_sign_pdf(item, adoption, plot_url(request, item)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="plot-{item.pk}.pdf"'
    return response


@login_required
def applications(request, code):
    community = get_staff_community(request.user, code)
    status = request.GET.get("status", AdoptionStatus.PENDING)
    qs = Adoption.objects.filter(community=community).select_related("plot")
    if status in AdoptionStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "greening/applications.html",
        {
            "community": community,
            "adoptions": qs.order_by("status", "-applied_at")[:200],
            "status": status,
            "statuses": AdoptionStatus.choices,
        },
    )


def find_resident(community, key: str) -> Resident | None:
    """A resident of the community by phone number (or exact name, if only one has it)."""
    key = (key or "").strip()
    if not key:
        return None
    found = list(Resident.objects.filter(community=community, phone=key)[:2])
    if not found:
        found = list(Resident.objects.filter(community=community, name=key)[:2])
    return found[0] if len(found) == 1 else None


@login_required
def register(request, code):
    """A worker registers an application on behalf of any adopter (walk-in, paper form)."""
    community = get_staff_community(request.user, code)
    plots = Plot.objects.filter(community=community, state=PlotState.AVAILABLE)
    today = timezone.localdate()
    form = {"starts_on": today.isoformat(), "plot": request.GET.get("plot", "")}
    errors = []
    if request.method == "POST":
        form = request.POST
        try:
            chosen = plots.filter(pk=int(form.get("plot") or 0)).first()
            if chosen is None:
                raise ValidationError(_("请选择可认领的绿地"))
            kind = form.get("kind", "")
            resident = find_resident(community, form.get("who", ""))
            if kind in (AdopterKind.RESIDENT, AdopterKind.PARTY_MEMBER, AdopterKind.HOUSEHOLD):
                if resident is None:
                    raise ValidationError(_("没有找到这位居民，请填写社区登记的手机号"))
            unit_id = form.get("unit") or "0"
            association = form.get("association") or "0"
            adoption = actions.do_apply_adoption(
                chosen,
                actor=request.user,
                adopter_kind=kind,
                resident=resident,
                household=resident.household if resident else None,
                association_id=int(association) if association.isdigit() else None,
                unit=LocalUnit.objects.filter(
                    community=community, pk=int(unit_id) if unit_id.isdigit() else 0
                ).first(),
                starts_on=form.get("starts_on"),
                ends_on=form.get("ends_on"),
                show_name=form.get("show_name") == "1",
                contact_phone=form.get("phone", ""),
                note=form.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("申请已登记，请审核"))
            return redirect("greening:adoption", community.code, adoption.pk)
    return render(
        request,
        "greening/register.html",
        {
            "community": community,
            "plots": plots,
            "kinds": AdopterKind.choices,
            "associations": association_choices(community),
            "units": LocalUnit.objects.filter(community=community),
            "form": form,
            "errors": errors,
        },
    )


def _adoption_page(request, adoption, errors=()):
    return render(
        request,
        "greening/adoption.html",
        {
            "community": adoption.community,
            "adoption": adoption,
            "plot": adoption.plot,
            "logs": adoption.logs.all()[:50],
            "donations": adoption.donations.all(),
            "errors": errors,
        },
    )


@login_required
def adoption(request, code, pk):
    return _adoption_page(request, get_staff_adoption(request.user, code, pk))


MOVES = {
    "approve": (
        lambda a, p, u: actions.do_approve_adoption(a, actor=u, note=p.get("note", "")),
        _("已批准认领"),
    ),
    "reject": (
        lambda a, p, u: actions.do_reject_adoption(a, actor=u, reason=p.get("note", "")),
        _("已退回申请"),
    ),
    "renew": (
        lambda a, p, u: actions.do_renew_adoption(a, actor=u, ends_on=p.get("ends_on")),
        _("已续期"),
    ),
    "end": (
        lambda a, p, u: actions.do_end_adoption(a, actor=u, reason=p.get("note", "")),
        _("认领已结束"),
    ),
}


@login_required
@require_POST
def review(request, code, pk):
    item = get_staff_adoption(request.user, code, pk)
    move = MOVES.get(request.POST.get("move", ""))
    if move is None:
        return _adoption_page(request, item, [_("请选择操作")])
    run, done = move
    try:
        run(item, request.POST, request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _adoption_page(request, item, _errors(exc))
    messages.success(request, str(done))
    return redirect("greening:adoption", code, pk)


@login_required
def agreement_pdf(request, code, pk):
    item = get_staff_adoption(request.user, code, pk)
    response = HttpResponse(
        render_agreement_pdf(item, plot_url(request, item.plot)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="agreement-{item.pk}.pdf"'
    return response


@login_required
@require_POST
def care_days_set(request, code):
    community = get_staff_community(request.user, code)
    try:
        actions.do_set_care_days(community, request.POST.get("care_days"), actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_errors(exc)))
    else:
        messages.success(request, _("已保存"))
    return redirect(reverse("greening:manage", args=[code]))
