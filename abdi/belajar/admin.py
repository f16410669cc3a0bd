"""Read-only admin views: every change goes through the services (the seat counter above all)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Certificate, JpEntry, Programme, Registration, Session


class ReadOnlyAdmin(admin.ModelAdmin):
    """Look, never touch: an admin edit would bypass the seat counter and the audit trail."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["title", "organiser", "attendance_threshold", "is_published"]
    list_filter = ["organiser"]
    search_fields = ["title"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "programme", "starts_at", "taken", "capacity", "status"]
    list_filter = ["status"]
    search_fields = ["topic"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["participant", "session", "status", "queued_at", "attended"]
    list_filter = ["status", "attended"]
    search_fields = ["employee__nip", "participant__username"]
    list_select_related = ["participant", "session"]


@admin.register(JpEntry)
class JpEntryAdmin(ReadOnlyAdmin):
    list_display = ["employee", "jp", "earned_on", "description"]
    search_fields = ["employee__nip", "employee__name"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "registration", "revoked_at"]
    search_fields = ["code"]
