import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .access import access_for

LAST_SEEN = "zizhi_last_seen"


class StaffIdleTimeoutMiddleware:
    """Log staff out after STAFF_IDLE_TIMEOUT seconds without a request.

    Residents are never timed out (an elderly resident voting must not lose the page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (access_for(user).is_staff or user.is_staff):
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("登录已超时，请重新登录。")}, status=401)
                messages.info(
                    request, _("您已长时间未操作，为保护居民信息已自动退出，请重新登录。")
                )
                return redirect(settings.LOGIN_URL)
            request.session[LAST_SEEN] = now
        return self.get_response(request)
