from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BelajarConfig(AppConfig):
    name = "abdi.belajar"
    label = "belajar"
    verbose_name = _("Learning")
