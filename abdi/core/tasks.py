"""Background work of the core app: delivering notifications from the outbox."""

from celery import shared_task

from . import notifications

__all__ = ["deliver_notification", "deliver_pending"]


@shared_task(acks_late=True)
def deliver_pending() -> int:
    """Deliver every message waiting in the outbox (queued by ``notify`` and by beat)."""
    return notifications.deliver_pending()


@shared_task(acks_late=True)
def deliver_notification(notification_id: int) -> None:
    """Deliver one queued notification through its channel; a sent one is left alone.

    ``notify`` no longer queues this task (it queues :func:`deliver_pending`); it stays for
    retrying one message by hand and for messages still in a broker across an upgrade.
    """
    notifications.deliver(notification_id)
