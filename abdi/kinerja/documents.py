"""Printable SKP plan (rencana SKP) in the official layout: PDF (WeasyPrint) and Excel.

The SKP is an official Indonesian form (PermenPANRB 6/2022), so the document is always in
Indonesian, whatever language the user's interface is in: it is rendered inside
``translation.override("id")`` (dates, month names) and the template's fixed labels are
written directly in Indonesian rather than as translatable English msgids. The regulated
labels that the form prints (BerAKHLAK values and their panduan perilaku, aspects,
perspectives, plan statuses) are likewise spelled out here in Indonesian.

Layout: header (instansi, period, approach), the identity of the Pegawai yang Dinilai and of
the Pejabat Penilai Kinerja, A. Hasil Kerja (Utama then Tambahan; a JPT plan grouped by
perspektif), B. Perilaku Kerja (7 values × 3 panduan + Ekspektasi Khusus Pimpinan), the
signature block, then the Lampiran (Dukungan Sumber Daya, Skema Pertanggungjawaban,
Konsekuensi). Pangkat/golongan is not stored, so it is left out. There is no electronic
signature yet: the signature block leaves room for a wet signature.

The PDF uses only system fonts ("DejaVu Sans") and fetches nothing: every URL is refused.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from abdi.organisations.choices import PositionKind
from abdi.organisations.models import Employee, Position

from .choices import BERAKHLAK, Aspect, Perspective, PlanStatus, RhkKind
from .models import Rhk, SkpPlan

__all__ = [
    "skp_plan_context",
    "skp_plan_document",
    "skp_plan_html",
    "skp_plan_pdf",
    "skp_plan_xlsx",
]

DASH = "—"

ASPECT_LABELS: dict[str, str] = {
    Aspect.KUANTITAS: "Kuantitas",
    Aspect.KUALITAS: "Kualitas",
    Aspect.WAKTU: "Waktu",
    Aspect.BIAYA: "Biaya",
}
PERSPECTIVE_LABELS: dict[str, str] = {
    Perspective.PENERIMA_LAYANAN: "Penerima Layanan",
    Perspective.PROSES_BISNIS: "Proses Bisnis",
    Perspective.PENGUATAN_INTERNAL: "Penguatan Internal",
    Perspective.ANGGARAN: "Anggaran",
}
KIND_LABELS: dict[str, str] = {RhkKind.UTAMA: "Utama", RhkKind.TAMBAHAN: "Tambahan"}
STATUS_LABELS: dict[str, str] = {
    PlanStatus.DRAFT: "Draf",
    PlanStatus.SUBMITTED: "Diajukan",
    PlanStatus.RETURNED: "Dikembalikan untuk perbaikan",
    PlanStatus.APPROVED: "Disetujui",
    PlanStatus.SUPERSEDED: "Digantikan oleh revisi",
}
ANNEX_TITLES = (
    ("resources", "Dukungan Sumber Daya"),
    ("accountability", "Skema Pertanggungjawaban"),
    ("consequences", "Konsekuensi"),
)
HASIL_KERJA_COLUMNS = (
    "No",
    "RHK Pimpinan yang Diintervensi",
    "Rencana Hasil Kerja",
    "Aspek",
    "Indikator Kinerja Individu",
    "Target",
)


# --------------------------------------------------------------------------------------------
# The document's content, shared by the PDF and the workbook
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    nip: str
    jabatan: str
    unit: str
    instansi: str


@dataclass(frozen=True)
class IndicatorRow:
    aspect: str
    text: str
    target: str


@dataclass
class RhkRow:
    number: int
    leader_rhk: str
    text: str
    indicators: list[IndicatorRow]

    @property
    def span(self) -> int:
        return len(self.indicators)


@dataclass
class RhkGroup:
    title: str  # the perspective of a JPT plan; empty otherwise
    rhks: list[RhkRow] = field(default_factory=list)


@dataclass
class ResultSection:
    title: str  # Utama / Tambahan
    groups: list[RhkGroup]


@dataclass(frozen=True)
class BehaviourRow:
    number: int
    name: str
    guides: tuple[str, ...]
    expectation: str


@dataclass(frozen=True)
class Annex:
    title: str
    items: list[str]


@dataclass
class SkpPlanContent:
    plan: SkpPlan
    instansi: str
    year: int
    start: date
    end: date
    approach: str
    employee: Person
    assessor: Person
    is_jpt: bool
    results: list[ResultSection]
    behaviours: list[BehaviourRow]
    annexes: list[Annex]
    sign_date: str
    version: int
    status: str


def _number(value: Decimal) -> str:
    """Format a target the Indonesian way: 1.500 / 2,5 / 100 (no trailing zeros)."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    text = f"{abs(value).normalize():f}"
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def _person(employee: Employee | None, position: Position | None = None) -> Person:
    if employee is None:
        return Person(DASH, DASH, DASH, DASH, DASH)
    position = position or employee.position
    return Person(
        name=employee.full_name,
        nip=employee.nip,
        jabatan=position.title if position else DASH,
        unit=position.unit.name if position else DASH,
        instansi=employee.instansi.name,
    )


