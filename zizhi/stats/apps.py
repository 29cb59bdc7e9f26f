from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "zizhi.stats"
    verbose_name = _("统计与报表")

    def ready(self):
        from . import summary_models  # noqa: F401  (the summaries' models, beside models.py)
