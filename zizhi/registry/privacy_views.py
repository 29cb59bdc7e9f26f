"""Workers' pages for residents' data rights: correction requests (list, approve, decline)
and the erasure of a resident who moved away. The work is done in rights.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from zizhi.accounts.access import get_resident_for, get_staff_community

from . import rights
from .models import CorrectionStatus


@login_required
def corrections(request, code):
    community = get_staff_community(request.user, code)
    qs = rights.corrections_for(request.user, community)
    return render(
        request,
        "registry/corrections.html",
        {
            "current_community": community,
            "open": qs.filter(status=CorrectionStatus.OPEN).order_by("created_at"),
            "answered": qs.exclude(status=CorrectionStatus.OPEN).order_by("-answered_at")[:30],
        },
    )


class AnswerForm(forms.Form):
    reply = forms.CharField(
        label=_("答复居民"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def correction(request, code, pk):
    community = get_staff_community(request.user, code)
    item = rights.get_correction_for(request.user, pk, community)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        reply = form.cleaned_data["reply"]
        try:
            if request.POST.get("decision") == "approve":
                rights.do_approve_correction(item, reply, actor=request.user)
                messages.success(request, _("已按申请更正"))
            else:
                rights.do_decline_correction(item, reply, actor=request.user)
                messages.success(request, _("已答复居民：不更正"))
        except ValidationError as exc:
            form.add_error("reply", exc)
            status = 400
        else:
            return redirect("registry:corrections", code)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "registry/correction.html",
        {"current_community": community, "item": item, "form": form},
        status=status,
    )


class EraseForm(forms.Form):
    moved_out = forms.BooleanField(label=_("该居民已迁出本社区"))
    confirm_name = forms.CharField(label=_("请输入该居民的姓名以确认"), max_length=50)
    reason = forms.CharField(
        label=_("注销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


@login_required
def erase(request, code, pk):
    community = get_staff_community(request.user, code)
    resident = get_resident_for(request.user, pk, community)
    form = EraseForm(request.POST or None)
    status = 200
    if resident.erased_at:
        return render(
            request,
            "registry/erase.html",
            {"current_community": community, "resident": resident, "form": None},
        )
    if request.method == "POST" and form.is_valid():
        try:
            rights.do_erase_resident(
                resident,
                actor=request.user,
                confirm_name=form.cleaned_data["confirm_name"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error("confirm_name", exc)
            status = 400
        else:
            messages.success(request, _("已注销该居民的个人信息"))
            return redirect("registry:resident", code, pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "registry/erase.html",
        {"current_community": community, "resident": resident, "form": form},
        status=status,
    )
