"""Tests of the printable SKP plan: the PDF (WeasyPrint) and the Excel workbook.

Data is built directly with the ORM: the plan services are not needed to print a plan.
The PDF's text is read with ``pdftotext`` (poppler-utils) when it is installed, and always
from WeasyPrint's own laid-out boxes, so the suite does not depend on poppler.
"""

import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from abdi.kinerja.choices import BERAKHLAK, Aspect, Cascade, Perspective, PlanStatus, RhkKind
from abdi.kinerja.documents import (
    skp_plan_context,
    skp_plan_document,
    skp_plan_html,
    skp_plan_pdf,
    skp_plan_xlsx,
)
from abdi.kinerja.models import Indicator, PerformanceYear, Rhk, SkpPlan
from abdi.organisations.tests.factories import Agency

LEADER_RHK = "Meningkatnya kualitas layanan perizinan berusaha di Bidang A"
RHK_TEXT = "Tersusunnya kajian penyederhanaan prosedur perizinan"
EXTRA_RHK = "Terlaksananya pendampingan magang mahasiswa"
INDICATOR = "Jumlah dokumen kajian yang diselesaikan"
EXPECTATION = "Menyelesaikan laporan tepat waktu tanpa koreksi berulang"
RESOURCE = "Akses ke aplikasi perizinan daring"
ACCOUNTABILITY = "Laporan bulanan kepada Kepala Bidang A"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def performance_year(agency: Agency) -> PerformanceYear:
    return PerformanceYear.objects.create(
        instansi=agency.instansi, year=2026, plan_deadline=date(2026, 1, 31)
    )


@pytest.fixture
def leader_rhk(agency: Agency, performance_year: PerformanceYear) -> Rhk:
    leader_plan = SkpPlan.objects.create(
        year=performance_year, employee=agency.head_a, position=agency.head_a.position,
        assessor=agency.head, status=PlanStatus.APPROVED,
    )  # fmt: skip
    return Rhk.objects.create(plan=leader_plan, text=LEADER_RHK, cascade=Cascade.OWN)


