from django.urls import path

from . import views

app_name = "inovasi"
urlpatterns = [
    path("", views.home, name="home"),
    path("baru/", views.create, name="create"),
    path("cari/", views.search, name="search"),
    path("pengaturan/", views.settings_edit, name="settings"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/ubah/", views.edit, name="edit"),
    path("<uuid:public_id>/ajukan/", views.submit, name="submit"),
    path("<uuid:public_id>/putuskan/", views.decide, name="decide"),
    path("<uuid:public_id>/tahap/", views.stage, name="stage"),
    path("<uuid:public_id>/perkembangan/", views.progress, name="progress"),
    path("<uuid:public_id>/bukti/", views.evidence, name="evidence"),
    path("<uuid:public_id>/anggota/", views.member, name="member"),
    path("<uuid:public_id>/kolaborator/", views.collaborator, name="collaborator"),
    path("<uuid:public_id>/skp/", views.skp, name="skp"),
    path("<uuid:public_id>/replikasi/", views.replicate, name="replicate"),
    path("bukti/<uuid:public_id>/", views.evidence_file, name="evidence-file"),
]
