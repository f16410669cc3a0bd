from django.contrib import admin

from .models import Citizen, Employee, EmployeeImport, Instansi, Position, UnitKerja


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "timezone"]
    search_fields = ["name", "code"]
    filter_horizontal = ["administrators"]


@admin.register(UnitKerja)
class UnitKerjaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "instansi", "parent", "depth"]
    list_filter = ["instansi"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "is_unit_head", "reports_to"]
    list_filter = ["instansi", "kind", "is_unit_head"]
    search_fields = ["title"]
    readonly_fields = ["chain"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "asn_kind", "instansi", "position", "status"]
    list_filter = ["instansi", "asn_kind", "status"]
    search_fields = ["name", "nip"]
    raw_id_fields = ["user", "position"]


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_nik", "region_code"]
    search_fields = ["name"]
    raw_id_fields = ["user"]


@admin.register(EmployeeImport)
class EmployeeImportAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "instansi",
        "status",
        "total_rows",
        "error_count",
        "created_at",
    ]
    readonly_fields = ["rows", "summary"]
