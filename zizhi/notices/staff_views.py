"""Staff pages: the notice list with a create form, a notice's page with its actions
(edit, publish, withdraw, attachments, paper postings, answering objections)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_staff_community

from . import actions
from .access import get_notice_for_staff, get_objection_for_staff, staff_notices
from .forms import AnswerForm, AttachmentForm, NoticeForm, PostingForm, WithdrawForm
from .models import Notice

PAGE_SIZE = 30


def _fields(notice: Notice) -> dict:
    return {
        "category": notice.category,
        "title": notice.title,
        "body": notice.body,
        "period_days": notice.period_days,
        "source_label": notice.source_label,
        "source_url": notice.source_url,
    }


def _add_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def manage(request, code):
    community = get_staff_community(request.user, code)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = actions.do_create_notice(community, **form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存。检查无误后请点击“发布”。"))
            return redirect("notices:staff_detail", code, notice.pk)
    qs = (
        staff_notices(request.user)
        .filter(community=community)
        .annotate(
            open_objections=Count("objections", filter=Q(objections__answered_at__isnull=True))
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/manage.html",
        {"current_community": community, "page": page, "form": form},
    )


def _detail(request, notice, **forms):
    context = {
        "current_community": notice.community,
        "notice": notice,
        "attachments": notice.attachments.all(),
        "objections": notice.objections.select_related("resident", "answered_by"),
        "postings": notice.postings.select_related("recorded_by"),
        "withdraw_form": WithdrawForm(),
        "attachment_form": AttachmentForm(),
        "posting_form": PostingForm(),
        "answer_form": AnswerForm(),
        "answer_for": None,
    }
    context.update(forms)
    return render(request, "notices/staff_notice.html", context)


@login_required
def staff_detail(request, code, pk):
    notice = get_notice_for_staff(request.user, code, pk)
    return _detail(request, notice)


@login_required
def edit(request, code, pk):
    notice = get_notice_for_staff(request.user, code, pk)
    if not notice.is_draft:
        messages.error(request, _("只有草稿可以修改；已发布的公示请撤回后重新发布"))
        return redirect("notices:staff_detail", code, pk)
    form = NoticeForm(request.POST or None, initial=_fields(notice))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_notice(notice, **form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("notices:staff_detail", code, pk)
    return render(
        request,
        "notices/edit.html",
        {"current_community": notice.community, "notice": notice, "form": form},
    )


def _run(request, code, pk, action, success: str):
    """Run an action; a refused one shows its reason on the notice's page."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("notices:staff_detail", code, pk)


@login_required
@require_POST
def publish(request, code, pk):
    notice = get_notice_for_staff(request.user, code, pk)
    return _run(
        request,
        code,
        pk,
        lambda: actions.do_publish_notice(notice, actor=request.user),
        _("已发布，公示期从今天开始"),
    )


@login_required
@require_POST
def withdraw(request, code, pk):
    notice = get_notice_for_staff(request.user, code, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail(request, notice, withdraw_form=form)
    return _run(
        request,
        code,
        pk,
        lambda: actions.do_withdraw_notice(notice, form.cleaned_data["reason"], actor=request.user),
        _("已撤回，撤回原因已公开"),
    )


@login_required
@require_POST
def add_attachment(request, code, pk):
    notice = get_notice_for_staff(request.user, code, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.do_add_attachment(
                notice,
                form.cleaned_data["file"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("附件已添加"))
            return redirect("notices:staff_detail", code, pk)
    return _detail(request, notice, attachment_form=form)


@login_required
@require_POST
def record_posting(request, code, pk):
    notice = get_notice_for_staff(request.user, code, pk)
    form = PostingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.do_record_posting(notice, **form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("张贴记录已保存"))
            return redirect("notices:staff_detail", code, pk)
    return _detail(request, notice, posting_form=form)


@login_required
@require_POST
def answer_objection(request, code, pk, objection_id):
    notice = get_notice_for_staff(request.user, code, pk)
    objection = get_objection_for_staff(request.user, objection_id)
    if objection.notice_id != notice.pk:
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.do_answer_objection(objection, form.cleaned_data["answer"], actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("答复已保存，并在公示页面公开"))
            return redirect("notices:staff_detail", code, pk)
    return _detail(request, notice, answer_form=form, answer_for=objection.pk)


@login_required
def posting_photo(request, code, pk, posting_id):
    notice = get_notice_for_staff(request.user, code, pk)
    posting = get_object_or_404(notice.postings, pk=posting_id)
    try:
        handle = posting.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=posting.photo_type)
