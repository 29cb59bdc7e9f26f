from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "zizhi.notices"
    verbose_name = _("居务公开")
