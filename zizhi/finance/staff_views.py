"""Staff pages: the periods of a community, one period's books (entries, receipts, Excel
import and export, submit / approve / return / publish), categories, assets, and the
subdistrict's review queue."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_staff_community
from zizhi.governance.web import attempt, form_errors
from zizhi.web import uploads

from . import actions, importing, queries
from .access import can_approve, get_entry_of, get_staff_asset, get_staff_period
from .forms import (
    AssetForm,
    CategoryForm,
    EntryForm,
    ImportForm,
    OpenPeriodForm,
    ReceiptForm,
    ReturnForm,
    asset_initial,
)
from .models import MOVES, TRANSITIONS, Asset, Category, Period, PeriodStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _frozen(request, period):
    """A period no longer kept: say why (the forms are not shown on its page)."""
    messages.error(
        request,
        _("%(p)s的账期“%(s)s”，不能再修改。更正请记入之后的账期。")
        % {"p": period.label, "s": period.get_status_display()},
    )
    return redirect("finance:period", period.community.code, period.year, period.month)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    return response


@login_required
def manage(request, code):
    community = get_staff_community(request.user, code)
    periods = list(
        Period.objects.filter(community=community)
        .select_related("submitted_by", "approved_by")
        .order_by("-year", "-month")
    )
    form = OpenPeriodForm(request.POST or None, first=not periods)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            period = attempt(
                request,
                actions.do_open_period,
                community,
                year=d["year"],
                month=d["month"],
                opening_fen=d.get("opening"),
                actor=request.user,
                done=_("账期已开设，可以记账了"),
            )
            if period:
                return redirect("finance:period", code, period.year, period.month)
        else:
            form_errors(request, form)
        return redirect("finance:manage", code)
    return render(
        request,
        "finance/manage.html",
        {
            "current_community": community,
            "periods": periods,
            "form": form,
            "categories": Category.objects.filter(community=community),
            "category_form": CategoryForm(),
            "can_approve": can_approve(request.user, community),
        },
    )


def _moves_for(request, period) -> list[tuple[str, str]]:
    """The moves the table allows now that this user may make."""
    approver = can_approve(request.user, period.community)
    out = []
    for (status, move), _new in TRANSITIONS.items():
        if status != period.status:
            continue
        if move in ("approve", "return") and not approver:
            continue
        out.append((move, str(MOVES[move])))
    return out


def _default_date(period) -> datetime.date:
    """Today if it falls in the period's month, else the month's first day."""
    today = timezone.localdate()
    if (today.year, today.month) == (period.year, period.month):
        return today
    return datetime.date(period.year, period.month, 1)


def _period_page(request, period, **forms):
    community = period.community
    context = {
        "current_community": community,
        "period": period,
        "report": queries.period_report(period),
        "moves": _moves_for(request, period),
        "entry_form": EntryForm(
            community=community,
            initial={"direction": "expense", "date": _default_date(period)},
        ),
        "import_form": ImportForm(),
        "receipt_form": ReceiptForm(),
        "return_form": ReturnForm(),
        "can_approve": can_approve(request.user, community),
    }
    context.update(forms)
    return render(request, "finance/period.html", context)


@login_required
def period(request, code, year, month):
    return _period_page(request, get_staff_period(request.user, code, year, month))


@login_required
@require_POST
def add_entry(request, code, year, month):
    period = get_staff_period(request.user, code, year, month)
    if not period.is_editable:
        return _frozen(request, period)
    form = EntryForm(request.POST, community=period.community)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_entry(
                period,
                date=d["date"],
                direction=d["direction"],
                category=d["category"],
                amount_fen=d["amount"],
                description=d["description"],
                counterparty=d["counterparty"],
                receipt_no=d["receipt_no"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已记账"))
            return redirect("finance:period", code, year, month)
    period.refresh_from_db()
    return _period_page(request, period, entry_form=form)


@login_required
@require_POST
def delete_entry(request, code, year, month, entry_id):
    period = get_staff_period(request.user, code, year, month)
    entry = get_entry_of(period, entry_id)
    attempt(request, actions.do_delete_entry, entry, actor=request.user, done=_("已删除这笔账"))
    return redirect("finance:period", code, year, month)


@login_required
@require_POST
def add_receipt(request, code, year, month, entry_id):
    period = get_staff_period(request.user, code, year, month)
    entry = get_entry_of(period, entry_id)
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            actions.do_add_receipt,
            entry,
            form.cleaned_data["file"],
            actor=request.user,
            done=_("票据已上传"),
        )
    else:
        form_errors(request, form)
    return redirect("finance:period", code, year, month)


@login_required
@require_POST
def import_entries(request, code, year, month):
    period = get_staff_period(request.user, code, year, month)
    if not period.is_editable:
        return _frozen(request, period)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > uploads.max_bytes():
            form.add_error(
                "file", _("文件太大，不能超过 %(mb)d MB") % {"mb": uploads.max_bytes() // 2**20}
            )
        else:
            try:
                result = actions.do_import_entries(
                    period,
                    upload.read(),
                    uploads.display_name(upload.name, fallback="import.xlsx"),
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, _("没有导入任何一行，请改正以下问题后重新上传："))
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("导入完成：新增 %(a)d 笔，%(s)d 笔以前已导入，未重复记账")
                    % {"a": result.added, "s": result.skipped},
                )
                return redirect("finance:period", code, year, month)
    return _period_page(request, period, import_form=form)


@login_required
@require_POST
def move(request, code, year, month, move):
    period = get_staff_period(request.user, code, year, month)
    if move not in MOVES:
        raise Http404
    if move in ("approve", "return") and not can_approve(request.user, period.community):
        raise Http404
    reason = ""
    if move == "return":
        form = ReturnForm(request.POST)
        if not form.is_valid():
            return _period_page(request, period, return_form=form)
        reason = form.cleaned_data["reason"]
    done = {
        "submit": _("已提交街道审核"),
        "approve": _("已审核通过，社区可以公开了"),
        "return": _("已退回，社区会收到退回原因"),
        "publish": _("已公开，并已发布财务公示"),
    }[move]
    attempt(
        request,
        actions.do_move_period,
        period,
        move,
        reason=reason,
        actor=request.user,
        done=done,
    )
    return redirect("finance:period", code, year, month)


@login_required
def export(request, code, year, month):
    period = get_staff_period(request.user, code, year, month)
    data = importing.export_xlsx(period, queries.entries_for_export(period))
    return _xlsx(
        data, _("%(c)s收支明细%(p)s.xlsx") % {"c": period.community.name, "p": period.slug}
    )


@login_required
def template(request, code):
    community = get_staff_community(request.user, code)
    actions.ensure_categories(community)
    return _xlsx(importing.template_xlsx(community), _("收支明细导入模板.xlsx"))


@login_required
@require_POST
def add_category(request, code):
    community = get_staff_community(request.user, code)
    form = CategoryForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            actions.do_add_category,
            community,
            **form.cleaned_data,
            actor=request.user,
            done=_("类别已添加"),
        )
    else:
        form_errors(request, form)
    return redirect("finance:manage", code)


@login_required
def assets(request, code):
    community = get_staff_community(request.user, code)
    form = AssetForm(request.POST or None, initial={"state": "in_use"})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_create_asset(community, **form.action_fields(), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("资产已登记"))
            return redirect("finance:assets", code)
    rows = Asset.objects.filter(community=community).select_related("manager_user")
    return render(
        request,
        "finance/assets.html",
        {"current_community": community, "assets": rows, "form": form},
    )


@login_required
def asset_edit(request, code, pk):
    asset = get_staff_asset(request.user, code, pk)
    form = AssetForm(request.POST or None, initial=asset_initial(asset))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_asset(asset, **form.action_fields(), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存"))
            return redirect("finance:assets", code)
    return render(
        request,
        "finance/asset_edit.html",
        {"current_community": asset.community, "asset": asset, "form": form},
    )


@login_required
def review(request):
    """Subdistrict administrators: the periods of their communities waiting for approval."""
    access = access_for(request.user)
    if not access.is_subdistrict_admin:
        raise Http404
    waiting = (
        Period.objects.filter(
            community__subdistrict_id__in=access.subdistrict_ids,
            status=PeriodStatus.SUBMITTED,
        )
        .select_related("community", "submitted_by")
        .order_by("submitted_at", "id")
    )
    return render(request, "finance/review.html", {"waiting": waiting})
