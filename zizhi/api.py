"""The JSON API under /api/v1/ (django-ninja); each app adds its router.

Every route needs a login (bearer token or session) unless it says `auth=None`.
Schema: /api/v1/openapi.json. Docs: /api/v1/docs, served from ninja's bundled static files
("ninja" is in INSTALLED_APPS), so nothing loads from a CDN.
Errors are JSON `{"detail": "<Chinese message>"}`; bad parameters answer 422 with `errors`.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer

from zizhi.accounts.api import router as accounts_router
from zizhi.accounts.api_auth import API_AUTH
from zizhi.accounts.ratelimit import api_throttles
from zizhi.api_input import refusing_nul
from zizhi.associations.api import router as associations_router
from zizhi.finance.api import router as finance_router
from zizhi.governance.api import router as governance_router
from zizhi.greening.api import router as greening_router
from zizhi.mediation.api import router as mediation_router
from zizhi.moralbank.api import router as moralbank_router
from zizhi.moralbank.api_redeem import router as moralbank_redeem_router
from zizhi.notices.api import router as notices_router
from zizhi.party.api import router as party_router
from zizhi.proposals.api import router as proposals_router
from zizhi.proposals.motion_api import router as motions_router
from zizhi.registry.api import router as registry_router
from zizhi.stats.api import router as stats_router
from zizhi.stats.api_dashboard import router as dashboard_router
from zizhi.web import dbdown
from zizhi.wishes.api import router as wishes_router

logger = logging.getLogger("django.request")


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8 rather than \\uXXXX escapes: readable, and half the bytes."""

    json_dumps_params = {"ensure_ascii": False}


class ZizhiAPI(NinjaAPI):
    """NinjaAPI whose every route refuses a NUL character in its input (zizhi.api_input)."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = refusing_nul(pattern.callback, _refuse_nul)
        return urls


api = ZizhiAPI(
    title="Zizhi API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    throttle=api_throttles(),
    renderer=Utf8JSONRenderer(),
    # validatorUrl None: Swagger UI would otherwise fetch a badge from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", governance_router)
api.add_router("/", notices_router)
api.add_router("/", proposals_router)
api.add_router("/", motions_router)
api.add_router("/", finance_router)
api.add_router("/", associations_router)
api.add_router("/", moralbank_router)
api.add_router("/", moralbank_redeem_router)
api.add_router("/", greening_router)
api.add_router("/", party_router)
api.add_router("/", wishes_router)
api.add_router("/", mediation_router)
api.add_router("/", stats_router)
api.add_router("/", dashboard_router)


def _error(request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _refuse_nul(request):
    return _error(request, 422, _("请求中含有不允许的空字符（NUL）"))


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = _error(request, 401, _("请先登录，或提供有效的 API 令牌"))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def throttled(request, exc):
    return _error(request, 429, _("请求太频繁，请稍后再试"))


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = exc.message
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("请求内容不是有效的 JSON")  # ninja's own words are English
    return _error(request, exc.status_code, message)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, _("未找到，或您无权查看"))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, _("您没有权限进行此操作"))


@api.exception_handler(DjangoValidationError)
def bad_input(request, exc):
    return _error(request, 400, " ".join(exc.messages))


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_down(request, exc):
    # 503 with Retry-After, as zizhi.web.dbdown answers for pages (and for the API when the
    # error happens before the view); logged like any server error
    logger.error("database unavailable: %s %s", request.method, request.path, exc_info=exc)
    return dbdown.unavailable(request)


@api.exception_handler(ValidationError)
def invalid_params(request, exc):
    return _error(request, 422, _("请求参数不正确"), errors=exc.errors)
