"""The branch desk (Party branch committee and subdistrict Party committee only): members,
registration, employers' organisations, posts, evaluations, who has not reported or
served, and care of retired members. Everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.registry.models import Resident

from . import actions
from .access import (
    get_managed_member,
    get_member_for,
    get_party_community,
    get_post_for,
    members_for,
    organisations_for,
    visits_for,
)
from .models import (
    BranchKind,
    MemberStatus,
    PartyMember,
    PostKind,
    QuarterlyReport,
    VisitKind,
    quarter_of,
)
from .queries import birthdays, care_list, gaps, quarter_report, recent_service
from .views import errors_of, parse_date, posts_page, report_page


def _candidates(community):
    """Residents of the community whose registry row says Party member, not yet registered."""
    return (
        Resident.objects.filter(community=community, political_status__in=actions.PARTY_STATUSES)
        .exclude(pk__in=PartyMember.objects.values("resident_id"))
        .order_by("name_initials", "id")
    )


def _desk(request, community, data=None, errors=None):
    status = request.GET.get("status", "")
    qs = members_for(request.user, community)
    if status in MemberStatus.values:
        qs = qs.filter(status=status)
    counts = dict(
        PartyMember.objects.filter(community=community)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return render(
        request,
        "party/desk.html",
        {
            "community": community,
            "members": qs,
            "status": status,
            "statuses": MemberStatus.choices,
            "branches": BranchKind.choices,
            "counts": [(label, counts.get(value, 0)) for value, label in MemberStatus.choices],
            "candidates": _candidates(community),
            "orgs": organisations_for(request.user, community),
            "data": data or {},
            "errors": errors or [],
            "quarter": quarter_of(timezone.localdate()),
        },
        status=400 if errors else 200,
    )


@login_required
def desk(request, code):
    return _desk(request, get_party_community(request.user, code))


@login_required
@require_POST
def register(request, code):
    community = get_party_community(request.user, code)
    data = request.POST
    resident = _candidates(community).filter(pk=data.get("resident") or 0).first()
    org = (
        organisations_for(request.user, community).filter(pk=data.get("organisation") or 0).first()
    )
    try:
        if resident is None:
            raise ValidationError(_("请选择要登记的居民"))
        member = actions.do_register_member(
            community,
            resident,
            status=data.get("status", ""),
            joined_on=parse_date(data.get("joined_on")),
            employer=data.get("employer", ""),
            organisation=org,
            branch=data.get("branch", BranchKind.COMMUNITY),
            note=data.get("note", ""),
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        return _desk(request, community, data, errors_of(exc))
    messages.success(request, _("已登记党员：%(n)s") % {"n": member.name})
    return redirect("party:member", community.code, member.pk)


def _member_page(request, community, m, data=None, errors=None):
    return render(
        request,
        "party/member.html",
        {
            "community": community,
            "m": m,
            "reported": getattr(m, "report_in", None),
            "claims": m.claims.select_related("post"),
            "visits": visits_for(request.user, community).filter(member=m),
            "service": recent_service(m),
            "reports": QuarterlyReport.objects.filter(member=m),
            "quarter": quarter_of(timezone.localdate()),
            "kinds": VisitKind.choices,
            "today": timezone.localdate(),
            "data": data or {},
            "errors": errors or [],
        },
        status=400 if errors else 200,
    )


@login_required
def member(request, code, pk):
    community = get_party_community(request.user, code)
    return _member_page(request, community, get_member_for(request.user, pk, community))


@login_required
def organisations(request, code):
    community = get_party_community(request.user, code)
    data = request.POST if request.method == "POST" else {}
    errors = []
    if request.method == "POST":
        try:
            org = actions.do_register_organisation(
                community,
                name=data.get("name", ""),
                employer=data.get("employer", ""),
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("单位党组织已报到：%(n)s") % {"n": org.name})
            return redirect("party:organisations", community.code)
    return render(
        request,
        "party/organisations.html",
        {
            "community": community,
            "orgs": organisations_for(request.user, community).annotate(n=Count("members")),
            "data": data,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def add_post(request, code):
    community = get_party_community(request.user, code)
    try:
        post = actions.do_create_post(
            community,
            title=request.POST.get("title", ""),
            kind=request.POST.get("kind", PostKind.POST),
            description=request.POST.get("description", ""),
            places=request.POST.get("places") or 0,
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        return posts_page(request, community, request.POST, errors_of(exc))
    messages.success(request, _("已发布岗位：%(t)s") % {"t": post.title})
    return redirect("party:posts", community.code)


def _open_or_close(request, code, pk, action, done):
    community = get_party_community(request.user, code)
    post = get_post_for(request.user, pk, community)
    try:
        action(post, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in errors_of(exc):
            messages.error(request, message)
    else:
        messages.success(request, done % {"t": post.title})
    return redirect("party:posts", community.code)


@login_required
@require_POST
def close_post(request, code, pk):
    return _open_or_close(request, code, pk, actions.do_close_post, _("已停止认领：%(t)s"))


@login_required
@require_POST
def reopen_post(request, code, pk):
    return _open_or_close(request, code, pk, actions.do_reopen_post, _("已重新开放认领：%(t)s"))


@login_required
@require_POST
def evaluate(request, code, pk, quarter):
    community = get_party_community(request.user, code)
    m = get_managed_member(request.user, pk, community)
    try:
        actions.do_evaluate_member(
            m,
            quarter,
            grade=request.POST.get("grade", ""),
            comment=request.POST.get("comment", ""),
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        try:
            rep = quarter_report(m, quarter)
        except ValueError as bad:
            raise Http404 from bad
        return report_page(request, m, rep, request.POST, errors_of(exc))
    messages.success(request, _("评价已保存，季度报告已出具"))
    return redirect("party:report", community.code, m.pk, quarter)


@login_required
def gaps_page(request, code):
    community = get_party_community(request.user, code)
    quarter = quarter_of(timezone.localdate())
    return render(
        request,
        "party/gaps.html",
        {"community": community, "quarter": quarter, **gaps(community, quarter)},
    )


@login_required
def care(request, code):
    community = get_party_community(request.user, code)
    return render(
        request,
        "party/care.html",
        {
            "community": community,
            "rows": care_list(community),
            "birthdays": birthdays(community),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def add_visit(request, code, pk):
    community = get_party_community(request.user, code)
    m = get_managed_member(request.user, pk, community)
    data = request.POST
    try:
        actions.do_record_visit(
            m,
            visited_on=parse_date(data.get("visited_on")),
            kind=data.get("kind", ""),
            visitor=data.get("visitor", ""),
            ill=data.get("ill") == "on",
            needs=data.get("needs", ""),
            notes=data.get("notes", ""),
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        return _member_page(request, community, m, data, errors_of(exc))
    messages.success(request, _("走访记录已保存"))
    return redirect("party:member", community.code, m.pk)
