"""Community staff's suggestion pages: the list with overdue flags and filters, entering a
suggestion for a resident who came to the office or phoned, a suggestion with the buttons of
exactly the moves allowed now, the deadline and holiday settings, and the Excel export."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_staff_community
from zizhi.governance.web import attempt, find_resident, form_errors

from . import actions, queries
from .access import can_handle, get_suggestion_for
from .export import suggestions_xlsx
from .forms import (
    AssignForm,
    CalendarDayForm,
    DeadlineForm,
    DeclineForm,
    NoteForm,
    PeriodForm,
    RateForm,
    ReplyForm,
    StaffEntryForm,
    month_period,
)
from .models import CalendarDay, DeadlineSettings, Suggestion, SuggestionStatus, SuggestionStep
from .resident_views import (
    author_label,
    handler_label,
    photos_of,
    plan_of,
    plan_of_form,
    unseen_similar,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_subdistrict_admin_of(user, community) -> bool:
    return community.subdistrict_id in access_for(user).subdistrict_ids


@login_required
def staff_list(request, code):
    community = get_staff_community(request.user, code)
    status = request.GET.get("status", "")
    if status not in SuggestionStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    q = request.GET.get("q", "").strip()[:50]
    page = queries.staff_list(
        community, status=status or None, overdue=overdue, q=q, page=request.GET.get("page")
    )
    return render(
        request,
        "proposals/staff_list.html",
        {
            "current_community": community,
            "page": page,
            "status": status,
            "statuses": SuggestionStatus.choices,
            "overdue": overdue,
            "q": q,
            "counts": counts_of(community),
            "period_form": PeriodForm(initial=month_period(timezone.localdate())),
            "subdistrict": community.subdistrict
            if is_subdistrict_admin_of(request.user, community)
            else None,
        },
    )


def counts_of(community) -> dict:
    """The figures above the list: overdue (as the list counts them), waiting for acceptance,
    escalated to the subdistrict."""
    counts = Suggestion.objects.filter(community=community).aggregate(
        registered=Count("pk", filter=Q(status=SuggestionStatus.REGISTERED)),
        escalated=Count("pk", filter=Q(status=SuggestionStatus.ESCALATED)),
    )
    counts["overdue"] = queries.staff_list(community, overdue=True, page=1).paginator.count
    return counts


@login_required
def staff_new(request, code):
    """A worker enters the suggestion of a resident who came to the office or phoned."""
    community = get_staff_community(request.user, code)
    form = StaffEntryForm(request.POST or None, request.FILES or None, community=community)
    similar, photos_lost = [], False
    if request.method == "POST":
        if form.is_valid():
            resident = find_resident(request, community, form.cleaned_data["who"])
            if resident is not None:
                similar = unseen_similar(community, form.cleaned_data, request.POST, staff=True)
                if similar:
                    messages.warning(request, _("已有相似的建议，请先确认是不是同一件事。"))
                else:
                    s = attempt(
                        request,
                        actions.do_file_suggestion,
                        community,
                        **form.action_kwargs(),
                        resident=resident,
                        channel=form.cleaned_data["channel"],
                        actor=request.user,
                        done=_("已登记"),
                    )
                    if s:
                        return redirect("proposals:filed", code, s.pk)
        else:
            form_errors(request, form)
        photos_lost = bool(request.FILES)
    return render(
        request,
        "proposals/staff_new.html",
        {
            "current_community": community,
            "community": community,
            "form": form,
            "plan": plan_of_form(community, form),
            "similar": similar,
            "photos_lost": photos_lost,
            "staff": True,
        },
    )


def _staff_suggestion(request, code, pk):
    community = get_staff_community(request.user, code)
    return get_suggestion_for(request.user, community, pk)


def moves_for(user, s) -> list[str]:
    """The moves the user may make on the suggestion now, from the table of allowed moves:
    the community's staff handle it; the subdistrict's administrators answer an escalation."""
    allowed = actions.allowed_moves(s)
    if not can_handle(user, s):
        return []
    if not is_subdistrict_admin_of(user, s.community):
        allowed = [m for m in allowed if m != "answer"]
    return allowed


def _detail(request, s, status=200, **forms):
    community = s.community
    context = {
        "current_community": community,
        "community": community,
        "s": s,
        "steps": SuggestionStep.objects.filter(suggestion=s).order_by("at", "pk"),
        "handler": handler_label(s),
        "photos": photos_of(s),
        "plan": plan_of(s),
        "author": author_label(s, request.user),
        "moves": moves_for(request.user, s),
        "decline_form": DeclineForm(),
        "assign_form": AssignForm(community=community),
        "note_form": NoteForm(),
        "reply_form": ReplyForm(),
        "answer_form": ReplyForm(prefix="answer"),
        "rate_form": RateForm(),
        "open_form": "",
    }
    context.update(forms)
    return render(request, "proposals/staff_detail.html", context, status=status)


@login_required
def staff_detail(request, code, pk):
    return _detail(request, _staff_suggestion(request, code, pk))


def _bound(form_class, request, **kwargs):
    form = form_class(request.POST, **kwargs)
    return form, form.is_valid()


@login_required
@require_POST
def staff_act(request, code, pk, act):
    s = _staff_suggestion(request, code, pk)
    user = request.user
    if act not in ("accept", "decline", "assign", "start", "reply", "answer", "rate"):
        raise Http404
    try:
        if act == "accept":
            attempt(request, actions.do_accept_suggestion, s, actor=user, done=_("已受理"))
        elif act == "decline":
            form, ok = _bound(DeclineForm, request)
            if not ok:
                return _detail(request, s, decline_form=form, open_form="decline")
            attempt(
                request,
                actions.do_decline_suggestion,
                s,
                form.cleaned_data["reason"],
                actor=user,
                done=_("已决定不予受理，理由已告知居民"),
            )
        elif act == "assign":
            form, ok = _bound(AssignForm, request, community=s.community)
            if not ok:
                return _detail(request, s, assign_form=form)
            d = form.cleaned_data
            attempt(
                request,
                actions.do_assign_suggestion,
                s,
                user=d["user"],
                body=d["body"],
                unit=d["unit"],
                note=d["note"],
                actor=user,
                done=_("已交办"),
            )
        elif act == "start":
            form, ok = _bound(NoteForm, request)
            if not ok:
                return _detail(request, s, note_form=form)
            attempt(
                request,
                actions.do_start_suggestion,
                s,
                form.cleaned_data["note"],
                actor=user,
                done=_("已开始办理"),
            )
        elif act == "reply":
            form, ok = _bound(ReplyForm, request)
            if not ok:
                return _detail(request, s, reply_form=form)
            attempt(
                request,
                actions.do_reply_suggestion,
                s,
                form.cleaned_data["reply"],
                actor=user,
                done=_("已答复，居民会收到通知"),
            )
        elif act == "answer":
            form, ok = _bound(ReplyForm, request, prefix="answer")
            if not ok:
                return _detail(request, s, answer_form=form)
            attempt(
                request,
                actions.do_answer_escalation,
                s,
                form.cleaned_data["reply"],
                actor=user,
                done=_("街道已答复，请居民再次评价"),
            )
        elif act == "rate":
            form, ok = _bound(RateForm, request)
            if not ok:
                return _detail(request, s, rate_form=form, open_form="rate")
            attempt(
                request,
                actions.do_rate_suggestion,
                s,
                form.cleaned_data["rating"],
                form.cleaned_data["comment"],
                actor=user,
                done=_("评价已登记"),
            )
    except PermissionDenied:
        messages.error(request, _("您不能办理这一步"))
    return redirect("proposals:staff_detail", code, s.pk)


@login_required
def settings_page(request, code):
    """The community's deadlines (working days) and its editable holiday table."""
    community = get_staff_community(request.user, code)
    current = DeadlineSettings.objects.filter(community=community).first()
    field = DeadlineSettings._meta.get_field
    deadline_form = DeadlineForm(
        initial={
            "accept_days": current.accept_days if current else field("accept_days").default,
            "reply_days": current.reply_days if current else field("reply_days").default,
        }
    )
    day_form = CalendarDayForm(initial={"is_workday": "0"})
    if request.method == "POST":
        what = request.POST.get("what")
        if what == "deadlines":
            deadline_form = DeadlineForm(request.POST)
            if deadline_form.is_valid() and attempt(
                request,
                actions.do_set_deadlines,
                community,
                deadline_form.cleaned_data["accept_days"],
                deadline_form.cleaned_data["reply_days"],
                actor=request.user,
                done=_("期限已保存"),
            ):
                return redirect("proposals:settings", code)
        elif what == "day":
            day_form = CalendarDayForm(request.POST)
            if day_form.is_valid() and attempt(
                request,
                actions.do_set_calendar_day,
                community,
                day_form.cleaned_data["date"],
                day_form.cleaned_data["is_workday"],
                day_form.cleaned_data["note"],
                actor=request.user,
                done=_("已保存这一天"),
            ):
                return redirect("proposals:settings", code)
    since = timezone.localdate() - datetime.timedelta(days=60)
    days = CalendarDay.objects.filter(
        Q(community=community) | Q(community__isnull=True), date__gte=since
    ).order_by("date", "community_id")
    return render(
        request,
        "proposals/settings.html",
        {
            "current_community": community,
            "deadline_form": deadline_form,
            "day_form": day_form,
            "days": days[:200],
            "calendar_note": calendar_note(),
        },
    )


def calendar_note() -> str:
    """Which years the built-in calendar (the chinesecalendar package) knows."""
    try:
        import chinese_calendar
    except ImportError:
        return _("没有内置的节假日日历：请在下表登记每年的放假和调休安排。")
    years = sorted({d.year for d in chinese_calendar.holidays})
    return _(
        "内置的节假日日历（chinesecalendar）包含%(a)s年至%(b)s年国务院公布的放假和调休安排；"
        "之后的年份请在下表登记，否则只按周末计算。"
    ) % {"a": years[0], "b": years[-1]}


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def period_or_message(request) -> tuple | None:
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"]
    form_errors(request, form)
    return None


@login_required
def export(request, code):
    community = get_staff_community(request.user, code)
    period = period_or_message(request)
    if period is None:
        return redirect("proposals:staff_list", code)
    start, end = period
    data = suggestions_xlsx(community, start, end, actor=request.user)
    return xlsx_response(data, f"suggestions-{community.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
