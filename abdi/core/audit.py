"""Write audit events from services."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from .context import RequestContext, get_context
from .models import AuditEvent

__all__ = ["audit_record", "audit_record_bulk", "snapshot"]


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the JSON-safe values of ``fields`` on ``instance`` (FKs by id)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)  # type: ignore[union-attr]
        data[name] = value if isinstance(value, int | float | bool | None) else str(value)
    return data


def _require_transaction(function: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{function}() must be called inside the service's transaction.")


def _event(
    ctx: RequestContext,
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    target_label: str,
    instansi_id: int | None,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    reason: str,
) -> AuditEvent:
    """Return an unsaved event; the target's label is ``str(target)`` unless one is given."""
    target_id = ""
    if target is not None:
        target_id = str(getattr(target, "public_id", None) or target.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system"),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target_id,
        target_label=(target_label or (str(target) if target is not None else ""))[:255],
        instansi_id=instansi_id,
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        reason=reason,
        request_id=ctx.request_id,
        ip=ctx.ip,
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_label: str = "",
    instansi_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append an audit event for ``action``; must run inside the service's transaction."""
    _require_transaction("audit_record")
    event = _event(
        get_context(),
        actor=actor,
        action=action,
        target=target,
        target_label=target_label,
        instansi_id=instansi_id,
        before=before,
        after=after,
        reason=reason,
    )
    event.save(force_insert=True)
    return event


def audit_record_bulk(
    *,
    actor: Any,
    action: str,
    entries: Iterable[tuple[models.Model, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    instansi_id: int | None = None,
    reason: str = "",
    batch_size: int = 500,
) -> int:
    """Append one ``action`` event per ``(target, before, after)`` entry with bulk inserts.

    For services that change thousands of records at once (imports); like
    :func:`audit_record` it must run inside the service's transaction. Return the count.
    """
    _require_transaction("audit_record_bulk")
    ctx = get_context()
    events = [
        _event(
            ctx,
            actor=actor,
            action=action,
            target=target,
            target_label="",
            instansi_id=instansi_id,
            before=before,
            after=after,
            reason=reason,
        )
        for target, before, after in entries
    ]
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)
