from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, Notification


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only view of the audit trail."""

    list_display = ["created_at", "actor_label", "action", "target_type", "target_label", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id", "request_id"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEvent | None = None) -> list[str]:
        return [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only view of the notification outbox."""

    list_display = ["created_at", "recipient", "channel", "subject", "sent_at", "error"]
    list_filter = ["channel", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "subject", "recipient__username", "recipient__email"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Notification | None = None
    ) -> list[str]:
        return [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
