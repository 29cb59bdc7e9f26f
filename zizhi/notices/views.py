"""Public pages: the board of a community, a notice, its PDF and attachments (no login),
and a resident's objection (login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_public_community

from . import actions
from .access import (
    can_file_objection,
    get_public_notice,
    is_staff_of,
    notices_for,
    objections_for,
    public_notices,
)
from .files import INLINE_TYPES
from .forms import ObjectionForm
from .models import Category, NoticeStatus
from .pdf import render_notice_pdf
from .qr import qr_svg

PAGE_SIZE = 20
SHOW = {
    "current": gettext_lazy("公示中"),
    "expired": gettext_lazy("已到期"),
    "withdrawn": gettext_lazy("已撤回"),
}


def board_notices(community, show: str, category: str = ""):
    now = timezone.now()
    qs = public_notices().filter(community=community)
    if show == "expired":
        qs = qs.filter(status=NoticeStatus.PUBLISHED, ends_at__lte=now)
    elif show == "withdrawn":
        qs = qs.filter(status=NoticeStatus.WITHDRAWN)
    else:
        qs = qs.filter(status=NoticeStatus.PUBLISHED, ends_at__gt=now)
    if category in Category.values:
        qs = qs.filter(category=category)
    return qs.order_by("-published_at", "-id")


def board(request, code):
    community = get_public_community(code)
    show = request.GET.get("show", "current")
    if show not in SHOW:
        show = "current"
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    page = Paginator(board_notices(community, show, category), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notices/board.html",
        {
            "community": community,
            "page": page,
            "show": show,
            "shows": [(key, str(label)) for key, label in SHOW.items()],
            "category": category,
            "categories": Category.choices,
            "is_staff": is_staff_of(request.user, community.pk),
        },
    )


def notice_url(request, notice) -> str:
    return request.build_absolute_uri(
        reverse("notices:detail", args=[notice.community.code, notice.pk])
    )


def _detail_context(request, notice, form=None) -> dict:
    can_object = can_file_objection(request.user, notice)
    return {
        "community": notice.community,
        "notice": notice,
        "attachments": notice.attachments.all(),
        "objections": objections_for(request.user, notice),
        "can_object": can_object,
        "form": form or (ObjectionForm() if can_object else None),
        "qr": qr_svg(notice_url(request, notice)),
        "is_staff": is_staff_of(request.user, notice.community_id),
    }


def detail(request, code, pk):
    notice = get_public_notice(code, pk)
    return render(request, "notices/notice.html", _detail_context(request, notice))


@login_required
@require_POST
def file_objection(request, code, pk):
    notice = get_public_notice(code, pk)
    if access_for(request.user).resident_community_id != notice.community_id:
        raise PermissionDenied(_("只有本社区的居民可以提出异议"))
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            actions.do_file_objection(notice, form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("您的异议已提交，社区工作人员会尽快答复。"))
            return redirect("notices:detail", code, notice.pk)
    context = _detail_context(request, notice, form)
    context["can_object"] = True
    return render(request, "notices/notice.html", context, status=200)


def notice_pdf(request, code, pk):
    notice = get_public_notice(code, pk)
    data = render_notice_pdf(notice, notice_url(request, notice))
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{notice.number or notice.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def attachment(request, code, pk, attachment_id):
    """An attachment: public once its notice is; staff of the community see drafts' too."""
    notice = get_object_or_404(
        notices_for(request.user).select_related("community"), community__code=code, pk=pk
    )
    item = get_object_or_404(notice.attachments, pk=attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = item.content_type in INLINE_TYPES
    return FileResponse(
        handle, as_attachment=not inline, filename=item.name, content_type=item.content_type
    )
