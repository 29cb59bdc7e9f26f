from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "zizhi.governance"
    verbose_name = _("议事决策")
