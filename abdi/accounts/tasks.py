"""Background work of accounts: emails with password links."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

__all__ = ["send_password_link"]


@shared_task(acks_late=True)
def send_password_link(user_id: int, reason: str, language: str) -> None:
    """Email a link to choose a password; a fresh token each run, valid until it is used."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    path = reverse(
        "accounts:password-set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "reason": reason,
        "link": settings.ABDI_BASE_URL.rstrip("/") + path,
        "username": user.get_username(),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    with translation.override(language):
        subject = render_to_string("accounts/email/password_link_subject.txt", context).strip()
        body = render_to_string("accounts/email/password_link_body.txt", context)
    send_mail(subject, body, None, [user.email])
