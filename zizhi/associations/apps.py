from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "zizhi.associations"
    verbose_name = _("群团组织、活动与志愿服务")
