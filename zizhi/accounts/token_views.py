"""Staff create and revoke their own API tokens (for programs calling /api/v1/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import actions
from .access import require_staff
from .models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The list of the user's tokens; POST creates one and shows its key this once."""
    require_staff(request.user)
    new_key = None
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, _("请填写令牌名称，例如“报表程序”。"))
        else:
            new_key = actions.do_create_api_token(name, actor=request.user)
    rows = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": rows, "new_key": new_key, "new_name": name if new_key else ""},
    )


@login_required
@require_POST
def revoke_token(request, pk):
    require_staff(request.user)
    actions.do_revoke_api_token(pk, actor=request.user)
    messages.success(request, _("令牌已吊销，使用它的程序将无法再访问。"))
    return redirect("accounts:tokens")
