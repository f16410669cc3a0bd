"""The survey (SKM/IKM) report as an Excel workbook (openpyxl)."""

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .choices import IKM_ELEMENTS, IkmGrade
from .selectors import SurveyReport

__all__ = ["survey_report_xlsx"]


def survey_report_xlsx(report: SurveyReport) -> bytes:
    """Summary sheet (NRR per element, IKM, grade, sample) and one row per response."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # noqa: S101 - a new workbook has one sheet
    with translation.override("id"):
        summary.title = "IKM"
        bold = Font(bold=True)
        summary.append([_("Public satisfaction survey (SKM) — PermenPANRB 14/2017")])
        summary["A1"].font = bold
        summary.append([_("Scope"), report.title or "-"])
        summary.append([_("Period"), f"{report.start:%d-%m-%Y} – {report.end:%d-%m-%Y}"])
        summary.append([_("Respondents"), len(report.responses)])
        summary.append([_("Population (cases closed)"), report.population])
        summary.append([_("Required sample (Krejcie & Morgan)"), report.required_sample])
        summary.append([_("Sample reached"), _("Yes") if report.reached else _("No")])
        summary.append([])
        summary.append([_("Element"), _("Average score (NRR)")])
        summary.cell(row=summary.max_row, column=1).font = bold
        result = report.result
        for key, label in IKM_ELEMENTS:
            nrr = result.nrr.get(key) if result else None
            summary.append([f"{key.upper()} {label}", float(nrr) if nrr is not None else None])
        summary.append([])
        if result is not None:
            summary.append([_("IKM (1–4)"), float(result.ikm)])
            summary.append([_("IKM converted (25–100)"), float(result.converted)])
            summary.append([_("Grade"), f"{result.grade} ({IkmGrade(result.grade).label})"])
            summary.append([_("Weight"), _("exact 1/9 per element")])
        summary.column_dimensions["A"].width = 48
        summary.column_dimensions["B"].width = 22
        rows = workbook.create_sheet(_("Responses"))
        rows.append(
            [_("Date"), _("Service"), _("Unit"), *[k.upper() for k, _l in IKM_ELEMENTS],
             _("Suggestion")]
        )  # fmt: skip
        for survey in report.responses:
            rows.append(
                [survey.answered_on, survey.service.name, survey.unit.name,
                 *[getattr(survey, k) for k, _l in IKM_ELEMENTS], survey.comment]
            )  # fmt: skip
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
