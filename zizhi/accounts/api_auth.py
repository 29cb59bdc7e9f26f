"""How API callers prove who they are: a bearer token (programs) or the session (browser).

`API_AUTH` is the default for every API route: the bearer token is tried first, so a
program sending `Authorization: Bearer zz_...` never trips the session's CSRF check.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from .models import ApiToken

TOKEN_PREFIX = "zz_"
# last_used_at is written at most once per interval, not on every call.
LAST_USED_INTERVAL = datetime.timedelta(minutes=1)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer zz_...`: an unrevoked ApiToken of an active user."""

    def authenticate(self, request, token):
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=ApiToken.hash_key(token),
                revoked_at__isnull=True,
                user__is_active=True,
            )
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_INTERVAL:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        # Code below the API (actions, audit) reads request.user like in a page view.
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """ninja's `django_auth`, checking login before CSRF.

    An anonymous caller gets 401 (not "CSRF failed"); a logged-in caller's unsafe request
    without a valid CSRF token gets 403 with a Chinese message.
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request):
                raise HttpError(403, _("CSRF 校验失败，请刷新页面后重试"))
        return request.COOKIES.get(self.param_name)


bearer_auth = BearerTokenAuth()
session_auth = SessionAuth()
API_AUTH = [bearer_auth, session_auth]
