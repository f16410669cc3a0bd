"""Notifications: an outbox of messages to people, delivered through pluggable channels.

:func:`notify` writes one :class:`~abdi.core.models.Notification` per message and, once the
caller's transaction commits, enqueues :func:`abdi.core.tasks.deliver_notification`, which
hands it to the channel named on the row. Each message carries an idempotency ``key``
(``kinerja.plan_deadline:<year>:<user>:<days>``): a second message with the same key is
not written, so a scheduled job may run again without sending twice.

Channels are looked up by name in :data:`CHANNELS`; another app adds its own (SMS,
WhatsApp…) with :func:`register_channel` at import time::

    register_channel("sms", SmsChannel())
"""

import logging
from typing import Any, Protocol

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

__all__ = [
    "CHANNELS",
    "Channel",
    "ConsoleChannel",
    "EmailChannel",
    "NotificationNotSent",
    "deliver",
    "notify",
    "register_channel",
]

logger = logging.getLogger(__name__)


class NotificationNotSent(Exception):
    """A channel could not deliver a message for a lasting reason (no address…).

    The message is marked with the reason and not retried.
    """


class Channel(Protocol):
    """A way to deliver a notification; raises :class:`NotificationNotSent` if it cannot."""

    def send(self, notification: Notification) -> None: ...


class EmailChannel:
    """Email through Django's configured email backend, to the recipient's account email."""

    def send(self, notification: Notification) -> None:
        email = (notification.recipient.email or "").strip()
        if not email:
            raise NotificationNotSent("no email")
        send_mail(notification.subject, notification.body, None, [email])


class ConsoleChannel:
    """Write the message to the log: for development and for demonstrations."""

    def send(self, notification: Notification) -> None:
        logger.info(
            "Notification %s to %s: %s\n%s",
            notification.key,
            notification.recipient,
            notification.subject,
            notification.body,
        )


CHANNELS: dict[str, Channel] = {
    "email": EmailChannel(),
    "console": ConsoleChannel(),
}


def register_channel(name: str, channel: Channel) -> None:
    """Make ``channel`` available under ``name`` (replacing any channel of that name)."""
    CHANNELS[name] = channel


def notify(
    *, recipient: Any, key: str, subject: str, body: str, channel: str = "email"
) -> Notification | None:
    """Queue a message to ``recipient`` unless one with ``key`` was already queued.

    Returns the new notification, or None if the key was already used. Delivery is enqueued
    when the surrounding transaction commits.
    """
    if channel not in CHANNELS:
        raise ValueError(f"Unknown notification channel {channel!r}.")
    try:
        # The unique key says whether it was queued already: no read first.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, channel=channel, key=key, subject=subject[:255], body=body
            )
    except IntegrityError:
        # Queued before, or meanwhile by a concurrent run with the same key.
        return None
    from .tasks import deliver_notification

    notification_id = notification.pk
    # robust: a failing delivery (run eagerly without a broker) must not fail the caller.
    transaction.on_commit(lambda: deliver_notification.delay(notification_id), robust=True)
    return notification


def deliver(notification_id: int) -> Notification | None:
    """Hand the notification to its channel once; record when it was sent or why not.

    A notification already sent is left alone. A :class:`NotificationNotSent` is recorded as
    the error; any other failure is recorded too and propagates, so a task queue may retry.
    """
    try:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("recipient")
                .filter(pk=notification_id)
                .first()
            )
            if notification is None or notification.sent_at is not None:
                return notification
            channel = CHANNELS.get(notification.channel)
            try:
                if channel is None:
                    raise NotificationNotSent(f"unknown channel {notification.channel}")
                channel.send(notification)
            except NotificationNotSent as problem:
                notification.error = str(problem)
                notification.save(update_fields=["error"])
                return notification
            notification.sent_at, notification.error = timezone.now(), ""
            notification.save(update_fields=["sent_at", "error"])
            return notification
    except Exception as problem:
        logger.exception("Notification %s could not be delivered.", notification_id)
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
            error=repr(problem)[:1000]
        )
        raise
