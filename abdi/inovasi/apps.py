from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InovasiConfig(AppConfig):
    name = "abdi.inovasi"
    label = "inovasi"
    verbose_name = _("Innovation")

    def ready(self) -> None:
        from abdi.core import navigation

        from . import (
            metrics,  # noqa: F401 - registers this app's metric providers
            nav,
        )

        navigation.register("inovasi", nav.items)
