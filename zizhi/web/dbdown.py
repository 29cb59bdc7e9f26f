"""A database that does not answer (restarting, failing over, out of connections): a clear 503
that says to try again, in place of a 500 error page.

Django turns an exception into a 500 response in the layer where it happens (a view, or a
middleware that reads the session or the user), so no outer middleware ever sees the exception
itself. Django sends `got_request_exception` while handling it; the receiver below marks the
request when the exception was the database's (OperationalError, InterfaceError: a lost
connection, a server shutting down, a refused connection, a lock or statement timeout), and
DatabaseUnavailableMiddleware answers such a request's 500 with a 503: JSON
`{"detail": ...}` under /api/, a short page elsewhere, both with Retry-After. The error is
still logged as before. A retry with the same Idempotency-Key is safe: a ballot or posting
that was stored before the connection broke is returned, not stored twice.
"""

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def message() -> str:
    return _("系统暂时无法连接数据库，请稍后再试。刚才的操作如果没有成功，可以放心重试。")


def unavailable(request) -> HttpResponse:
    """The 503 answer: JSON under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message()}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        title = escape(_("服务暂时不可用"))
        response = HttpResponse(
            '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body><main><h1>{title}</h1>"
            f"<p>{escape(message())}</p></main></body></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request.zizhi_database_down = True


got_request_exception.connect(_mark, dispatch_uid="zizhi.web.dbdown")


class DatabaseUnavailableMiddleware:
    """Answers 503 for a request that failed because the database did not answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "zizhi_database_down", False):
            return unavailable(request)
        return response
