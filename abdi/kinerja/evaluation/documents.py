"""The evaluation document (dokumen evaluasi kinerja) and the issued SKP, with verification.

Both PDFs are issued through :mod:`abdi.verifikasi`: each carries a QR code of its public
verification page (``/v/<code>/``), and the issued file's hash is kept. Like the SKP plan
(:mod:`abdi.kinerja.documents`), the evaluation document is an official Indonesian form:
rendered in Indonesian whatever the interface language, system fonts only, nothing fetched.
An unchanged record reuses its issued document instead of issuing a new code each download.
"""

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from .. import documents as plan_documents
from ..access import direct_leader
from ..choices import ANNUAL, BERAKHLAK, EffectKind, PlanStatus, Predicate, Rating
from ..models import Consequence, PeriodEvaluation, SkpPlan
from .access import appeal_decider
from .selectors import period_label

__all__ = [
    "EVALUATION_KIND",
    "SKP_KIND",
    "describe_evaluation",
    "describe_plan",
    "evaluation_html",
    "evaluation_issue",
    "skp_issue",
    "skp_pdf_bytes",
]

EVALUATION_KIND = "kinerja.evaluation"
SKP_KIND = "kinerja.skp"
DASH = "—"
RATING_LABELS: dict[str, str] = {
    Rating.DI_ATAS: "Di Atas Ekspektasi",
    Rating.SESUAI: "Sesuai Ekspektasi",
    Rating.DI_BAWAH: "Di Bawah Ekspektasi",
}
PREDICATE_LABELS: dict[str, str] = {
    Predicate.SANGAT_BAIK: "Sangat Baik",
    Predicate.BAIK: "Baik",
    Predicate.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predicate.KURANG: "Kurang/Misconduct",
    Predicate.SANGAT_KURANG: "Sangat Kurang",
}
EFFECT_LABELS: dict[str, str] = {
    EffectKind.TPP: "Tambahan penghasilan pegawai (TPP)",
    EffectKind.COACHING: "Rencana pembinaan",
    EffectKind.IMPROVEMENT_PLAN: "Rencana perbaikan kinerja",
    EffectKind.DISCIPLINE_FLAG: "Pemeriksaan disiplin",
    EffectKind.RECOGNITION: "Penghargaan",
    EffectKind.TALENT_POOL: "Usulan talent pool",
}


