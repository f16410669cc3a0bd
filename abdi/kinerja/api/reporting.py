"""Realisation, evidence and the weekly output log."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from abdi.core.queries import CompiledQuery, set_prefetched

from .. import rules, services
from ..models import (
    Evidence,
    OutputEntry,
    Realisation,
)
from ._common import (
    _evidence,
    _indicator,
    _output,
    _output_owner,
    _realisation,
    _rhk,
)
from .schemas import (
    EVIDENCE_FILE,
    EVIDENCE_URL,
    CommentIn,
    EvidenceOut,
    OutputIn,
    OutputOut,
    RealisationIn,
    RealisationOut,
    router,
)

__all__ = [
    "output_accept",
    "output_add",
    "output_evidence_attach",
    "output_list",
    "output_return",
    "realisation_accept",
    "realisation_evidence_attach",
    "realisation_record",
    "realisation_return",
]


# --- Realisation and evidence ----------------------------------------------------------------

# A realisation as stored, with its indicator, and its evidence (compiled once: read after
# every save).
_STORED = CompiledQuery(lambda pk: Realisation.objects.select_related("indicator").filter(pk=pk))
_EVIDENCE = CompiledQuery(
    lambda realisation_id: Evidence.objects.filter(realisation_id=realisation_id)
)


@router.put(
    "/indicators/{public_id}/realisations/{period}",
    response=RealisationOut,
    operation_id="realisation_record",
)
def realisation_record(
    request: HttpRequest, public_id: UUID, period: int, payload: RealisationIn
) -> Any:
    """Record what an indicator achieved by the end of a period that has started.

    Realisations are cumulative to date; a changed value goes back to the leader.
    """
    realisation = services.realisation_record(
        actor=request.user,
        indicator=_indicator(request, public_id),
        period=period,
        value=payload.value,
        note=payload.note,
    )
    # Read back as stored (decimals as "12.00"), with the indicator and evidence it shows.
    stored = _STORED.one_or_none(realisation.pk)
    assert stored is not None  # saved in this request
    set_prefetched(stored, "evidence", _EVIDENCE.all(stored.pk))
    return stored


@router.post(
    "/realisations/{public_id}/accept", response=RealisationOut, operation_id="realisation_accept"
)
def realisation_accept(request: HttpRequest, public_id: UUID) -> Any:
    """Accept a submitted realisation (the direct leader only)."""
    return services.realisation_accept(
        actor=request.user, realisation=_realisation(request, public_id)
    )


@router.post(
    "/realisations/{public_id}/return", response=RealisationOut, operation_id="realisation_return"
)
def realisation_return(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Return a submitted realisation for correction (the direct leader only)."""
    return services.realisation_return(
        actor=request.user, realisation=_realisation(request, public_id), comment=payload.comment
    )


@router.post(
    "/realisations/{public_id}/evidence",
    response={201: EvidenceOut},
    operation_id="realisation_evidence_attach",
)
def realisation_evidence_attach(
    request: HttpRequest,
    public_id: UUID,
    file: UploadedFile | None = EVIDENCE_FILE,
    url: str = EVIDENCE_URL,
) -> Any:
    """Attach a file or a link (multipart/form-data) as evidence of your realisation."""
    return _evidence(request, realisation=_realisation(request, public_id), file=file, url=url)


# --- Weekly output log -----------------------------------------------------------------------


@router.get("/outputs", response=list[OutputOut], operation_id="output_list")
@paginate(LimitOffsetPagination)
def output_list(
    request: HttpRequest, week: date | None = None, employee: UUID | None = None
) -> Any:
    """List your weekly outputs (or a subordinate's), newest week first, optionally one week."""
    owner = _output_owner(request, employee)
    found = (
        OutputEntry.objects.filter(employee=owner)
        .select_related("employee__position", "rhk")
        .prefetch_related("evidence")
    )
    if week is not None:
        found = found.filter(week=rules.monday_of(week))
    return found.order_by("-week", "-created_at")


@router.post("/outputs", response={201: OutputOut}, operation_id="output_add")
def output_add(request: HttpRequest, payload: OutputIn) -> Any:
    """Log what you produced in a week for a result of your approved plan."""
    entry = services.output_add(
        actor=request.user,
        rhk=_rhk(request, payload.rhk_id),
        week=payload.week,
        output=payload.output,
        quantity=payload.quantity,
        location=payload.location,
    )
    entry.refresh_from_db()
    return entry


@router.post("/outputs/{public_id}/accept", response=OutputOut, operation_id="output_accept")
def output_accept(request: HttpRequest, public_id: UUID) -> Any:
    """Accept a submitted weekly output (the direct leader only)."""
    return services.output_accept(actor=request.user, entry=_output(request, public_id))


@router.post("/outputs/{public_id}/return", response=OutputOut, operation_id="output_return")
def output_return(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Return a submitted weekly output with a comment (the direct leader only)."""
    return services.output_return(
        actor=request.user, entry=_output(request, public_id), comment=payload.comment
    )


@router.post(
    "/outputs/{public_id}/evidence",
    response={201: EvidenceOut},
    operation_id="output_evidence_attach",
)
def output_evidence_attach(
    request: HttpRequest,
    public_id: UUID,
    file: UploadedFile | None = EVIDENCE_FILE,
    url: str = EVIDENCE_URL,
) -> Any:
    """Attach a file or a link (multipart/form-data) as evidence of your weekly output."""
    return _evidence(request, output=_output(request, public_id), file=file, url=url)
