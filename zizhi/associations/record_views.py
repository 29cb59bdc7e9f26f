"""Service record pages: a volunteer's history with total hours and stars, correction
requests and answers, certificates (PDF) and their public verification page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for
from zizhi.governance.web import attempt, to_int

from .access import get_my_resident
from .actions import certificates as cert_actions
from .actions import records as rec
from .actions.certificates import hours_text
from .certificate_pdf import render_certificate_pdf
from .models import Certificate, CorrectionRequest, CorrectionStatus, ServiceRecord, Volunteer


@login_required
def my_records(request):
    resident = get_my_resident(request.user)
    history = rec.history(resident)
    today = timezone.localdate()
    return render(
        request,
        "associations/record_mine.html",
        {
            "resident": resident,
            "volunteer": Volunteer.objects.filter(resident=resident).first(),
            "history": history,
            "hours": hours_text(history["minutes"]),
            "requests": CorrectionRequest.objects.filter(resident=resident).select_related(
                "record"
            )[:20],
            "certificates": resident.certificates.all()[:20],
            "year_start": today.replace(month=1, day=1),
            "today": today,
        },
    )


@login_required
@require_POST
def request_correction(request, pk):
    try:
        record = ServiceRecord.objects.get(pk=pk, resident_id=access_for(request.user).resident_id)
    except (ValueError, TypeError, ServiceRecord.DoesNotExist) as exc:
        raise Http404 from exc
    attempt(
        request,
        rec.do_request_correction,
        record,
        actor=request.user,
        claimed_minutes=to_int(request.POST.get("minutes"), -1),
        reason=request.POST.get("reason", ""),
        done=_("更正申请已提交，组织者会答复您"),
    )
    return redirect("associations:my_records")


@login_required
def corrections(request):
    """Open correction requests the user may answer."""
    open_requests = [
        r
        for r in CorrectionRequest.objects.filter(status=CorrectionStatus.OPEN).select_related(
            "record__activity", "resident"
        )
        if rec.can_answer(request.user, r)
    ]
    if not open_requests and not access_for(request.user).is_staff:
        raise Http404
    return render(request, "associations/record_corrections.html", {"requests": open_requests})


@login_required
@require_POST
def answer_correction(request, pk):
    item = (
        CorrectionRequest.objects.select_related("record__activity").filter(pk=to_int(pk)).first()
    )
    if item is None or not rec.can_answer(request.user, item):
        raise Http404
    attempt(
        request,
        rec.do_answer_correction,
        item,
        actor=request.user,
        accept=request.POST.get("move") == "accept",
        answer=request.POST.get("answer", ""),
        done=_("已答复"),
    )
    return redirect("associations:corrections")


def _date(value, default):
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return None


@login_required
@require_POST
def issue_certificate(request):
    resident = get_my_resident(request.user)
    today = timezone.localdate()
    start = _date(request.POST.get("from"), today.replace(month=1, day=1))
    end = _date(request.POST.get("to"), today)
    if start is None or end is None:
        messages.error(request, _("日期格式不正确，请用 2026-01-01 这样的格式"))
        return redirect("associations:my_records")
    attempt(
        request,
        cert_actions.do_issue_certificate,
        resident,
        actor=request.user,
        period_from=start,
        period_to=end,
        done=_("证明已出具，可以下载打印"),
    )
    return redirect("associations:my_records")


@login_required
def certificate_pdf(request, number):
    access = access_for(request.user)
    cert = Certificate.objects.filter(number=number).first()
    if cert is None or (
        cert.resident_id != access.resident_id and cert.community_id not in access.community_ids
    ):
        raise Http404
    url = request.build_absolute_uri(reverse("associations:verify", args=[cert.verify_code]))
    response = HttpResponse(render_certificate_pdf(cert, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cert.number}.pdf"'
    return response


def verify(request, code):
    """Public: the certificate's facts and nothing more."""
    cert = Certificate.objects.filter(verify_code=code).first()
    if cert is None:
        return render(request, "associations/certificate_verify.html", {"cert": None}, status=404)
    return render(
        request,
        "associations/certificate_verify.html",
        {"cert": cert, "hours": hours_text(cert.minutes)},
    )
