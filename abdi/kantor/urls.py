from django.urls import path

from . import views

app_name = "kantor"
urlpatterns = [
    path("", views.home, name="home"),
    path("surat/baru/", views.letter_create, name="letter-create"),
    path("surat/<uuid:public_id>/", views.letter_detail, name="letter-detail"),
    path("surat/<uuid:public_id>/ubah/", views.letter_edit, name="letter-edit"),
    path("surat/<uuid:public_id>/ajukan/", views.letter_submit, name="letter-submit"),
    path("surat/<uuid:public_id>/putuskan/", views.letter_decide, name="letter-decide"),
    path("surat/<uuid:public_id>/lampiran/", views.attachment_add, name="attachment-add"),
    path("surat/<uuid:public_id>/surat.pdf", views.letter_pdf, name="letter-pdf"),
    path("surat/<uuid:public_id>/versi/", views.letter_diff, name="letter-diff"),
    path("lampiran/<uuid:public_id>/", views.attachment_file, name="attachment-file"),
    path("disposisi/<uuid:public_id>/", views.disposition_create, name="disposition-create"),
    path(
        "disposisi/<uuid:public_id>/selesai/",
        views.disposition_complete,
        name="disposition-complete",
    ),
    path("arsip/", views.archive, name="archive"),
    path("kelola/", views.manage, name="manage"),
]
