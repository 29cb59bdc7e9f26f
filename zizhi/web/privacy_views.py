"""A resident's own data (PIPL): see it, download all of it (JSON and an A4 PDF), ask for a
correction and follow the answer. The work is done in registry/rights.py."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from zizhi.accounts.access import access_for
from zizhi.accounts.privacy import add_no_store
from zizhi.registry import rights
from zizhi.registry.models import CorrectionField, Resident

from .privacy_pdf import render_my_data_pdf


def own_resident(user) -> Resident:
    """The signed-in resident's registry row; 404 for anyone else."""
    access = access_for(user)
    if not access.is_resident:
        raise Http404
    return Resident.objects.select_related("community", "household__building", "user").get(
        pk=access.resident_id
    )


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("要更正哪一项"), choices=CorrectionField.choices)
    value = forms.CharField(label=_("正确的内容"), max_length=200)
    reason = forms.CharField(
        label=_("说明（可不填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def my_data(request):
    """What the registry holds about the resident, the downloads, and their corrections."""
    resident = own_resident(request.user)
    return render(
        request,
        "web/my_data.html",
        {
            "resident": resident,
            "corrections": resident.data_corrections.all()[:20],
            "form": CorrectionForm(),
        },
    )


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_no_store(response)
    return response


@login_required
def export_json(request):
    resident = own_resident(request.user)
    data = rights.do_export_personal_data(resident, actor=request.user, fmt="json")
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return _download(body, "application/json; charset=utf-8", "my-data.json")


@login_required
def export_pdf(request):
    resident = own_resident(request.user)
    data = rights.do_export_personal_data(resident, actor=request.user, fmt="pdf")
    return _download(render_my_data_pdf(data, resident.name), "application/pdf", "my-data.pdf")


@login_required
def request_correction(request):
    resident = own_resident(request.user)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rights.do_request_correction(
                resident,
                form.cleaned_data["field"],
                form.cleaned_data["value"],
                form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("value", exc)
        else:
            messages.success(request, _("更正申请已提交，社区工作人员核实后会答复您"))
            return redirect("web:my_data")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/my_data_correct.html", {"resident": resident, "form": form}, status=status
    )
