"""Notifications: an idempotent outbox delivered through pluggable channels."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from abdi.core import notifications
from abdi.core.models import Notification
from abdi.core.notifications import notify
from abdi.core.tasks import deliver_notification


@pytest.fixture
def person(db: Any) -> Any:
    return get_user_model().objects.create_user(username="ani", email="ani@example.id")


def test_a_key_is_used_once(person: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        first = notify(recipient=person, key="test:1", subject="Halo", body="Isi")
        second = notify(recipient=person, key="test:1", subject="Lain", body="Lain")

    assert first is not None
    assert second is None
    assert Notification.objects.get().subject == "Halo"
    assert len(callbacks) == 1


def test_email_is_delivered_once_the_transaction_commits(
    person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=person, key="test:2", subject="Halo", body="Isi pesan")
        assert notification is not None
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert (mail.outbox[0].subject, mail.outbox[0].body) == ("Halo", "Isi pesan")
    assert mail.outbox[0].to == ["ani@example.id"]
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.error == ""

    deliver_notification.delay(notification.pk)  # delivered already: nothing happens

    assert len(mail.outbox) == 1


def test_a_recipient_without_email_records_the_error(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    nobody = get_user_model().objects.create_user(username="tanpa-surel")

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=nobody, key="test:3", subject="Halo", body="Isi")

    notification = Notification.objects.get(key="test:3")
    assert (notification.sent_at, notification.error) == (None, "no email")
    assert mail.outbox == []


class RecordingChannel:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        self.sent.append(notification)


def test_a_registered_channel_is_used(
    person: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    channel = RecordingChannel()
    monkeypatch.setitem(notifications.CHANNELS, "sms", channel)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=person, key="test:4", subject="Halo", body="Isi", channel="sms")

    assert [n.key for n in channel.sent] == ["test:4"]
    assert Notification.objects.get(key="test:4").sent_at is not None
    assert mail.outbox == []


def test_an_unknown_channel_is_refused(person: Any) -> None:
    with pytest.raises(ValueError, match="merpati"):
        notify(recipient=person, key="test:5", subject="Halo", body="Isi", channel="merpati")
    assert not Notification.objects.exists()


def test_the_console_channel_logs(
    person: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        caplog.at_level("INFO", logger="abdi.core.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipient=person, key="test:6", subject="Halo", body="Isi", channel="console")

    assert "Halo" in caplog.text
    assert Notification.objects.get(key="test:6").sent_at is not None


def test_messages_committed_together_go_out_in_one_drain(
    person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        for number in range(3):
            notify(recipient=person, key=f"batch:{number}", subject=f"Pesan {number}", body="Isi")

    callbacks[0]()  # the first commit hook drains the whole outbox

    assert sorted(message.subject for message in mail.outbox) == ["Pesan 0", "Pesan 1", "Pesan 2"]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    for callback in callbacks[1:]:
        callback()  # the others find nothing waiting
    assert len(mail.outbox) == 3


class FailingChannel:
    def send(self, notification: Notification) -> None:
        if notification.key.endswith(":rusak"):
            raise ConnectionError("gateway down")


def test_a_failing_message_keeps_its_error_and_the_others_go_out(
    person: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setitem(notifications.CHANNELS, "sms", FailingChannel())
    with django_capture_on_commit_callbacks():
        for key in ("sms:1", "sms:rusak", "sms:3"):
            notify(recipient=person, key=key, subject="Halo", body="Isi", channel="sms")

    assert notifications.deliver_pending(batch=2) == 2

    sent = {key for key, at in Notification.objects.values_list("key", "sent_at") if at}
    assert sent == {"sms:1", "sms:3"}
    assert "gateway down" in Notification.objects.get(key="sms:rusak").error
    # A drain does not try it again; it stays for a retry by hand (``deliver``).
    assert notifications.deliver_pending() == 0


class QueuedDrains:
    def __init__(self) -> None:
        self.countdowns: list[float] = []

    def __call__(self, *args: Any, countdown: float = 0, **kwargs: Any) -> None:
        self.countdowns.append(countdown)


def test_with_a_broker_one_drain_is_queued_per_window(
    person: Any, monkeypatch: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from abdi.core.tasks import deliver_pending

    settings.ABDI_NOTIFY_BATCH_SECONDS = 2
    queued = QueuedDrains()
    monkeypatch.setitem(deliver_pending.app.conf, "task_always_eager", False)
    monkeypatch.setattr(deliver_pending, "apply_async", queued)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            notify(recipient=person, key=f"window:{number}", subject="Halo", body="Isi")

    assert queued.countdowns == [2]  # five messages, one drain two seconds later
    assert mail.outbox == []

    assert notifications.deliver_pending() == 5  # the drain, as the worker runs it
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=person, key="window:later", subject="Halo", body="Isi")

    assert queued.countdowns == [2, 2]  # the drain cleared the mark: the next one queues


def test_beat_drains_the_outbox_every_minute(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["core-deliver-pending"]
    assert (entry["task"], entry["schedule"]) == ("abdi.core.tasks.deliver_pending", 60.0)


def test_a_key_known_to_be_new_is_written_without_a_savepoint(
    person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks():
        notify(recipient=person, key="new:1", subject="Halo", body="Isi", new_key=True)
        notify(recipient=person, key="maybe:1", subject="Halo", body="Isi")

    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert statements == ["INSERT", "SAVEPOINT", "INSERT", "RELEASE"]
    assert set(Notification.objects.values_list("key", flat=True)) == {"new:1", "maybe:1"}


class BrokenCache:
    def delete(self, key: str) -> None:
        raise ConnectionError("cache down")


def test_a_drain_delivers_even_when_the_cache_is_down(
    person: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks():
        notify(recipient=person, key="cache:1", subject="Halo", body="Isi")
    monkeypatch.setattr(notifications, "cache", BrokenCache())

    assert notifications.deliver_pending() == 1
    assert [message.subject for message in mail.outbox] == ["Halo"]
