"""Open data: anonymised statistics of the citizen services per unit, service and month.

No NIK, no NIP, no person's name: only agencies, units and services (public bodies and
their public catalogue) with counts and indices. Read from the precomputed facts. The
schema below is the published contract (docs/wawasan.md); a column is never renamed.
"""

import csv
import io
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from abdi.layanan import rules as layanan_rules

from .facts import IKM_KEYS
from .models import ServiceFact
from .rules import median_from_histogram, merge_histograms

__all__ = ["MIN_RESPONDENTS", "SCHEMA", "service_rows", "to_csv", "to_parquet"]

#: Below this many respondents a row's IKM is withheld: with one or two answers it would be
#: one citizen's own survey.
MIN_RESPONDENTS = 5

#: (column, Arrow type, description) — the published schema.
SCHEMA: list[tuple[str, Any, str]] = [
    ("agency_code", pa.string(), "Kode instansi"),
    ("agency_name", pa.string(), "Nama instansi"),
    ("unit_code", pa.string(), "Kode unit kerja penyelenggara layanan"),
    ("unit_name", pa.string(), "Nama unit kerja"),
    ("service_code", pa.string(), "Kode layanan"),
    ("service_name", pa.string(), "Nama layanan"),
    ("year", pa.int16(), "Tahun"),
    ("month", pa.int8(), "Bulan (1–12)"),
    ("received", pa.int32(), "Permohonan yang diterima pada bulan itu"),
    ("completed", pa.int32(), "Permohonan yang selesai pada bulan itu"),
    ("completed_within_sla", pa.int32(), "Permohonan selesai yang tepat waktu layanan"),
    ("rejected", pa.int32(), "Permohonan diterima pada bulan itu yang ditolak"),
    ("median_working_days", pa.float64(),
     "Median hari kerja penyelesaian (kosong: tidak ada yang selesai)"),
    ("ikm_respondents", pa.int32(), "Jumlah responden SKM pada bulan itu"),
    ("ikm_converted", pa.float64(),
     f"IKM konversi 25–100, bobot 1/9 (kosong: kurang dari {MIN_RESPONDENTS} responden)"),
    ("ikm_grade", pa.string(),
     f"Mutu pelayanan A–D (kosong: kurang dari {MIN_RESPONDENTS} responden)"),
]  # fmt: skip
COLUMNS = [name for name, _type, _description in SCHEMA]


def service_rows(*, year: int, instansi: Any = None) -> list[dict[str, Any]]:
    """The rows of ``year`` (of one agency, or all), ordered by agency, unit, service, month."""
    facts = ServiceFact.objects.filter(year=year).select_related("instansi", "unit", "service")
    if instansi is not None:
        facts = facts.filter(instansi=instansi)
    facts = facts.order_by("instansi__code", "unit__code", "service__code", "month")
    return list(_rows(facts.iterator(chunk_size=2000)))


def _rows(facts: Iterator[ServiceFact]) -> Iterator[dict[str, Any]]:
    for fact in facts:
        counts = dict.fromkeys(IKM_KEYS, fact.respondents)
        totals = {key: getattr(fact, key) for key in IKM_KEYS}
        ikm = None
        if fact.respondents >= MIN_RESPONDENTS:
            ikm = layanan_rules.ikm_from_totals(totals, counts, fact.respondents)
        median = median_from_histogram(merge_histograms([fact.days_histogram]))
        yield {
            "agency_code": fact.instansi.code,
            "agency_name": fact.instansi.name,
            "unit_code": fact.unit.code,
            "unit_name": fact.unit.name,
            "service_code": fact.service.code,
            "service_name": fact.service.name,
            "year": fact.year,
            "month": fact.month,
            "received": fact.submitted,
            "completed": fact.completed,
            "completed_within_sla": fact.within_sla,
            "rejected": fact.rejected,
            "median_working_days": float(median) if median is not None else None,
            "ikm_respondents": fact.respondents,
            "ikm_converted": float(ikm.converted) if ikm else None,
            "ikm_grade": ikm.grade if ikm else "",
        }


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def to_parquet(rows: list[dict[str, Any]]) -> bytes:
    schema = pa.schema(
        [pa.field(name, kind, metadata={"description": text}) for name, kind, text in SCHEMA]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
