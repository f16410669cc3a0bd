"""Labels of kinerja's coded values for templates."""

from collections.abc import Iterable

from django import template

from ..choices import Predicate

register = template.Library()


@register.filter
def predicate_labels(values: Iterable[str]) -> str:
    """ "baik, kurang" → "Baik, Kurang" in the reader's language."""
    labels = dict(Predicate.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)
