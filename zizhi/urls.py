from django.conf import settings
from django.urls import include, path

from zizhi.api import api

urlpatterns = [
    # First: its prefix is its own, and an API call then skips matching every page route.
    path("api/v1/", api.urls),
    path("", include("zizhi.web.urls")),
    path("accounts/", include("zizhi.accounts.urls")),
    path("", include("zizhi.registry.urls")),
    path("audit/", include("zizhi.audit.urls")),
    path("", include("zizhi.governance.urls")),
    path("", include("zizhi.notices.urls")),
    path("", include("zizhi.proposals.urls")),
    path("", include("zizhi.finance.urls")),
    path("", include("zizhi.associations.urls")),
    path("", include("zizhi.moralbank.urls")),
    path("", include("zizhi.greening.urls")),
    path("", include("zizhi.party.urls")),
    path("", include("zizhi.wishes.urls")),
    path("", include("zizhi.mediation.urls")),
    path("", include("zizhi.stats.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.ZIZHI_ADMIN:
    from zizhi.accounts import admin_site

    urlpatterns += admin_site.urlpatterns(settings.ZIZHI_ADMIN_PATH)