def _load(plan: SkpPlan) -> SkpPlan:
    """Fetch the plan with everything the document shows in a fixed number of queries."""
    rhks = Rhk.objects.select_related("parent").prefetch_related("indicators")
    return (
        SkpPlan.objects.select_related(
            "year__instansi",
            "employee__instansi",
            "employee__position__unit",
            "position__unit",
            "assessor__instansi",
            "assessor__position__unit",
        )
        .prefetch_related(Prefetch("rhks", queryset=rhks))
        .get(pk=plan.pk)
    )


def _rhk_row(number: int, rhk: Rhk) -> RhkRow:
    indicators = [
        IndicatorRow(
            aspect=ASPECT_LABELS.get(indicator.aspect, indicator.aspect),
            text=indicator.text,
            target=f"{_number(indicator.target)} {indicator.unit}".strip(),
        )
        for indicator in rhk.indicators.all()
    ] or [IndicatorRow(DASH, DASH, DASH)]
    return RhkRow(
        number=number,
        leader_rhk=rhk.parent.text if rhk.parent else DASH,
        text=rhk.text,
        indicators=indicators,
    )


def _results(rhks: list[Rhk], is_jpt: bool) -> list[ResultSection]:
    sections = []
    for kind in RhkKind:
        of_kind = [rhk for rhk in rhks if rhk.kind == kind]
        if is_jpt:
            groups = []
            number = 0
            keys = [*Perspective, ""]
            for key in keys:
                title = PERSPECTIVE_LABELS[key] if key else "Tanpa perspektif"
                members = [rhk for rhk in of_kind if (rhk.perspective or "") == key]
                if not members:
                    continue
                group = RhkGroup(title=f"Perspektif {title}" if key else title)
                for rhk in members:
                    number += 1
                    group.rhks.append(_rhk_row(number, rhk))
                groups.append(group)
            groups = groups or [RhkGroup("")]
        else:
            groups = [RhkGroup("", [_rhk_row(i, rhk) for i, rhk in enumerate(of_kind, 1)])]
        sections.append(ResultSection(title=KIND_LABELS[kind], groups=groups))
    return sections


def _text_items(value: Any) -> list[str]:
    """Return the non-empty items of a JSON list of free text (tolerating bad shapes)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(item).strip() for item in value if str(item or "").strip()]


def skp_plan_context(plan: SkpPlan) -> SkpPlanContent:
    """Return everything the SKP plan document shows, loaded in a fixed number of queries."""
    plan = _load(plan)
    performance_year = plan.year
    position = plan.position or plan.employee.position
    rhks = list(plan.rhks.all())
    is_jpt = (position is not None and position.kind == PositionKind.JPT) or any(
        rhk.perspective for rhk in rhks
    )
    expectations = (
        plan.behaviour_expectations if isinstance(plan.behaviour_expectations, dict) else {}
    )
    behaviours = [
        BehaviourRow(
            number=number,
            name=name,
            guides=guides,
            expectation=str(expectations.get(key) or "").strip() or DASH,
        )
        for number, (key, name, guides) in enumerate(BERAKHLAK, 1)
    ]
    annexes = [
        Annex(title=title, items=_text_items(getattr(plan, attribute)))
        for attribute, title in ANNEX_TITLES
    ]
    signed_at = plan.approved_at or plan.submitted_at
    with translation.override("id"):
        sign_date = (
            date_format(performance_year.instansi.local_date(signed_at), "j F Y")
            if signed_at
            else ""
        )
    return SkpPlanContent(
        plan=plan,
        instansi=performance_year.instansi.name,
        year=performance_year.year,
        start=date(performance_year.year, 1, 1),
        end=date(performance_year.year, 12, 31),
        approach="Kuantitatif",
        employee=_person(plan.employee, position),
        assessor=_person(plan.assessor),
        is_jpt=is_jpt,
        results=_results(rhks, is_jpt),
        behaviours=behaviours,
        annexes=annexes,
        sign_date=sign_date,
        version=plan.version,
        status=STATUS_LABELS.get(plan.status, plan.status),
    )


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def skp_plan_html(plan: SkpPlan, verification: dict[str, str] | None = None) -> str:
    """Return the SKP plan as print HTML (Indonesian whatever the active language).

    ``verification`` (``qr`` SVG, ``url``, ``code``) prints the verification block of an
    issued document (:func:`abdi.kinerja.evaluation.documents.skp_issue`).
    """
    content = skp_plan_context(plan)
    with translation.override("id"):
        return render_to_string(
            "kinerja/documents/skp_plan.html",
            {
                "doc": content, "columns": HASIL_KERJA_COLUMNS, "dash": DASH,
                "verification": verification or {},
            },
        )  # fmt: skip


def skp_plan_document(plan: SkpPlan) -> Any:
    """Return the laid-out ``weasyprint.Document`` (pages, text boxes) of the SKP plan."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No external resources: the template needs none, and user text must not fetch any.
    fetcher = URLFetcher(allowed_protocols=())
    return HTML(string=skp_plan_html(plan), url_fetcher=fetcher).render()


