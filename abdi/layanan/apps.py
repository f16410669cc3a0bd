from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayananConfig(AppConfig):
    name = "abdi.layanan"
    label = "layanan"
    verbose_name = _("Public services")

    def ready(self) -> None:
        from abdi.core import navigation
        from abdi.core.notifications import register_channel
        from abdi.verifikasi import registry

        from . import (
            metrics,  # noqa: F401 - registers this app's metric providers
            nav,
        )
        from .channels import ConsolePhoneChannel
        from .verification import describe_product

        navigation.register("layanan", nav.items)
        register_channel("sms", ConsolePhoneChannel("SMS"))
        register_channel("whatsapp", ConsolePhoneChannel("WhatsApp"))
        registry.register("layanan.product", _("Public service product"), describe=describe_product)
