from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WawasanConfig(AppConfig):
    name = "abdi.wawasan"
    label = "wawasan"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from abdi.core import changes, navigation

        from . import facts, nav

        navigation.register("wawasan", nav.items)
        changes.register_listener(facts.mark_stale)
