"""What the public verification page shows about a service product, beyond its facts."""

from typing import Any

from .models import Application


def describe_product(document: Any) -> list[tuple[Any, Any]]:
    """The case's current status (a product of a case later reopened would show it)."""
    from django.utils.translation import gettext as _

    application = document.subject
    if not isinstance(application, Application):
        return []
    return [(_("Application status"), application.get_status_display())]
