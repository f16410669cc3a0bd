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
        _register_documents()


def _register_documents() -> None:
    """Register the kinds of document this app issues with the verification app."""
    from abdi.kantor.verification import check_signed_pdf
    from abdi.verifikasi import registry

    from .evaluation import documents

    registry.register(
        documents.SKP_KIND, _("Employee performance plan (SKP)"),
        describe=documents.describe_plan, check_file=check_signed_pdf,
    )  # fmt: skip
    registry.register(
        documents.EVALUATION_KIND, _("Performance evaluation document"),
        describe=documents.describe_evaluation, check_file=check_signed_pdf,
    )  # fmt: skip