def _masked_name(name: str) -> str:
    """Public pages name the holder, but not in full: "Agus W."."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return " ".join([parts[0], *(f"{part[0]}." for part in parts[1:])])


def _given(evaluation: PeriodEvaluation, value: str) -> dict[str, str]:
    given: dict[str, str] = evaluation.behaviour_values.get(value, {})
    return given


@dataclass
class BehaviourLine:
    label: str
    guides: tuple[str, str, str]
    expectation: str
    rating: str
    note: str


def _context(evaluation: PeriodEvaluation, verification: dict[str, str]) -> dict[str, Any]:
    plan = evaluation.plan
    employee = evaluation.employee
    assessor = evaluation.evaluator or direct_leader(employee)
    superior = appeal_decider(employee)
    expectations = plan.behaviour_expectations if plan is not None else {}
    lines = [
        BehaviourLine(
            label=label, guides=guides, expectation=expectations.get(value, "") or DASH,
            rating=RATING_LABELS.get(_given(evaluation, value).get("rating", ""), DASH),
            note=_given(evaluation, value).get("note", ""),
        )
        for value, label, guides in BERAKHLAK
    ]  # fmt: skip
    consequences = Consequence.objects.filter(
        employee=employee, year=evaluation.year, period=evaluation.period
    ).select_related("rule")
    results = []
    if plan is not None:
        for rhk in plan.rhks.prefetch_related("indicators").select_related("parent"):
            results.append(rhk)
    return {
        "evaluation": evaluation,
        "instansi": evaluation.year.instansi.name,
        "year": evaluation.year.year,
        "period_label": period_label(evaluation.year, evaluation.period),
        "annual": evaluation.period == ANNUAL,
        "employee": plan_documents._person(employee),
        "assessor": plan_documents._person(assessor),
        "superior": plan_documents._person(superior),
        "results": results,
        "result_rating": RATING_LABELS.get(evaluation.result_rating, DASH),
        "suggested": RATING_LABELS.get(evaluation.result_suggested, DASH),
        "behaviour_rating": RATING_LABELS.get(evaluation.behaviour_rating, DASH),
        "predicate": PREDICATE_LABELS.get(evaluation.predicate, DASH),
        "behaviours": lines,
        "consequences": [
            (EFFECT_LABELS.get(c.effect, c.effect), c.tpp_percent, c.rule.description)
            for c in consequences
        ],
        "sign_date": date_format(evaluation.year.instansi.local_date(), "j F Y"),
        "verification": verification,
    }


def evaluation_html(
    evaluation: PeriodEvaluation, verification: dict[str, str] | None = None
) -> str:
    """Return the evaluation document as print HTML, in Indonesian."""
    with translation.override("id"):
        return render_to_string(
            "kinerja/documents/evaluation.html", _context(evaluation, verification or {})
        )


def _pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=())
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf


def _signed(pdf: bytes, *, instansi: Any, signer: Any, reason: str) -> bytes:
    """Sign ``pdf`` electronically (PAdES, the agency's key) in the name of ``signer``.

    The official who approved the plan or rated the period signs, through the office app's
    signing (:func:`abdi.kantor.signing.sign_pdf`), so an SKP needs no wet signature and an
    uploaded copy is checked by its signature on the verification page. A document no
    official decided on (``signer`` is None) is issued unsigned.
    """
    if signer is None:
        return pdf
    from abdi.kantor.signing import sign_pdf

    return sign_pdf(instansi=instansi, pdf_bytes=pdf, signer=signer, reason=reason)


def _verification(document: Any) -> dict[str, str]:
    from abdi.verifikasi import qr

    return {
        "qr": qr.qr_svg(document.url, size_mm=24),
        "url": document.url,
        "code": document.display_code,
    }


def _reuse(subject: Any, facts: dict[str, str]) -> Any:
    from abdi.verifikasi import services as verifikasi

    for document in verifikasi.documents_for(subject).order_by("-issued_at")[:1]:
        if not document.is_revoked and document.facts == facts and document.file:
            return document
    return None


def _evaluation_facts(evaluation: PeriodEvaluation) -> dict[str, str]:
    return {
        "Tahun": str(evaluation.year.year),
        "Periode": "Tahunan" if evaluation.period == ANNUAL else str(evaluation.period),
        "Predikat": PREDICATE_LABELS.get(evaluation.predicate, DASH),
    }


def evaluation_issue(*, actor: Any, evaluation: PeriodEvaluation) -> Any:
    """Issue (or reuse) the verifiable evaluation document; return the verifikasi record."""
    from django.db import transaction

    from abdi.verifikasi import services as verifikasi

    facts = _evaluation_facts(evaluation)
    found = _reuse(evaluation, facts)
    if found is not None:
        return found
    with transaction.atomic():
        return verifikasi.document_issue(
            actor=actor, kind=EVALUATION_KIND, instansi=evaluation.year.instansi,
            title=f"Dokumen Evaluasi Kinerja {evaluation.year.year}",
            holder=_masked_name(evaluation.employee.full_name), subject=evaluation, facts=facts,
            render=lambda document: _signed(
                _pdf(evaluation_html(evaluation, _verification(document))),
                instansi=evaluation.year.instansi, signer=evaluation.evaluator,
                reason="Penetapan evaluasi kinerja pegawai",
            ),
            filename=f"evaluasi-{evaluation.employee.nip}-{evaluation.year.year}-{evaluation.period}.pdf",
        )  # fmt: skip


def skp_issue(*, actor: Any, plan: SkpPlan) -> Any:
    """Issue (or reuse) the verifiable SKP plan document with a QR; return the record."""
    from django.db import transaction

    from abdi.verifikasi import services as verifikasi

    facts = {
        "Tahun": str(plan.year.year),
        "Versi": str(plan.version),
        "Status": plan.get_status_display(),
    }
    with translation.override("id"):
        facts["Status"] = str(plan.get_status_display())
    found = _reuse(plan, facts)
    if found is not None:
        return found
    with transaction.atomic():
        return verifikasi.document_issue(
            actor=actor, kind=SKP_KIND, instansi=plan.year.instansi,
            title=f"Sasaran Kinerja Pegawai {plan.year.year}",
            holder=_masked_name(plan.employee.full_name), subject=plan, facts=facts,
            render=lambda document: _signed(
                _pdf(plan_documents.skp_plan_html(plan, _verification(document))),
                instansi=plan.year.instansi, signer=plan.approved_by,
                reason="Persetujuan Sasaran Kinerja Pegawai",
            ),
            filename=f"skp-{plan.employee.nip}-{plan.year.year}-v{plan.version}.pdf",
        )  # fmt: skip


def skp_pdf_bytes(actor: Any, plan: SkpPlan) -> bytes:
    """Return the SKP PDF: an approved plan is issued with its verification QR; a draft is
    printed as a working copy without one."""
    if plan.status != PlanStatus.APPROVED:
        return plan_documents.skp_plan_pdf(plan)
    document = skp_issue(actor=actor, plan=plan)
    document.file.open("rb")
    try:
        content: bytes = document.file.read()
    finally:
        document.file.close()
    return content


def describe_evaluation(document: Any) -> list[tuple[Any, Any]]:
    """Public facts of an evaluation document, live: a later appeal shows here."""
    evaluation = PeriodEvaluation.objects.filter(pk=document.subject_id).first()
    if evaluation is None:
        return []
    return [("Predikat saat ini", PREDICATE_LABELS.get(evaluation.predicate, DASH))]


def describe_plan(document: Any) -> list[tuple[Any, Any]]:
    plan = SkpPlan.objects.filter(pk=document.subject_id).first()
    if plan is None:
        return []
    with translation.override("id"):
        return [("Versi berlaku", "Ya" if plan.is_current else "Tidak, sudah direvisi")]
