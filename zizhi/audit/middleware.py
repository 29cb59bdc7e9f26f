from django.conf import settings

from .context import current_ip


def client_ip(request) -> str | None:
    """The client address: REMOTE_ADDR, or the header the trusted proxy sets (never XFF)."""
    header = settings.AXES_IPWARE_META_PRECEDENCE_ORDER[0]
    return (request.META.get(header) or request.META.get("REMOTE_ADDR") or "").strip() or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
