"""Labels of kinerja's coded values for templates."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..choices import Predicate

register = template.Library()

# The badge's colour for a plan's, a realisation's or an output's status.
_STATUS_CLASSES = {
    "approved": " badge-ok",
    "accepted": " badge-ok",
    "submitted": " badge-warn",
    "returned": " badge-err",
}


@register.filter
def predicate_labels(values: Iterable[str]) -> str:
    """ "baik, kurang" → "Baik, Kurang" in the reader's language."""
    labels = dict(Predicate.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


@register.simple_tag
def status_badge(status: str, label: str) -> SafeString:
    """A status as a coloured badge: ``{% status_badge plan.status plan.get_status_display %}``.

    A tag rather than an included template: the plan page shows one per realisation, and an
    include costs several times the badge itself.
    """
    return format_html(
        '<span class="badge{}" data-testid="status-{}">{}</span>',
        _STATUS_CLASSES.get(status, ""),
        status,
        label,
    )
