"""Who may organise which programme. One condition per line; every branch is tested."""

from typing import Any

from django.db.models import Q

from abdi.organisations.access import administered_instansi_ids, can_admin_instansi

from .models import Programme

__all__ = ["can_create_programme", "is_organiser", "organised_programme_filter"]


def can_create_programme(user: Any, instansi_id: int) -> bool:
    """Return whether the user may start a programme organised by the agency (its admins)."""
    return can_admin_instansi(user, instansi_id)


def is_organiser(user: Any, programme: Programme) -> bool:
    """Return whether the user organises ``programme``.

    Organisers are the organiser agency's administrators (and platform admins) plus the
    users designated on the programme, e.g. employees of a BPSDM's training unit.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if can_admin_instansi(user, programme.organiser_id):
        return True
    return programme.organisers.filter(pk=user.pk).exists()


def organised_programme_filter(user: Any) -> Q | None:
    """Return the filter of programmes the user organises; None means every programme."""
    if user.is_superuser:
        return None
    return Q(organiser_id__in=administered_instansi_ids(user)) | Q(organisers=user)
