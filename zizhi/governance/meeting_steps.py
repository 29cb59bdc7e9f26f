"""POST handlers of the meeting page, one per verb; each calls one action."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from . import actions
from .models import Membership, PollMode
from .web import attempt


def notify(request, meeting):
    attempt(
        request,
        actions.do_notify_meeting,
        meeting,
        urgent_reason=request.POST.get("urgent_reason", ""),
        actor=request.user,
        done=_("会议通知已发出"),
    )


def open_meeting(request, meeting):
    attempt(
        request, actions.do_open_meeting, meeting, actor=request.user, done=_("会议开始，可以签到")
    )


def close(request, meeting):
    attempt(request, actions.do_close_meeting, meeting, actor=request.user, done=_("会议已结束"))


def minutes(request, meeting):
    attempt(
        request,
        actions.do_save_minutes,
        meeting,
        request.POST.get("minutes", ""),
        actor=request.user,
    )


def tick(request, meeting):
    membership = Membership.objects.filter(
        body=meeting.body, pk=request.POST.get("membership") or 0
    ).first()
    if membership is None:
        raise Http404
    method = "paper" if request.POST.get("method") == "paper" else "staff"
    attempt(
        request,
        actions.do_record_attendance,
        meeting,
        membership,
        method=method,
        actor=request.user,
        done=_("%(n)s已签到") % {"n": membership.name},
    )


def create_poll(request, meeting):
    item = meeting.items.filter(pk=request.POST.get("item") or 0).first()
    if item is None:
        raise Http404
    mode = request.POST.get("mode", PollMode.ONLINE)
    if mode not in PollMode.values:
        messages.error(request, _("表决方式不正确"))
        return
    attempt(
        request,
        actions.do_create_poll,
        item,
        question=request.POST.get("question", "") or item.title,
        mode=mode,
        secret=request.POST.get("secret") == "1",
        actor=request.user,
        done=_("表决已创建"),
    )


HANDLERS = {
    "notify": notify,
    "open": open_meeting,
    "close": close,
    "minutes": minutes,
    "tick": tick,
    "poll": create_poll,
}