def skp_plan_pdf(plan: SkpPlan) -> bytes:
    """Return the SKP plan as an A4 portrait PDF."""
    pdf: bytes = skp_plan_document(plan).write_pdf()
    return pdf


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------

# Characters Excel cannot store (C0 controls except tab/newline/return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDTHS = {"A": 6, "B": 34, "C": 40, "D": 14, "E": 40, "F": 18}


def skp_plan_xlsx(plan: SkpPlan) -> bytes:
    """Return the SKP plan as an Excel workbook with one sheet "SKP", section by section."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.worksheet import Worksheet

    doc = skp_plan_context(plan)
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = "SKP"
    for letter, width in _WIDTHS.items():
        sheet.column_dimensions[letter].width = width

    bold = Font(name="Calibri", bold=True)
    title_font = Font(name="Calibri", bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    group_fill = PatternFill("solid", fgColor="F2F2F2")
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    row = 1
    lines_needed: dict[int, int] = {}

    def put(
        column: int,
        value: Any,
        *,
        to_column: int | None = None,
        to_row: int | None = None,
        font: Font | None = None,
        fill: PatternFill | None = None,
        border: bool = True,
        align: Alignment = wrap,
    ) -> None:
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = _ILLEGAL.sub("", value)
            # Text typed by users is text: "=…" must never become a formula.
            cell.data_type = "s"
        else:
            cell.value = value
        last_column, last_row = to_column or column, to_row or row
        _grow_rows(lines_needed, value, column, last_column, row, last_row)
        if (last_column, last_row) != (column, row):
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=last_row, end_column=last_column
            )
        for r in range(row, last_row + 1):
            for c in range(column, last_column + 1):
                target = sheet.cell(row=r, column=c)
                target.alignment = align
                if font:
                    target.font = font
                if fill:
                    target.fill = fill
                if border:
                    target.border = box

    def heading(text: str) -> None:
        nonlocal row
        row += 1
        put(1, text, to_column=6, font=bold, border=False)
        row += 1

    # Header.
    put(1, "SASARAN KINERJA PEGAWAI", to_column=6, font=title_font, border=False, align=centre)
    row += 1
    put(1, f"Pendekatan Hasil Kerja {doc.approach}", to_column=6, border=False, align=centre)
    row += 1
    period = f"Periode Penilaian: {_long_date(doc.start)} s.d. {_long_date(doc.end)}"
    put(1, period, to_column=6, border=False, align=centre)
    row += 1
    put(1, doc.instansi.upper(), to_column=6, font=bold, border=False, align=centre)
    row += 2

    # Identity.
    put(1, "No", font=bold, fill=header_fill, align=centre)
    put(2, "Uraian", font=bold, fill=header_fill, align=centre)
    put(3, "Pegawai yang Dinilai", font=bold, fill=header_fill, align=centre)
    put(4, "Pejabat Penilai Kinerja", to_column=6, font=bold, fill=header_fill, align=centre)
    row += 1
    for number, (label, attribute) in enumerate(_IDENTITY_ROWS, 1):
        put(1, number, align=centre)
        put(2, label)
        put(3, getattr(doc.employee, attribute))
        put(4, getattr(doc.assessor, attribute), to_column=6)
        row += 1

    # A. Hasil Kerja.
    heading("A. HASIL KERJA")
    for column, label in enumerate(HASIL_KERJA_COLUMNS, 1):
        put(column, label, font=bold, fill=header_fill, align=centre)
    row += 1
    for section in doc.results:
        put(1, section.title, to_column=6, font=bold, fill=group_fill)
        row += 1
        for group in section.groups:
            if group.title:
                put(1, group.title, to_column=6, font=bold)
                row += 1
            if not group.rhks:
                put(1, DASH, to_column=6)
                row += 1
            for rhk in group.rhks:
                last = row + rhk.span - 1
                put(1, rhk.number, to_row=last, align=centre)
                put(2, rhk.leader_rhk, to_row=last)
                put(3, rhk.text, to_row=last)
                for indicator in rhk.indicators:
                    put(4, indicator.aspect)
                    put(5, indicator.text)
                    put(6, indicator.target)
                    row += 1

    # B. Perilaku Kerja.
    heading("B. PERILAKU KERJA")
    put(1, "No", font=bold, fill=header_fill, align=centre)
    put(2, "Perilaku Kerja", font=bold, fill=header_fill, align=centre)
    put(3, "Panduan Perilaku", font=bold, fill=header_fill, align=centre)
    put(4, "Ekspektasi Khusus Pimpinan", to_column=6, font=bold, fill=header_fill, align=centre)
    row += 1
    for behaviour in doc.behaviours:
        put(1, behaviour.number, align=centre)
        put(2, behaviour.name, font=bold)
        put(3, "\n".join(f"- {_capfirst(guide)}" for guide in behaviour.guides))
        put(4, behaviour.expectation, to_column=6)
        row += 1

    # Signatures.
    row += 1
    put(5, _sign_line(doc), to_column=6, border=False)
    row += 1
    put(2, "Pegawai yang Dinilai", border=False)
    put(5, "Pejabat Penilai Kinerja", to_column=6, border=False)
    row += 4
    put(2, doc.employee.name, font=bold, border=False)
    put(5, doc.assessor.name, to_column=6, font=bold, border=False)
    row += 1
    put(2, f"NIP {doc.employee.nip}", border=False)
    put(5, f"NIP {doc.assessor.nip}", to_column=6, border=False)
    row += 1

    # Lampiran.
    heading("LAMPIRAN SASARAN KINERJA PEGAWAI")
    for number, annex in enumerate(doc.annexes, 1):
        put(1, f"{number}.", font=bold, border=False, align=centre)
        put(2, annex.title, to_column=6, font=bold, border=False)
        row += 1
        for item_number, item in enumerate(annex.items or [DASH], 1):
            put(1, f"{item_number}" if annex.items else "", align=centre)
            put(2, item, to_column=6)
            row += 1
        row += 1

    put(1, f"Versi {doc.version} · Status: {doc.status}", to_column=6, border=False)

    # Excel does not grow rows for wrapped text in merged cells: set the heights.
    for number, lines in lines_needed.items():
        if lines > 1:
            sheet.row_dimensions[number].height = 15 * lines

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = f"SKP {doc.year} · {doc.employee.name} · Versi {doc.version}"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_IDENTITY_ROWS = (
    ("Nama", "name"),
    ("NIP", "nip"),
    ("Jabatan", "jabatan"),
    ("Unit Kerja", "unit"),
    ("Instansi", "instansi"),
)


def _grow_rows(
    needed: dict[int, int],
    value: Any,
    first_column: int,
    last_column: int,
    first_row: int,
    last_row: int,
) -> None:
    """Record how many text lines ``value`` needs in each row it spans (an estimate)."""
    if value is None:
        return
    letters = "ABCDEF"[first_column - 1 : last_column]
    per_line = max(1, int(sum(_WIDTHS[letter] for letter in letters)))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))
    span = last_row - first_row + 1
    for number in range(first_row, last_row + 1):
        needed[number] = max(needed.get(number, 1), math.ceil(lines / span))


def _long_date(day: date) -> str:
    with translation.override("id"):
        return date_format(day, "j F Y")


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sign_line(doc: SkpPlanContent) -> str:
    return f"…………………, {doc.sign_date or '…………………'}"
