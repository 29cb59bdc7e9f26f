"""Member-facing pages: service posts (public), claiming a post, report-in, my Party page,
a member's quarterly report and its PDF, and the public verification page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_public_community

from . import actions
from .access import (
    can_manage,
    claims_for,
    get_claimable_post,
    get_member_for,
    get_own_claim,
    may_report_in,
    own_member,
)
from .models import Grade, PartyOrganisation, QuarterlyReport, ServicePost, quarter_of
from .pdf import render_report_pdf
from .queries import hours_text, quarter_report


def errors_of(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or _("您没有权限进行此操作")]


def parse_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def posts(request, code):
    """The community's service posts and needs; a member sees their claims and claims more."""
    return posts_page(request, get_public_community(code))


def posts_page(request, community, data=None, errors=None):
    rows = list(ServicePost.objects.filter(community=community).order_by("-is_open", "id"))
    me = own_member(request.user) if request.user.is_authenticated else None
    mine = {}
    if me is not None and me.community_id == community.pk:
        mine = dict(claims_for(request.user, community).values_list("post_id", "pk"))
    else:
        me = None
    for row in rows:
        row.my_claim = mine.get(row.pk)
    return render(
        request,
        "party/posts.html",
        {
            "community": community,
            "posts": rows,
            "me": me,
            "mine": mine,
            "is_branch": can_manage(request.user, community.pk),
            "data": data or {},
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def claim(request, code, pk):
    community = get_public_community(code)
    post = get_claimable_post(request.user, pk, community)
    try:
        actions.do_claim_post(post, note=request.POST.get("note", ""), actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in errors_of(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("认领成功：%(t)s") % {"t": post.title})
    return redirect("party:posts", community.code)


@login_required
@require_POST
def withdraw_claim(request, code, pk):
    """A member withdraws their own claim; back to my page or the posts list."""
    community = get_public_community(code)
    claim = get_own_claim(request.user, pk, community)
    try:
        post = actions.do_withdraw_claim(claim, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in errors_of(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已撤回认领：%(t)s") % {"t": post.title})
    if request.POST.get("next") == "me":
        return redirect("party:me")
    return redirect("party:posts", community.code)


@login_required
def report_in(request):
    """An in-service member reports in to the community where they live."""
    if not may_report_in(request.user):
        raise Http404
    me = own_member(request.user)
    if me is not None and hasattr(me, "report_in"):
        messages.info(request, _("您已经报到过了"))
        return redirect("party:me")
    community = request.user.resident.community
    orgs = PartyOrganisation.objects.filter(community=community)
    data = request.POST if request.method == "POST" else {"employer": me.employer if me else ""}
    errors = []
    if request.method == "POST":
        org = orgs.filter(pk=data.get("organisation") or 0).first()
        try:
            actions.do_report_in(
                employer=data.get("employer", ""),
                organisation=org,
                joined_on=parse_date(data.get("joined_on")),
                skills=data.get("skills", ""),
                availability=data.get("availability", ""),
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("报到成功，欢迎您参加社区服务"))
            return redirect("party:posts", community.code)
    return render(
        request,
        "party/report_in.html",
        {
            "community": community,
            "me": me,
            "orgs": orgs,
            "data": data,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def me(request):
    """My Party page: report-in, posts claimed, this quarter's report, issued reports."""
    member = own_member(request.user)
    if member is None:
        raise Http404
    quarter = quarter_of(timezone.localdate())
    return render(
        request,
        "party/me.html",
        {
            "member": member,
            "reported": getattr(member, "report_in", None),
            "claims": claims_for(request.user, member.community),
            "quarter": quarter,
            "reports": QuarterlyReport.objects.filter(member=member),
            "evaluated": QuarterlyReport.objects.filter(member=member, quarter=quarter).exists(),
        },
    )


def _report(request, code, pk, quarter):
    community = get_public_community(code)
    member = get_member_for(request.user, pk, community)
    try:
        return member, quarter_report(member, quarter)
    except ValueError as exc:
        raise Http404 from exc


@login_required
def report(request, code, pk, quarter):
    member, rep = _report(request, code, pk, quarter)
    return report_page(request, member, rep)


def report_page(request, member, rep, data=None, errors=None):
    issued = rep.issued
    data = data or (
        {"grade": issued.grade, "comment": issued.comment}
        if issued
        else {"grade": "", "comment": ""}
    )
    return render(
        request,
        "party/report.html",
        {
            "member": member,
            "report": rep,
            "is_branch": can_manage(request.user, member.community_id),
            "grades": Grade.choices,
            "data": data,
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


@login_required
def report_pdf(request, code, pk, quarter):
    member, rep = _report(request, code, pk, quarter)
    if rep.issued is None:
        raise Http404
    url = request.build_absolute_uri(reverse("party:verify", args=[rep.issued.verify_code]))
    response = HttpResponse(
        render_report_pdf(member, rep.issued, url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{rep.issued.number}.pdf"'
    return response


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def verify(request, code):
    """Public: the report's number, the member's masked name, quarter, hours and grade."""
    rep = (
        QuarterlyReport.objects.select_related("member__resident").filter(verify_code=code).first()
    )
    if rep is None:
        return render(request, "party/verify.html", {"rep": None}, status=404)
    return render(
        request,
        "party/verify.html",
        {
            "rep": rep,
            "name": mask_name(rep.member.resident.name),
            "hours": hours_text(rep.minutes),
        },
    )
