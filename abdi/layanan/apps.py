from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayananConfig(AppConfig):
    name = "abdi.layanan"
    label = "layanan"
    verbose_name = _("Public services")
