from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoralbankConfig(AppConfig):
    name = "zizhi.moralbank"
    verbose_name = _("道德银行")

    def ready(self):
        from zizhi.associations.signals import service_records_written

        from .deposits import credit_records

        service_records_written.connect(credit_records, dispatch_uid="moralbank.credit_records")
