from django.urls import path, re_path

from . import views

app_name = "wawasan"

urlpatterns = [
    path("", views.home, name="home"),
    path("nasional/", views.national, name="national"),
    path("instansi/<uuid:public_id>/", views.agency, name="agency"),
    path("unit/<uuid:public_id>/", views.unit, name="unit"),
    path("pegawai/<uuid:public_id>/", views.person, name="person"),
    path("data-terbuka/", views.open_data, name="open-data"),
    re_path(
        r"^data-terbuka/layanan\.(?P<fmt>csv|parquet)$", views.open_data_file, name="open-data-file"
    ),
]
