"""A NUL character in a page's address (path or query): 400 with a short message.

PostgreSQL refuses NUL in text, so `/c/H%00D/` would reach the database and fail there as a
500. No address of the platform has a use for it. Forms need nothing here: Django's form
fields refuse NUL themselves. The API has its own check with a JSON answer
(zizhi/api_input.py), which also covers cookies and JSON bodies.
"""

from django.http import HttpResponseBadRequest
from django.utils.html import escape
from django.utils.translation import gettext as _

NUL = "\x00"


def _in_query(request) -> bool:
    return any(NUL in key or any(NUL in v for v in vs) for key, vs in request.GET.lists())


class RefuseNulInAddress:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/") and (
            NUL in request.path_info or _in_query(request)
        ):
            text = escape(_("网址中含有不允许的空字符（NUL），请检查网址"))
            return HttpResponseBadRequest(
                f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
                f"<title>{text}</title></head><body><main><h1>{text}</h1></main></body></html>",
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)
