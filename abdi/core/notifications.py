"""Notifications: an outbox of messages to people, delivered through pluggable channels.

:func:`notify` writes one :class:`~abdi.core.models.Notification` per message and, once the
caller's transaction commits, schedules a drain of the outbox
(:func:`abdi.core.tasks.deliver_pending`), which hands every waiting message to the channel
named on its row. Messages committed within ``ABDI_NOTIFY_BATCH_SECONDS`` of each other share
one drain, so a busy hour costs the worker one task per second rather than one per message;
beat drains the outbox every minute as well, for a message whose drain was never queued (a
broker down at the time). Each message carries an idempotency ``key``
(``kinerja.plan_deadline:<year>:<user>:<days>``): a second message with the same key is
not written, so a scheduled job may run again without sending twice.

Channels are looked up by name in :data:`CHANNELS`; another app adds its own (SMS,
WhatsApp…) with :func:`register_channel` at import time::

    register_channel("sms", SmsChannel())
"""

import logging
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
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
    "deliver_pending",
    "notify",
    "register_channel",
    "schedule_delivery",
]

logger = logging.getLogger(__name__)

#: Set while a drain of the outbox is queued: a message committed meanwhile rides along.
DRAIN_QUEUED_KEY = "core.notifications.drain-queued"
#: How many messages one transaction of a drain locks and delivers.
DRAIN_BATCH = 200


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
    *,
    recipient: Any,
    key: str,
    subject: str,
    body: str,
    channel: str = "email",
    new_key: bool = False,
) -> Notification | None:
    """Queue a message to ``recipient`` unless one with ``key`` was already queued.

    Returns the new notification, or None if the key was already used. Delivery is enqueued
    when the surrounding transaction commits. ``new_key=True`` says the key cannot have been
    used (it names a row this transaction created): the insert then needs no savepoint, and a
    clash would be a bug that fails the caller's transaction.
    """
    if channel not in CHANNELS:
        raise ValueError(f"Unknown notification channel {channel!r}.")
    fields = {
        "recipient": recipient, "channel": channel, "key": key, "subject": subject[:255],
        "body": body,
    }  # fmt: skip
    if new_key:
        notification = Notification.objects.create(**fields)
    else:
        try:
            # The unique key says whether it was queued already: no read first.
            with transaction.atomic():
                notification = Notification.objects.create(**fields)
        except IntegrityError:
            # Queued before, or meanwhile by a concurrent run with the same key.
            return None
    # robust: a failing delivery (run eagerly without a broker) must not fail the caller;
    # beat's minutely drain delivers what a failed schedule left behind.
    transaction.on_commit(schedule_delivery, robust=True)
    return notification


def schedule_delivery() -> None:
    """Queue a drain of the outbox in ``ABDI_NOTIFY_BATCH_SECONDS``, unless one is queued.

    The drain clears the mark before it reads the outbox, so a message committed while the
    mark stood is read by it, and one committed after queues the next drain. Run eagerly (no
    broker), the drain runs at once.
    """
    from .tasks import deliver_pending

    if deliver_pending.app.conf.task_always_eager:
        deliver_pending.delay()
        return
    window = settings.ABDI_NOTIFY_BATCH_SECONDS
    # The mark lapses by itself after the window: with a cache that is not shared with the
    # worker (one per process), the lapse, not the drain, lets the next message queue one.
    if cache.add(DRAIN_QUEUED_KEY, 1, timeout=window):
        deliver_pending.apply_async(countdown=window)


def _send(notification: Notification) -> None:
    """Hand ``notification`` to its channel and set ``sent_at`` or ``error`` (not saved)."""
    channel = CHANNELS.get(notification.channel)
    try:
        if channel is None:
            raise NotificationNotSent(f"unknown channel {notification.channel}")
        channel.send(notification)
    except NotificationNotSent as problem:
        notification.error = str(problem)
        return
    notification.sent_at, notification.error = timezone.now(), ""


def deliver_pending(*, batch: int = DRAIN_BATCH) -> int:
    """Deliver every message still waiting, oldest first; return how many were handed over.

    Each batch is locked with ``SKIP LOCKED``, so two drains at once share the outbox instead
    of sending a message twice. A message whose channel fails unexpectedly keeps the error
    and is not tried again by a drain (``deliver`` can retry it); the others go on.
    """
    try:
        cache.delete(DRAIN_QUEUED_KEY)
    except Exception:  # the cache down must not hold the messages back; the mark lapses
        logger.warning("Could not clear the outbox drain mark.", exc_info=True)
    handed = 0
    while True:
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("recipient")
                .filter(sent_at__isnull=True, error="")
                .order_by("pk")[:batch]
            )
            for notification in waiting:
                try:
                    _send(notification)
                except Exception as problem:
                    logger.exception("Notification %s could not be delivered.", notification.pk)
                    notification.error = repr(problem)[:1000]
            Notification.objects.bulk_update(waiting, ["sent_at", "error"])
        handed += sum(1 for notification in waiting if notification.sent_at is not None)
        if len(waiting) < batch:
            return handed


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
            _send(notification)
            notification.save(update_fields=["sent_at", "error"])
            return notification
    except Exception as problem:
        logger.exception("Notification %s could not be delivered.", notification_id)
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
            error=repr(problem)[:1000]
        )
        raise
