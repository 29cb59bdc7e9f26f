"""Input no API route accepts: the NUL character (U+0000).

PostgreSQL refuses NUL in text ("text fields cannot contain NUL (0x00) bytes"), so a path
segment, query parameter, cookie, form field or JSON string holding one would reach the
database and fail there as a server error (found by the API fuzz, `make fuzz`). No field of
the platform has a use for it: the API answers 422 with a Chinese message before the view
runs, on SQLite and PostgreSQL alike. Uploaded files are not looked at (binary content).
"""

import functools
import json

NUL = "\x00"
_JSON_NUL = b"\\u0000"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _in_json(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_in_json(k) or _in_json(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_in_json(v) for v in value)
    return False


def _in_querydict(data) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in data.lists())


def has_nul(request) -> bool:
    """Whether the request's path, query, cookies or body fields hold a NUL character."""
    if NUL in request.path_info or _in_querydict(request.GET):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    body = request.body  # read first: parsing a multipart form would consume the stream
    if content_type.startswith(_FORM_TYPES):
        try:
            return _in_querydict(request.POST)
        except Exception:  # a malformed body: ninja answers for it as for any other
            return False
    if b"\x00" in body:
        return True
    if _JSON_NUL in body.lower():
        try:
            return _in_json(json.loads(body))
        except ValueError:
            return False
    return False


def refusing_nul(view, refuse):
    """The view, answering `refuse(request)` instead when the request holds a NUL."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if has_nul(request):
            return refuse(request)
        return view(request, *args, **kwargs)

    return wrapped
