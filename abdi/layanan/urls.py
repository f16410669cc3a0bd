from django.urls import path

from . import views

app_name = "layanan"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("status/", views.status, name="status"),
    path("saya/", views.mine, name="mine"),
    path("antrean/", views.queue, name="queue"),
    path("antrean/<uuid:public_id>/", views.case_detail, name="case-detail"),
    path("antrean/<uuid:public_id>/<slug:action>/", views.case_action, name="case-action"),
    path("jadwal/", views.slots, name="slots"),
    path("ikm/", views.ikm_report, name="ikm"),
    path("berkas/<uuid:public_id>/", views.document_file, name="document-file"),
    path("permohonan/<uuid:public_id>/", views.application_detail, name="application-detail"),
    path(
        "permohonan/<uuid:public_id>/perbaiki/",
        views.application_resubmit,
        name="application-resubmit",
    ),
    path("permohonan/<uuid:public_id>/jadwal/", views.application_book, name="application-book"),
    path("permohonan/<uuid:public_id>/survei/", views.survey, name="survey"),
    path("permohonan/<uuid:public_id>/produk/", views.product_file, name="product"),
    path("<uuid:public_id>/", views.service_detail, name="service-detail"),
    path("<uuid:public_id>/ajukan/", views.apply, name="apply"),
]
