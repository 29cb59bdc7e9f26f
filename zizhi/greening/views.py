"""Public pages (no login): the community's plots by area with the totals, a plot's page
(the sign's QR code leads here), its photos, and the greening fund (in, out, what for)."""

from itertools import groupby

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from zizhi.accounts.access import access_for, get_public_community

from .access import get_public_plot, is_staff_of, public_plots
from .models import AdoptionStatus, Donation, FundUse, LogKind
from .plan import legend, plan_svg
from .queries import care_days, fund, mark_care, totals, with_care


def plot_url(request, plot) -> str:
    return request.build_absolute_uri(
        reverse("greening:public_plot", args=[plot.community.code, plot.pk])
    )


def public_plots_page(request, code):
    community = get_public_community(code)
    today = timezone.localdate()
    days = care_days(community)
    # explicit order: Meta.ordering is not applied to with_care's aggregating (GROUP BY) query,
    # and groupby below needs the plots of one area together
    plots = mark_care(with_care(public_plots(community)), today, days)
    zones = [(zone or "", list(items)) for zone, items in groupby(plots, key=lambda p: p.zone)]
    return render(
        request,
        "greening/public_plots.html",
        {
            "community": community,
            "zones": zones,
            "plan": plan_svg(plots, community.code, community.name),
            "legend": legend(),
            "totals": totals(community),
            "care_days": days,
            "is_staff": is_staff_of(request.user, community.pk),
            "is_resident": access_for(request.user).resident_community_id == community.pk,
        },
    )


def public_plot(request, code, pk):
    plot = get_public_plot(code, pk)
    today = timezone.localdate()
    days = care_days(plot.community)
    annotated = mark_care(with_care(type(plot).objects.filter(pk=plot.pk)), today, days)[0]
    adoption = plot.adoptions.filter(status=AdoptionStatus.ACTIVE).first()
    logs = plot.logs.all()[:30]
    return render(
        request,
        "greening/public_plot.html",
        {
            "community": plot.community,
            "plot": plot,
            "care": annotated,
            "care_days": days,
            "adoption": adoption,
            "photos": plot.photos.all(),
            "logs": logs,
            "upkeep": LogKind.UPKEEP,
            "is_staff": is_staff_of(request.user, plot.community_id),
        },
    )


def _file(field, content_type):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def plot_photo(request, code, pk, photo_id):
    plot = get_public_plot(code, pk)
    photo = get_object_or_404(plot.photos, pk=photo_id)
    return _file(photo.file, photo.content_type)


def log_photo(request, code, pk, log_id):
    plot = get_public_plot(code, pk)
    log = get_object_or_404(plot.logs.exclude(photo=""), pk=log_id)
    return _file(log.photo, log.photo_type)


def fund_page(request, code):
    community = get_public_community(code)
    return render(
        request,
        "greening/fund.html",
        {
            "community": community,
            "fund": fund(community),
            "donations": Donation.objects.filter(community=community).select_related("plot")[:100],
            "uses": FundUse.objects.filter(community=community).select_related("plot")[:100],
        },
    )
