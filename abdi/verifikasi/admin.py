from django.contrib import admin

from .models import VerifiableDocument, VerificationCheck


@admin.register(VerifiableDocument)
class VerifiableDocumentAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "title", "instansi", "issued_at", "revoked_at"]
    list_filter = ["kind", "instansi"]
    search_fields = ["code", "title", "holder"]
    readonly_fields = [f.name for f in VerifiableDocument._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(VerificationCheck)
class VerificationCheckAdmin(admin.ModelAdmin):
    list_display = ["checked_at", "code_tried", "outcome", "channel", "ip"]
    list_filter = ["outcome", "channel"]
    readonly_fields = [f.name for f in VerificationCheck._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
