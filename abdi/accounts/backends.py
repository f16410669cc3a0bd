"""The authentication backend of sessions: Django's, with the user's identity in one query."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from abdi.core.queries import unique_or_none
from abdi.organisations.access import remember_identity, with_identity

__all__ = ["IdentityModelBackend"]


class IdentityModelBackend(ModelBackend):
    """:class:`ModelBackend` whose session user comes with its employee and citizen records.

    Nearly every request asks who the signed-in user is as an employee or a citizen (the
    menu, the access checks); loading those with the user saves a query or three on each.
    """

    def get_user(self, user_id: Any) -> Any:
        users = with_identity(get_user_model()._default_manager.all())
        user = unique_or_none(users.filter(pk=user_id))
        if user is None or not self.user_can_authenticate(user):
            return None
        return remember_identity(user)
