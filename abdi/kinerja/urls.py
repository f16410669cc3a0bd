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

from .views import calibration as calibration_views  # noqa: E402
from .views import evaluation as evaluation_views  # noqa: E402
from .views import evaluation_admin  # noqa: E402

urlpatterns += [
    path(
        "skp/<uuid:public_id>/evaluasi/<int:period>/",
        evaluation_views.evaluation_form,
        name="evaluation-form",
    ),
    path("tim/evaluasi/", evaluation_views.team_evaluations, name="team-evaluations"),
    path("rekan/<uuid:public_id>/360/", evaluation_views.peer_review, name="peer-review"),
    path("rekan/<uuid:public_id>/catatan/", evaluation_views.note_add, name="note-add"),
    path("riwayat/", evaluation_views.history, name="history"),
    path("evaluasi/<uuid:public_id>/keberatan/", evaluation_views.appeal_file, name="appeal-file"),
    path(
        "evaluasi/<uuid:public_id>/dokumen.pdf",
        evaluation_views.evaluation_pdf,
        name="evaluation-pdf",
    ),
    path("keberatan/", evaluation_views.appeal_list, name="appeal-list"),
    path(
        "keberatan/<uuid:public_id>/putuskan/",
        evaluation_views.appeal_decide,
        name="appeal-decide",
    ),
    path("kalibrasi/", calibration_views.calibration, name="calibration"),
    path(
        "kalibrasi/<uuid:public_id>/",
        calibration_views.calibration_detail,
        name="calibration-detail",
    ),
    path(
        "kalibrasi/<uuid:public_id>/ubah/",
        calibration_views.calibration_change,
        name="calibration-change",
    ),
    path(
        "kalibrasi/<uuid:public_id>/tutup/",
        calibration_views.calibration_close,
        name="calibration-close",
    ),
    path("kelola/evaluasi/", evaluation_admin.evaluation_manage, name="evaluation-manage"),
    path(
        "kelola/evaluasi/pengaturan/", evaluation_admin.manage_settings, name="evaluation-settings"
    ),
    path(
        "kelola/evaluasi/predikat-organisasi/",
        evaluation_admin.manage_org_predicate,
        name="org-predicate",
    ),
    path("kelola/evaluasi/aturan/", evaluation_admin.manage_rule_add, name="rule-add"),
    path(
        "kelola/evaluasi/aturan/<uuid:public_id>/nonaktif/",
        evaluation_admin.manage_rule_remove,
        name="rule-remove",
    ),
    path("kelola/evaluasi/tutup/", evaluation_admin.manage_close, name="period-close"),
    path("kelola/evaluasi/tahunan/", evaluation_admin.manage_annual, name="annual-compute"),
    path(
        "kelola/evaluasi/<int:period>/tpp.xlsx", evaluation_admin.manage_tpp_xlsx, name="tpp-xlsx"
    ),
]
