from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InovasiConfig(AppConfig):
    name = "abdi.inovasi"
    label = "inovasi"
    verbose_name = _("Innovation")
