"""The site's URLs with the admin mounted, as ZIZHI_ADMIN=true does (tests/test_admin.py)."""

from zizhi.accounts import admin_site
from zizhi.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, *admin_site.urlpatterns("admin/")]
