from django.urls import path

from . import views, views_import

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_index, name="unit-list"),
    path("profil/", views.my_profile, name="profile"),
    path("pegawai/", views.employee_list, name="employee-list"),
    path("pegawai/<uuid:public_id>/", views.employee_detail, name="employee-detail"),
    path("unit/<uuid:public_id>/", views.unit_detail, name="unit-detail"),
    path("impor/", views_import.import_create, name="import-create"),
    path("impor/templat.xlsx", views_import.import_template, name="import-template"),
    path("impor/<uuid:public_id>/", views_import.import_detail, name="import-detail"),
    path("impor/<uuid:public_id>/progres/", views_import.import_progress, name="import-progress"),
    path("impor/<uuid:public_id>/terapkan/", views_import.import_apply, name="import-apply"),
    path("<slug:code>/", views.unit_tree, name="unit-tree"),
    path("<slug:code>/unit/baru/", views.UnitCreateView.as_view(), name="unit-create"),
    path(
        "<slug:code>/unit/<uuid:public_id>/ubah/",
        views.UnitUpdateView.as_view(),
        name="unit-update",
    ),
    path("<slug:code>/jabatan/baru/", views.PositionCreateView.as_view(), name="position-create"),
    path(
        "<slug:code>/jabatan/<uuid:public_id>/ubah/",
        views.PositionUpdateView.as_view(),
        name="position-update",
    ),
    path("<slug:code>/pegawai/", views.employee_list, name="instansi-employee-list"),
    path("<slug:code>/pegawai/baru/", views.EmployeeCreateView.as_view(), name="employee-create"),
    path(
        "<slug:code>/pegawai/<uuid:public_id>/ubah/",
        views.EmployeeUpdateView.as_view(),
        name="employee-update",
    ),
]
