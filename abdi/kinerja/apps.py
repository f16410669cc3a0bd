from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KinerjaConfig(AppConfig):
    name = "abdi.kinerja"
    label = "kinerja"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from abdi.core import navigation

        from . import (
            metrics,  # noqa: F401 - registers this app's metric providers
            nav,
        )

        navigation.register("kinerja", nav.items)
