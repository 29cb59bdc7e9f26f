from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "zizhi.proposals"
    verbose_name = _("居民建议与议案")
