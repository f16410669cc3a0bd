"""Background work of the core app: delivering notifications from the outbox."""

from celery import shared_task

from . import notifications

__all__ = ["deliver_notification"]


@shared_task(acks_late=True)
def deliver_notification(notification_id: int) -> None:
    """Deliver one queued notification through its channel; a sent one is left alone."""
    notifications.deliver(notification_id)