@pytest.fixture
def plan(agency: Agency, performance_year: PerformanceYear, leader_rhk: Rhk) -> SkpPlan:
    staff = agency.staff_a
    staff.front_title = "Dr."
    staff.back_title = "S.Kom., M.T."
    staff.save(update_fields=["front_title", "back_title"])
    plan = SkpPlan.objects.create(
        year=performance_year,
        employee=staff,
        position=staff.position,
        assessor=agency.head_a,
        version=2,
        status=PlanStatus.APPROVED,
        # 02:00 UTC on 12 January is 09:00 WIB the same day.
        approved_at=datetime(2026, 1, 12, 2, 0, tzinfo=UTC),
        behaviour_expectations={"akuntabel": EXPECTATION},
        resources=[RESOURCE, "Anggaran perjalanan dinas"],
        accountability=[ACCOUNTABILITY],
        consequences=[],
    )
    rhk = Rhk.objects.create(
        plan=plan, text=RHK_TEXT, parent=leader_rhk, cascade=Cascade.DERIVED, order=1
    )
    Indicator.objects.create(
        rhk=rhk, aspect=Aspect.KUANTITAS, text=INDICATOR, target=Decimal(2), unit="Dokumen",
        order=1,
    )  # fmt: skip
    Indicator.objects.create(
        rhk=rhk, aspect=Aspect.KUALITAS, text="Persentase kajian diterima pimpinan",
        target=Decimal(100), unit="%", order=2,
    )  # fmt: skip
    Indicator.objects.create(
        rhk=rhk, aspect=Aspect.WAKTU, text="Waktu penyelesaian kajian", target=Decimal(12),
        unit="Bulan", order=3,
    )  # fmt: skip
    extra = Rhk.objects.create(plan=plan, kind=RhkKind.TAMBAHAN, text=EXTRA_RHK, cascade="own")
    Indicator.objects.create(
        rhk=extra, aspect=Aspect.KUANTITAS, text="Jumlah berkas magang yang diperiksa",
        target=Decimal("1500.00"), unit="Berkas",
    )  # fmt: skip
    Indicator.objects.create(
        rhk=extra, aspect=Aspect.WAKTU, text="Rata-rata waktu pemeriksaan",
        target=Decimal("2.50"), unit="Jam",
    )  # fmt: skip
    return plan


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    executable = shutil.which("pdftotext")
    assert executable
    source = tmp_path / "skp.pdf"
    source.write_bytes(pdf)
    completed = subprocess.run(  # noqa: S603 - fixed executable, our own temporary file
        [executable, "-enc", "UTF-8", str(source), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return completed.stdout.decode()


def _box_text(document: Any) -> str:
    """Return the text WeasyPrint laid out, page by page (no PDF parser needed)."""
    from weasyprint.formatting_structure.boxes import TextBox

    def walk(box: Any) -> Iterator[str]:
        if isinstance(box, TextBox):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from walk(child)

    return " ".join(text for page in document.pages for text in walk(page._page_box))


def _expected_texts(agency: Agency) -> list[str]:
    return [
        "SASARAN KINERJA PEGAWAI",
        "Dr. Agus Wibowo, S.Kom., M.T.",
        agency.staff_a.nip,
        agency.head_a.name,
        agency.head_a.nip,
        "Analis A",
        "Bidang A",
        "Pemerintah Kabupaten Contoh",
        "1 Januari 2026 s.d. 31 Desember 2026",
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "A. HASIL KERJA",
        "B. PERILAKU KERJA",
        "RHK Pimpinan yang Diintervensi",
        "Indikator Kinerja Individu",
        RHK_TEXT,
        LEADER_RHK,
        EXTRA_RHK,
        INDICATOR,
        "2 Dokumen",
        "100 %",
        "12 Bulan",
        "1.500 Berkas",
        "2,5 Jam",
        "Kuantitas",
        "Utama",
        "Tambahan",
        "Berorientasi Pelayanan",
        "Kolaboratif",
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Tidak menyalahgunakan kewenangan jabatan",
        EXPECTATION,
        "Dukungan Sumber Daya",
        "Skema Pertanggungjawaban",
        "Konsekuensi",
        RESOURCE,
        ACCOUNTABILITY,
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
        "12 Januari 2026",
        "Versi 2",
        "Disetujui",
    ]


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def test_pdf_is_an_a4_pdf(plan: SkpPlan) -> None:
    pdf = skp_plan_pdf(plan)
    document = skp_plan_document(plan)

    assert pdf.startswith(b"%PDF-")
    assert len(document.pages) >= 2  # the lampiran starts on its own page
    for page in document.pages:
        # A4 portrait in CSS pixels (96 per inch): 210 mm × 297 mm.
        assert page.width == pytest.approx(210 / 25.4 * 96, abs=0.5)
        assert page.height == pytest.approx(297 / 25.4 * 96, abs=0.5)


def test_laid_out_text_holds_the_plan(agency: Agency, plan: SkpPlan) -> None:
    text = _squash(_box_text(skp_plan_document(plan)))

    missing = [expected for expected in _expected_texts(agency) if expected not in text]
    assert not missing


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_text_holds_the_plan(agency: Agency, plan: SkpPlan, tmp_path: Path) -> None:
    text = _squash(_pdftotext(skp_plan_pdf(plan), tmp_path))

    missing = [expected for expected in _expected_texts(agency) if expected not in text]
    assert not missing
    assert "Halaman 1 dari" in text


def test_panduan_perilaku_are_the_21_of_the_regulation() -> None:
    assert [name for _key, name, _guides in BERAKHLAK] == [
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ]
    guides = [guide for _key, _name, three in BERAKHLAK for guide in three]
    assert len(guides) == len(set(guides)) == 21
    assert "menjaga rahasia jabatan dan negara" in guides
    assert (
        "memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan "
        "yang sah" in guides
    )


def test_document_is_indonesian_whatever_the_interface_language(plan: SkpPlan) -> None:
    with translation.override("en"):
        html = skp_plan_html(plan)
        assert translation.get_language() == "en"

    assert "1 Januari 2026" in html
    assert "12 Januari 2026" in html
    assert "January" not in html
    assert 'lang="id"' in html


def test_hasil_kerja_rows_hold_the_cascade(plan: SkpPlan) -> None:
    content = skp_plan_context(plan)

    utama, tambahan = content.results
    assert (utama.title, tambahan.title) == ("Utama", "Tambahan")
    [row] = utama.groups[0].rhks
    assert (row.number, row.leader_rhk, row.text, row.span) == (1, LEADER_RHK, RHK_TEXT, 3)
    assert [(i.aspect, i.target) for i in row.indicators] == [
        ("Kuantitas", "2 Dokumen"),
        ("Kualitas", "100 %"),
        ("Waktu", "12 Bulan"),
    ]
    [extra] = tambahan.groups[0].rhks
    assert extra.leader_rhk == "—"
    assert [i.target for i in extra.indicators] == ["1.500 Berkas", "2,5 Jam"]
    assert content.is_jpt is False


def test_missing_parts_print_a_dash(agency: Agency, performance_year: PerformanceYear) -> None:
    bare = SkpPlan.objects.create(year=performance_year, employee=agency.staff_b)
    Rhk.objects.create(plan=bare, text="Hasil tanpa indikator", cascade=Cascade.OWN)

    content = skp_plan_context(bare)
    html = _squash(skp_plan_html(bare))

    assert content.assessor.name == "—"
    assert content.sign_date == ""
    assert [annex.items for annex in content.annexes] == [[], [], []]
    assert all(behaviour.expectation == "—" for behaviour in content.behaviours)
    [row] = content.results[0].groups[0].rhks
    assert row.indicators[0].text == "—"
    assert content.results[1].groups[0].rhks == []
    assert content.status == "Draf"
    assert '<p class="annex-empty muted">—</p>' in html
    assert skp_plan_pdf(bare).startswith(b"%PDF-")


def test_jpt_plan_is_grouped_by_perspective(
    agency: Agency, performance_year: PerformanceYear
) -> None:
    head_plan = SkpPlan.objects.create(
        year=performance_year, employee=agency.head, position=agency.head.position
    )
    for order, (perspective, text) in enumerate(
        [
            (Perspective.ANGGARAN, "Terserapnya anggaran dinas"),
            (Perspective.PENERIMA_LAYANAN, "Meningkatnya kepuasan masyarakat"),
            (Perspective.PENERIMA_LAYANAN, "Menurunnya pengaduan layanan"),
            (Perspective.PROSES_BISNIS, "Terdigitalisasinya layanan perizinan"),
        ]
    ):
        Rhk.objects.create(
            plan=head_plan, perspective=perspective, text=text, cascade=Cascade.OWN, order=order
        )

    content = skp_plan_context(head_plan)
    html = _squash(skp_plan_html(head_plan))

    assert content.is_jpt is True
    groups = content.results[0].groups
    assert [group.title for group in groups] == [
        "Perspektif Penerima Layanan",
        "Perspektif Proses Bisnis",
        "Perspektif Anggaran",
    ]
    assert [[r.number for r in group.rhks] for group in groups] == [[1, 2], [3], [4]]
    assert html.index("Perspektif Penerima Layanan") < html.index("Perspektif Anggaran")
    assert html.index("Meningkatnya kepuasan masyarakat") < html.index("Terserapnya anggaran")


def test_user_text_is_escaped(plan: SkpPlan) -> None:
    Rhk.objects.create(
        plan=plan,
        kind=RhkKind.TAMBAHAN,
        text='<img src="http://example.invalid/x.png"> & <b>tebal</b>',
        cascade=Cascade.OWN,
    )

    html = skp_plan_html(plan)

    assert "&lt;img src=&quot;http://example.invalid/x.png&quot;&gt; &amp; &lt;b&gt;" in html
    assert "<img" not in html
    assert skp_plan_pdf(plan).startswith(b"%PDF-")


def test_queries_do_not_grow_with_the_plan(plan: SkpPlan, leader_rhk: Rhk) -> None:
    with CaptureQueriesContext(connection) as small:
        skp_plan_context(plan)
    for order in range(10):
        rhk = Rhk.objects.create(
            plan=plan, text=f"Hasil {order}", parent=leader_rhk, order=10 + order
        )
        Indicator.objects.create(
            rhk=rhk, aspect=Aspect.KUANTITAS, text="Jumlah", target=Decimal(1), unit="Laporan"
        )
    with CaptureQueriesContext(connection) as large:
        skp_plan_context(plan)

    assert len(large) == len(small) <= 4


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------


def _sheet(plan: SkpPlan) -> Any:
    workbook = load_workbook(BytesIO(skp_plan_xlsx(plan)))
    assert workbook.sheetnames == ["SKP"]
    return workbook["SKP"]


def _cells(sheet: Any) -> dict[str, Any]:
    """Map each non-empty cell's text to the cell (first occurrence)."""
    found: dict[str, Any] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value not in (None, ""):
                found.setdefault(str(cell.value), cell)
    return found


def test_workbook_holds_the_same_content(agency: Agency, plan: SkpPlan) -> None:
    cells = _cells(_sheet(plan))
    text = _squash(" ".join(cells))

    for expected in [
        "SASARAN KINERJA PEGAWAI",
        "Dr. Agus Wibowo, S.Kom., M.T.",
        agency.staff_a.nip,
        agency.head_a.full_name,
        agency.head_a.nip,
        "A. HASIL KERJA",
        "B. PERILAKU KERJA",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        RHK_TEXT,
        LEADER_RHK,
        EXTRA_RHK,
        INDICATOR,
        "2 Dokumen",
        "1.500 Berkas",
        "Akuntabel",
        EXPECTATION,
        RESOURCE,
        ACCOUNTABILITY,
        "Konsekuensi",
    ]:
        assert expected in cells, expected
    assert "- Memahami dan memenuhi kebutuhan masyarakat" in text
    assert "1 Januari 2026 s.d. 31 Desember 2026" in text
    assert "Versi 2 · Status: Disetujui" in text


def test_workbook_layout(plan: SkpPlan) -> None:
    sheet = _sheet(plan)
    cells = _cells(sheet)

    header = cells["RHK Pimpinan yang Diintervensi"]
    labels = [sheet.cell(row=header.row, column=c).value for c in range(1, 7)]
    assert labels == [
        "No",
        "RHK Pimpinan yang Diintervensi",
        "Rencana Hasil Kerja",
        "Aspek",
        "Indikator Kinerja Individu",
        "Target",
    ]
    assert all(sheet.cell(row=header.row, column=c).font.bold for c in range(1, 7))
    assert cells["SASARAN KINERJA PEGAWAI"].font.bold
    assert cells[RHK_TEXT].alignment.wrap_text
    assert sheet.column_dimensions["C"].width >= 30
    assert sheet.column_dimensions["E"].width >= 30
    # The RHK's cells span its three indicator rows; the row order follows the form.
    rhk_cell = cells[RHK_TEXT]
    assert f"C{rhk_cell.row}:C{rhk_cell.row + 2}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(row=rhk_cell.row, column=2).value == LEADER_RHK
    assert sheet.cell(row=rhk_cell.row + 2, column=6).value == "12 Bulan"
    assert cells["Utama"].row < rhk_cell.row < cells["Tambahan"].row < cells[EXTRA_RHK].row
    assert cells[EXTRA_RHK].row < cells["B. PERILAKU KERJA"].row < cells[EXPECTATION].row
    assert cells[EXPECTATION].row < cells["LAMPIRAN SASARAN KINERJA PEGAWAI"].row
    # Three panduan lines (more once wrapped) need a taller row than Excel's default.
    assert sheet.row_dimensions[cells["Akuntabel"].row].height >= 45
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "portrait"


def test_workbook_never_turns_user_text_into_formulas(plan: SkpPlan) -> None:
    Rhk.objects.create(
        plan=plan, kind=RhkKind.TAMBAHAN, text='=HYPERLINK("http://example.invalid","x")',
        cascade=Cascade.OWN,
    )  # fmt: skip
    plan.consequences = ["=1+1", "Teguran\x07 tertulis"]
    plan.save(update_fields=["consequences"])

    data = skp_plan_xlsx(plan)

    with zipfile.ZipFile(BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    cells = _cells(load_workbook(BytesIO(data))["SKP"])
    assert "=1+1" in cells
    assert "Teguran tertulis" in cells  # the control character is dropped
