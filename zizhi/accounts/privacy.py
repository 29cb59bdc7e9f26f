"""Pages with personal data are not kept by browsers or proxies (PIPL; GB/T 35273).

Every response to a signed-in caller (session or bearer token) may show someone's name, phone,
ID number or votes, so it gets `Cache-Control: no-store` (and `Pragma: no-cache` for HTTP/1.0
proxies): a shared computer at the community office keeps no copy in its cache, and the back
button after logging out shows nothing. So do answers to a form (POST): they echo what was typed,
such as the phone on a failed activation. Public pages for anonymous visitors carry no personal
data and keep their caching, except the few public views listed in PUBLIC_PERSONAL (a
certificate's verification shows the volunteer's name and masked ID number to whoever holds its
link). Static files never get here: whitenoise answers them earlier.

A response that already says `no-store` or `private` is left as its view made it.
"""

import logging
import re

from django.conf import settings
from django.utils.functional import SimpleLazyObject, empty

# Views that anyone may open and that show a person's data (view names as resolved).
PUBLIC_PERSONAL = frozenset({"associations:verify", "api:verify_certificate"})

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def signed_in(request) -> bool:
    """A bearer token was offered, or the session's user is signed in. The session is looked at
    only when its cookie came, so anonymous visitors' pages do not start to vary on Cookie."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    user = request.__dict__.get("user")  # AuthenticationMiddleware's lazy user, or a real one
    if user is None:
        return False
    if (
        isinstance(user, SimpleLazyObject)
        and user._wrapped is empty
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return False  # not loaded yet and no session to load it from: anonymous
    return bool(user.is_authenticated)


def shows_personal_data(request) -> bool:
    if signed_in(request) or request.method not in SAFE_METHODS:
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in PUBLIC_PERSONAL


def add_no_store(response) -> None:
    current = response.get("Cache-Control", "").lower()
    if "no-store" in current or "private" in current:
        return
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"


class NoStoreForPersonalData:
    """`Cache-Control: no-store` on every response that may show personal data (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if shows_personal_data(request):
            add_no_store(response)
        return response


# --- log lines -------------------------------------------------------------------------------

# An ID number (GB 11643: region, birth date, sequence, check character) and a mainland mobile
# number, not inside a longer run of digits. Chinese text around them is no word boundary.
ID_NUMBER = re.compile(
    r"(?<![0-9])([1-9][0-9]{5})(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}([0-9Xx])(?![0-9A-Za-z])"
)
MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def redact(text: str) -> str:
    """110105********002X and 139****1234, as the pages show them masked."""
    text = ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 11}{m.group(2)}", text)
    return MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class RedactPersonalData(logging.Filter):
    """A log handler's filter: a message or a traceback never carries an ID number or a phone
    (a database error's detail may quote the row, such as PostgreSQL's "Key (phone)=(...)
    already exists")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
