"""SMS and WhatsApp channels for citizens' status messages.

Abdi has no SMS or WhatsApp gateway contract yet: these channels write the message to the
log with the recipient's number (like ``core``'s console channel), so a gateway client can
replace them by registering under the same names.
"""

import logging

from abdi.core.models import Notification
from abdi.core.notifications import NotificationNotSent

__all__ = ["ConsolePhoneChannel"]

logger = logging.getLogger(__name__)


class ConsolePhoneChannel:
    """Log a short message to the recipient's phone number; no number, no message."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, notification: Notification) -> None:
        phone = (getattr(notification.recipient, "phone", "") or "").strip()
        if not phone:
            raise NotificationNotSent("no phone number")
        logger.info(
            "%s to %s: %s. %s", self.name, phone, notification.subject, notification.body[:300]
        )
