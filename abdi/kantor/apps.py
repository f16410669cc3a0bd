from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KantorConfig(AppConfig):
    name = "abdi.kantor"
    label = "kantor"
    verbose_name = _("Office")

    def ready(self) -> None:
        from abdi.core import navigation

        from . import nav, verification

        navigation.register("kantor", nav.items)
        verification.register()
