from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoralbankConfig(AppConfig):
    name = "zizhi.moralbank"
    verbose_name = _("道德银行")
