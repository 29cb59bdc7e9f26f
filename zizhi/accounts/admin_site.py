"""The Django admin: off unless ZIZHI_ADMIN=true, superusers only, a one-time code required.

The admin is an operator's window for looking at rows, not a second way to change them: every
change goes through the apps' actions (which check rules and write the audit log), so here
every model is read-only. The login asks for the password and then a code from a TOTP
authenticator app (django-otp); devices are made with `zizhi admin-device PHONE`. Failed
logins count towards the same lockout as the site's (django-axes). Hidden columns: the
password hash, token hashes and the encrypted ID numbers.
"""

from django.apps import apps
from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

HIDDEN_PARTS = ("password", "encrypted", "hash", "key", "secret", "token")


def hidden(field_name: str) -> bool:
    return any(part in field_name for part in HIDDEN_PARTS)


class ZizhiAdminSite(OTPAdminSite):
    site_header = _("自治平台 系统管理（只读）")
    site_title = _("自治平台 系统管理")
    index_title = _("数据表（只读，修改请用各业务页面）")

    def has_permission(self, request) -> bool:
        # OTPAdminSite: an active staff member whose session passed a one-time code.
        return super().has_permission(request) and request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_exclude(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if hidden(f.name)]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


site = ZizhiAdminSite(name="admin")
for model in apps.get_models():
    if model.__module__.startswith(("zizhi.", "django_otp.")):
        site.register(model, ReadOnlyAdmin)


def urlpatterns(prefix: str) -> list:
    return [path(prefix, site.urls)]
