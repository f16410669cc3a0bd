"""Background work of the belajar app; every task is safe to run twice.

Notifications are keyed (one per person and message, reminder or promotion), closing a
session credits JP once per registration, and a certificate is issued once.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from abdi.core.notifications import notify

from . import conf, services
from .choices import RegistrationStatus, SessionStatus
from .models import Registration, Session, SessionMessage

__all__ = [
    "close_ended_sessions",
    "deliver_session_message",
    "issue_certificates",
    "notify_promoted",
    "purge_idempotency_keys",
    "send_session_reminders",
]

logger = logging.getLogger(__name__)

# A session is closed this long after it ends, so late leavers' heartbeats are in.
CLOSE_AFTER = timedelta(minutes=30)


def _session_line(session: Session) -> str:
    start = timezone.localtime(session.starts_at, ZoneInfo(session.programme.organiser.timezone))
    return f"{session.programme.title}: {session.topic} ({start:%d-%m-%Y %H:%M} {start.tzname()})"


def _stamp(registration: Registration) -> int:
    # One message per promotion: a person promoted, cancelled and promoted again hears twice.
    moment = registration.confirmed_at
    return int(moment.timestamp()) if moment else 0


@shared_task(acks_late=True)
def notify_promoted(registration_ids: list[int]) -> int:
    """Tell people moved up from the waiting list that they have a seat."""
    count = 0
    registrations = Registration.objects.filter(
        pk__in=registration_ids, status=RegistrationStatus.CONFIRMED
    ).select_related("participant", "session__programme__organiser")
    for registration in registrations:
        with override("id"):
            sent = notify(
                recipient=registration.participant,
                key=f"belajar.promoted:{registration.public_id}:{_stamp(registration)}",
                subject=_("You have a seat: %(session)s") % {"session": registration.session.topic},
                body=_("A seat became free and is now yours: %(line)s.")
                % {"line": _session_line(registration.session)},
            )
        count += sent is not None
    return count


@shared_task(acks_late=True)
def deliver_session_message(message_id: int) -> int:
    """Queue an organiser's message to every registrant of the session."""
    message = SessionMessage.objects.select_related("session").filter(pk=message_id).first()
    if message is None:
        return 0
    count = 0
    registrations = (
        Registration.objects.filter(session=message.session)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("participant")
        .order_by("pk")
    )
    for registration in registrations.iterator(chunk_size=500):
        sent = notify(
            recipient=registration.participant,
            key=f"belajar.message:{message.pk}:{registration.participant_id}",
            subject=message.subject,
            body=message.body,
        )
        count += sent is not None
    return count


@shared_task(acks_late=True)
def send_session_reminders(now: str | None = None) -> int:
    """Remind confirmed participants of sessions starting within the reminder windows."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    hours = sorted(conf.reminder_hours())
    if not hours:
        return 0
    sessions = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gt=moment,
        starts_at__lte=moment + timedelta(hours=hours[-1]),
    ).select_related("programme__organiser")
    count = 0
    for session in sessions:
        # The nearest window only: a session found 50 minutes ahead gets the 1-hour reminder.
        window = next(h for h in hours if session.starts_at - moment <= timedelta(hours=h))
        registrations = Registration.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED
        ).select_related("participant")
        for registration in registrations.iterator(chunk_size=500):
            with override("id"):
                sent = notify(
                    recipient=registration.participant,
                    key=f"belajar.reminder:{session.public_id}:{registration.participant_id}:{window}",
                    subject=_("Reminder: %(session)s") % {"session": session.topic},
                    body=_("Your session starts soon: %(line)s. Join from the session page.")
                    % {"line": _session_line(session)},
                )
            count += sent is not None
    logger.info("Queued %s learning reminders.", count)
    return count


@shared_task(acks_late=True)
def close_ended_sessions(now: str | None = None) -> int:
    """Decide attendance of sessions that ended a while ago (and credit JP)."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    ids = list(
        Session.objects.filter(
            status=SessionStatus.SCHEDULED, ends_at__lte=moment - CLOSE_AFTER
        ).values_list("pk", flat=True)
    )
    for session in Session.objects.filter(pk__in=ids):
        services.session_close(actor=None, session=session, now=moment)
    return len(ids)


@shared_task(acks_late=True)
def issue_certificates(session_id: int) -> int:
    """Issue the certificates of a closed session's attendees, one transaction each."""
    from . import certificates

    return certificates.issue_for_session(session_id)


@shared_task(acks_late=True)
def purge_idempotency_keys() -> int:
    """Forget idempotency answers older than the replay window."""
    return services.idempotency_purge()
