"""Roster import and export pages (upload, preview, confirm, progress)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from zizhi.accounts.access import get_staff_community


@login_required
def upload(request, code):
    get_staff_community(request.user, code)
    return HttpResponse("import: to be built", status=501)


@login_required
def export_roster(request, code):
    get_staff_community(request.user, code)
    return HttpResponse("export: to be built", status=501)
