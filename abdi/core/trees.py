"""Materialised paths ("/1/5/9/") for trees that are read by subtree far more than written."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr

__all__ = ["child_path", "path_ids", "rebase_subtree"]


def child_path(parent_path: str | None, pk: int) -> str:
    """Return the path of node ``pk`` under a parent with ``parent_path`` (None for a root)."""
    return f"{parent_path or '/'}{pk}/"


def path_ids(path: str) -> list[int]:
    """Return the ids along ``path``, root first and the node itself last ("/1/5/" → [1, 5])."""
    return [int(part) for part in path.strip("/").split("/") if part]


def rebase_subtree(queryset: models.QuerySet, field: str, old_prefix: str, new_prefix: str) -> int:
    """Rewrite ``field`` of every node under ``old_prefix`` to start with ``new_prefix``."""
    if old_prefix == new_prefix:
        return 0
    return queryset.filter(**{f"{field}__startswith": old_prefix}).update(
        **{
            field: Concat(
                Value(new_prefix),
                Substr(field, len(old_prefix) + 1, Length(field)),
                output_field=models.CharField(),
            )
        }
    )
