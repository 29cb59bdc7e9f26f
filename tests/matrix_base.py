"""What every permission-matrix table shares: the personas, the expected answers, `Try`.

tests/test_access_matrix.py holds the matrix; an app with many routes keeps its entries in
its own `tests/<app>_matrix.py` (a dict of `Try` named `ROUTES` and the rows they need).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ROLES = (
    "anonymous",
    "resident_a",
    "resident_b",
    "worker_a",
    "worker_b",
    "worker_c",
    "subadmin",
    "subadmin_other",
)
LOGIN = "302 to login"  # the expected answer of a login-only page to an anonymous visitor


def expect(default, **roles) -> dict:
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: roles.get(role, default) for role in ROLES}


def everyone(status) -> dict:
    return expect(status)


def logged_in(ok, anonymous=LOGIN) -> dict:
    return expect(ok, anonymous=anonymous)


def hd_staff(ok=200, anonymous=LOGIN, **roles) -> dict:
    """Staff of HD (worker_a, subadmin of dh) succeed; everyone else 404 alike."""
    return expect(404, worker_a=ok, subadmin=ok, anonymous=anonymous, **roles)


def any_staff(ok=200, anonymous=LOGIN) -> dict:
    return expect(ok, resident_a=404, resident_b=404, anonymous=anonymous)


def residents_only(ok=200, anonymous=LOGIN) -> dict:
    return expect(404, resident_a=ok, resident_b=ok, anonymous=anonymous)


def api_hd(ok=200) -> dict:
    """API view of HD rows: HD staff, and resident_a for their own rows."""
    return hd_staff(ok, anonymous=401, resident_a=ok)


@dataclass(frozen=True)
class Try:
    url: Callable[[object], str]
    expect: dict
    method: str = "get"
    json: dict | Callable[[object], dict] | None = field(default=None)  # a callable gets objects


def url(name, *args):
    return lambda o: reverse(name, args=[a(o) if callable(a) else a for a in args])
