"""How API callers prove who they are: a bearer token (programs) or the session (browser).

`API_AUTH` is the default for every API route: the bearer token is tried first, so a
program sending `Authorization: Bearer zz_...` never trips the session's CSRF check.
"""

import datetime
import functools

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from . import rows
from .models import ApiToken, User

TOKEN_PREFIX = "zz_"
# last_used_at is written at most once per interval, not on every call.
LAST_USED_INTERVAL = datetime.timedelta(minutes=1)


@functools.cache
def _token_sql(vendor: str, own_transaction: bool = False) -> str:
    """The token with its user by the key's hash, in one plain query (see accounts.rows). On
    PostgreSQL the same statement moves last_used_at when it is older than the interval,
    so the usual call costs one round trip.

    own_transaction (the statement is its own transaction, not inside a caller's): that
    transaction commits without waiting for its WAL to reach the disk (synchronous_commit
    off for it alone), so a ballot does not wait for two disk flushes, the token's and its
    own. A crash can lose only the newest last_used_at values; any later durable commit,
    such as the ballot's, flushes them too."""
    table, users = ApiToken._meta.db_table, User._meta.db_table
    select = (
        f"SELECT {rows.columns(ApiToken, 't')}, {rows.columns(User, 'u')} "
        f"FROM {table} t JOIN {users} u ON u.id = t.user_id "
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
    )
    if vendor != "postgresql":
        return select
    return (
        f"WITH found AS ({select}), touched AS (UPDATE {table} SET last_used_at = %s "
        "WHERE key_hash = %s AND EXISTS (SELECT 1 FROM found) "
        "AND (last_used_at IS NULL OR last_used_at <= %s) "
        + ("AND set_config('synchronous_commit', 'off', true) = 'off' " if own_transaction else "")
        + "RETURNING id) "
        "SELECT * FROM found"
    )


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer zz_...`: an unrevoked ApiToken of an active user."""

    def authenticate(self, request, token):
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        now = timezone.now()
        params = [ApiToken.hash_key(token)]
        if connection.vendor == "postgresql":
            params += [now, params[0], now - LAST_USED_INTERVAL]
        row = rows.fetchone(_token_sql(connection.vendor, not connection.in_atomic_block), params)
        if row is None:
            return None
        n = rows.width(ApiToken)
        api_token, user = rows.load(ApiToken, row[:n], "t"), rows.load(User, row[n:], "u")
        api_token.user = user
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_INTERVAL:
            if connection.vendor != "postgresql":  # PostgreSQL: done by the query above
                ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        # Code below the API (actions, audit) reads request.user like in a page view.
        request.user = user
        request.api_token = api_token
        return user


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


def anyone(request):
    """Optional login: the session's user, or the anonymous user (no 401)."""
    return request.user


# For public routes: a bearer token is read when sent, so a program sees what its user may
# see; without one the route answers as for the session's user or an anonymous visitor.
PUBLIC = [bearer_auth, anyone]
