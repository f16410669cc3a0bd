from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_index, name="unit-list"),
    path("profil/", views.my_profile, name="profile"),
    path("pegawai/", views.employee_list, name="employee-list"),
    path("pegawai/<uuid:public_id>/", views.employee_detail, name="employee-detail"),
    path("unit/<uuid:public_id>/", views.unit_detail, name="unit-detail"),
    path("impor/", views.organisation_index, name="import-create"),
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
