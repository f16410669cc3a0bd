from django.urls import path

from . import views

app_name = "kinerja"
urlpatterns = [
    path("", views.plan_mine, name="plan-mine"),
    path("mulai/", views.plan_create, name="plan-create"),
    path("skp/<uuid:public_id>/", views.plan_detail, name="plan-detail"),
    path("skp/<uuid:public_id>/rhk/", views.rhk_create, name="rhk-create"),
    path("skp/<uuid:public_id>/lampiran/", views.plan_annex, name="plan-annex"),
    path("skp/<uuid:public_id>/ajukan/", views.plan_submit, name="plan-submit"),
    path("skp/<uuid:public_id>/setujui/", views.plan_approve, name="plan-approve"),
    path("skp/<uuid:public_id>/kembalikan/", views.plan_return, name="plan-return"),
    path("skp/<uuid:public_id>/revisi/", views.plan_revise, name="plan-revise"),
    path("skp/<uuid:public_id>/ekspektasi/", views.plan_expectations, name="plan-expectations"),
    path("skp/<uuid:public_id>/skp.pdf", views.plan_pdf, name="plan-pdf"),
    path("skp/<uuid:public_id>/skp.xlsx", views.plan_xlsx, name="plan-xlsx"),
    path("rhk/<uuid:public_id>/hapus/", views.rhk_delete, name="rhk-delete"),
    path("rhk/<uuid:public_id>/ubah/", views.rhk_update, name="rhk-update"),
    path(
        "rhk/<uuid:public_id>/kontributor/",
        views.rhk_contributor_add,
        name="rhk-contributor-add",
    ),
    path("rhk/<uuid:public_id>/indikator/", views.indicator_create, name="indicator-create"),
    path("rhk/<uuid:public_id>/umpan-balik/", views.feedback_create, name="feedback-create"),
    path("indikator/<uuid:public_id>/hapus/", views.indicator_delete, name="indicator-delete"),
    path("indikator/<uuid:public_id>/ubah/", views.indicator_update, name="indicator-update"),
    path(
        "indikator/<uuid:public_id>/realisasi/",
        views.realisation_create,
        name="realisation-create",
    ),
    path(
        "realisasi/<uuid:public_id>/putuskan/",
        views.realisation_decide,
        name="realisation-decide",
    ),
    path("bukti/<uuid:public_id>/", views.evidence_file, name="evidence-file"),
    path("tim/", views.team, name="team"),
    path("kaskade/", views.cascade, name="cascade"),
    path("matriks/", views.matrix, name="matrix"),
    path("matriks.xlsx", views.matrix_xlsx, name="matrix-xlsx"),
    path("keluaran/", views.outputs, name="output-list"),
    path("keluaran/<uuid:public_id>/putuskan/", views.output_decide, name="output-decide"),
]
from . import views_admin  # noqa: E402  (appended with the admin pages)

urlpatterns += [
    path("kelola/", views_admin.manage, name="manage"),
    path("kelola/periode/", views_admin.year_open, name="year-open"),
    path("kelola/plt/", views_admin.acting_assign, name="acting-assign"),
    path("kelola/plt/<uuid:public_id>/akhiri/", views_admin.acting_end, name="acting-end"),
]
