from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "zizhi.finance"
    verbose_name = _("财务与资产公开")
