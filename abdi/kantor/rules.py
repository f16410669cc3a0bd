"""Pure rules of official letters: numbering, routing, retention, deadlines, diffs, file types.

The numbering, the paraf route and the security classes follow Permenpan RB 80/2012 on Tata
Naskah Dinas (nomor naskah dinas: urutan/kode klasifikasi/unit/tahun; paraf hierarki before
the signature). Retention follows the agency's Jadwal Retensi Arsip (PP 28/2012 Pasal 41).
"""

import difflib
import string
from dataclasses import dataclass
from datetime import date

__all__ = [
    "PLACEHOLDERS",
    "DiffLine",
    "NumberParts",
    "RouteError",
    "format_number",
    "is_overdue",
    "paraf_route",
    "pattern_problem",
    "retain_until",
    "roman_month",
    "version_diff",
]

PLACEHOLDERS = frozenset({"seq", "klasifikasi", "unit", "year", "month", "kind"})
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class NumberParts:
    seq: int
    klasifikasi: str
    unit: str
    year: int
    month: int
    kind: str


def roman_month(month: int) -> str:
    """Return the month in Roman numerals, as letter numbers often print it ("XI")."""
    return _ROMAN[month - 1]


def pattern_problem(pattern: str) -> str | None:
    """Return why ``pattern`` cannot number letters, or None when it can.

    A pattern must contain ``{seq}`` (so numbers differ) and may use only the known
    placeholders; ``{seq:03d}`` pads the sequence.
    """
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name]
    except ValueError:
        return "malformed"
    if any(name not in PLACEHOLDERS for name in fields):
        return "unknown_placeholder"
    if "seq" not in fields:
        return "missing_seq"
    return None


def format_number(pattern: str, parts: NumberParts) -> str:
    """Return the letter number ``pattern`` gives for ``parts`` ("12/800/BID-A/2026")."""
    return pattern.format(
        seq=parts.seq,
        klasifikasi=parts.klasifikasi,
        unit=parts.unit,
        year=parts.year,
        month=roman_month(parts.month),
        kind=parts.kind,
    )


class RouteError(ValueError):
    """The signing official is not above the drafter in the chain of command."""


def paraf_route(chain: list[int], signer: int) -> list[int]:
    """Return the positions that initial then sign, from the drafter's leader up to ``signer``.

    ``chain`` holds the drafter's chain of command, top first and the drafter's own
    position last. A drafter who signs their own letter has a route of one step (themselves).
    """
    if signer not in chain:
        raise RouteError(signer)
    drafter = chain[-1]
    if signer == drafter:
        return [drafter]
    above = list(reversed(chain[:-1]))
    return above[: above.index(signer) + 1]


def retain_until(letter_date: date, years: int) -> date:
    """Return the last day the letter must be kept: ``years`` after its date (29 Feb → 28)."""
    try:
        return letter_date.replace(year=letter_date.year + years)
    except ValueError:
        return letter_date.replace(year=letter_date.year + years, day=28)


def is_overdue(deadline: date | None, today: date, *, acted: bool) -> bool:
    """Return whether a disposition is past its deadline without having been acted on."""
    return deadline is not None and not acted and today > deadline


@dataclass(frozen=True)
class DiffLine:
    op: str  # " " same, "-" removed, "+" added
    text: str


def version_diff(old: str, new: str) -> list[DiffLine]:
    """Return the line-by-line difference between two versions of a letter's body."""
    lines = difflib.ndiff(old.splitlines(), new.splitlines())
    return [DiffLine(line[0], line[2:]) for line in lines if line[:1] in (" ", "-", "+")]


ATTACHMENT_TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "png": ("png", "image/png"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "docx": (
        "word/",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
