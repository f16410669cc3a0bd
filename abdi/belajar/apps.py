from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BelajarConfig(AppConfig):
    name = "abdi.belajar"
    label = "belajar"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from abdi.core import navigation

        from . import (
            certificates,
            metrics,  # noqa: F401 - registers "JP earned" for SKP indicators
            nav,
        )

        certificates.register()
        navigation.register("belajar", nav.items)
