"""Rate limits on the API, per user and per client IP (as Zulip does per user and per IP).

Three limits, each "<count>/<period>" with the period s, m, h or d, set in settings (and the
environment, see README "Configuration"); an empty value turns a limit off:
- ZIZHI_API_RATE_USER: a signed-in person (token or session), whatever address they call from;
- ZIZHI_API_RATE_ANON: an anonymous caller, by IP;
- ZIZHI_API_RATE_IP: every caller from one IP together, high enough for a meeting hall
  behind one NAT, low enough to stop one machine flooding the API.

The client IP is the one the audit log records (`audit.middleware.client_ip`: REMOTE_ADDR or
the header the trusted proxy sets), never X-Forwarded-For, so a forged header does not give
a fresh allowance. Counts are fixed windows in the "ratelimit" cache: Redis when CACHE_URL
names one (shared by every app server), otherwise each app-server process's memory, so with
N processes and no Redis a caller gets at most N times the limit (nginx's `limit_req` in
deploy/ caps the whole site per IP in front of them).
"""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from ninja.throttling import BaseThrottle

from zizhi.audit.middleware import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/m' -> (600, 60). Raises ValueError for anything else."""
    count, _, period = rate.partition("/")
    if period not in PERIODS or not count.isdigit() or int(count) < 1:
        raise ValueError(f"a rate is <count>/<s|m|h|d>, not {rate!r}")
    return int(count), PERIODS[period]


def _user_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RateLimit(BaseThrottle):
    """One limit: `setting` names the rate; `who` picks the caller's key or None (not counted)."""

    def __init__(self, setting: str, who):
        self.setting = setting
        self.who = who
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        rate = getattr(settings, self.setting)
        key = self.who(request)
        if not rate or key is None:
            return True
        limit, seconds = parse_rate(rate)
        now = time.time()
        window = int(now // seconds)
        cache_key = f"rl:{self.setting}:{key}:{window}"
        cache = caches["ratelimit"]
        cache.add(cache_key, 0, seconds + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, seconds + 1)
            count = 1
        self._local.wait = (window + 1) * seconds - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


def api_throttles() -> list[RateLimit]:
    return [
        RateLimit("ZIZHI_API_RATE_USER", lambda r: _user_id(r)),
        RateLimit(
            "ZIZHI_API_RATE_ANON", lambda r: None if _user_id(r) else client_ip(r) or "unknown"
        ),
        RateLimit("ZIZHI_API_RATE_IP", lambda r: client_ip(r) or "unknown"),
    ]
