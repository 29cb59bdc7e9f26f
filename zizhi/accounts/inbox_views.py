"""The in-app inbox: meeting notices and requests to act."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .actions import do_mark_inbox_read


@login_required
def inbox(request):
    messages = request.user.inbox.all()[:100]
    return render(request, "accounts/inbox.html", {"inbox_messages": messages})


@require_POST
@login_required
def mark_read(request):
    do_mark_inbox_read(actor=request.user)
    return redirect("accounts:inbox")
