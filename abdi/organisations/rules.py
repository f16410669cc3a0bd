"""Pure rules for Indonesian civil-servant and population identifiers.

Nothing here touches the ORM, settings or a request: every function takes plain values (and an
explicit ``today`` where time matters) so it can be used from forms, the API, the employee
import and tests alike.

* **NIP** of a PNS (civil servant), 18 digits, Perka BKN No. 22 Tahun 2007: birth date
  ``YYYYMMDD``, first appointment as CPNS (TMT CPNS) ``YYYYMM``, gender digit (1 male,
  2 female) and a sequence ``001``-``999``.
* **NI PPPK** of a contract civil servant, also 18 digits, for the PPPK created by
  PP No. 49 Tahun 2018: birth date ``YYYYMMDD``, appointment year ``YYYY``, ``2`` plus the
  appointment count ``1``-``9`` where a PNS has the TMT month, gender digit and sequence.
* **NIK** (population identity number), 16 digits, UU No. 23 Tahun 2006 jo. UU No. 24 Tahun
  2013 on population administration: Kemendagri region code (province, regency/city,
  district), birth date ``DDMMYY`` with 40 added to the day for women, and a sequence from
  ``0001``.

Every refusal is an :class:`~abdi.organisations.exceptions.IdentifierError` with a stable
``code`` (``nip.*`` / ``nik.*``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from abdi.organisations.choices import AsnKind, Gender
from abdi.organisations.exceptions import IdentifierError

__all__ = [
    "NIK_LENGTH",
    "NIP_LENGTH",
    "PPPK_FIRST_YEAR",
    "PROVINCE_CODES",
    "ParsedNik",
    "ParsedNip",
    "find_cycle",
    "mask_nik",
    "normalise_nik",
    "normalise_nip",
    "parse_nik",
    "parse_nip",
]

NIP_LENGTH = 18
NIK_LENGTH = 16

#: Minimum age at first appointment checked against the NIP (PP 11/2017 sets 18 for a CPNS;
#: PPPK are held to the same floor here, PP 49/2018 itself asks for 20 at application).
MINIMUM_APPOINTMENT_AGE = 18

#: PPPK exist since PP 49/2018; the first PPPK were appointed in 2019.
PPPK_FIRST_YEAR = 2019

#: A woman's NIK birth day is the real day plus 40 (UU 23/2006 jo. UU 24/2013).
NIK_FEMALE_DAY_OFFSET = 40

#: Kemendagri province codes (kode wilayah, Permendagri 72/2019 and the later Kepmendagri
#: updates), carried by the first two digits of a NIK. Explicit on purpose: the gaps (20,
#: 22-30, 37-50, ...) are not provinces.
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        # Sumatra
        "11",  # Aceh
        "12",  # Sumatera Utara
        "13",  # Sumatera Barat
        "14",  # Riau
        "15",  # Jambi
        "16",  # Sumatera Selatan
        "17",  # Bengkulu
        "18",  # Lampung
        "19",  # Kepulauan Bangka Belitung
        "21",  # Kepulauan Riau
        # Java
        "31",  # DKI Jakarta
        "32",  # Jawa Barat
        "33",  # Jawa Tengah
        "34",  # DI Yogyakarta
        "35",  # Jawa Timur
        "36",  # Banten
        # Bali and Nusa Tenggara
        "51",  # Bali
        "52",  # Nusa Tenggara Barat
        "53",  # Nusa Tenggara Timur
        # Kalimantan
        "61",  # Kalimantan Barat
        "62",  # Kalimantan Tengah
        "63",  # Kalimantan Selatan
        "64",  # Kalimantan Timur
        "65",  # Kalimantan Utara
        # Sulawesi
        "71",  # Sulawesi Utara
        "72",  # Sulawesi Tengah
        "73",  # Sulawesi Selatan
        "74",  # Sulawesi Tenggara
        "75",  # Gorontalo
        "76",  # Sulawesi Barat
        # Maluku
        "81",  # Maluku
        "82",  # Maluku Utara
        # Papua (91-92 historic; 93-96 the provinces created in 2022)
        "91",  # Papua
        "92",  # Papua Barat
        "93",  # Papua Selatan
        "94",  # Papua Tengah
        "95",  # Papua Pegunungan
        "96",  # Papua Barat Daya
    }
)

_NO_BREAK_SPACE = "\u00a0"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ParsedNip:
    """The parts of a valid NIP (PNS, Perka BKN 22/2007) or NI PPPK (PP 49/2018)."""

    nip: str
    asn_kind: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None
    gender: str
    sequence: int


@dataclass(frozen=True)
class ParsedNik:
    """The parts of a valid NIK (UU 23/2006 jo. UU 24/2013)."""

    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    gender: str
    sequence: int


def _normalise(value: str) -> str:
    return value.strip().replace(" ", "").replace(_NO_BREAK_SPACE, "")


def _is_ascii_digits(value: str) -> bool:
    # str.isdigit() alone also accepts other scripts' digits and superscripts.
    return value.isascii() and value.isdigit()


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _error(message: str | Promise, code: str, **params: Any) -> IdentifierError:
    """Build the error for ``code`` (``nip.*`` or ``nik.*``); the prefix names the field."""
    return IdentifierError(message, code=code, params=params, field=code.split(".", 1)[0])


def normalise_nip(value: str) -> str:
    """Return a NIP (Perka BKN 22/2007) or NI PPPK (PP 49/2018) without spaces.

    Surrounding whitespace and the spaces people put between the groups
    (``"19660801 198803 1 001"``) are removed; nothing else is changed, so dots, dashes and
    letters are left for :func:`parse_nip` to refuse.
    """
    return _normalise(value)


def parse_nip(value: str, *, today: date) -> ParsedNip:
    """Parse and validate a NIP of a PNS or an NI PPPK; raise ``IdentifierError`` if invalid.

    PNS (Perka BKN 22/2007): ``YYYYMMDD`` birth date, ``YYYYMM`` TMT CPNS, gender digit
    (1 male, 2 female), sequence ``001``-``999``. NI PPPK (PP 49/2018): the same, except that
    digits 9-12 are the appointment year and digits 13-14 are ``2`` followed by the appointment
    count ``1``-``9`` instead of a month. Digits 13-14 decide the kind: ``01``-``12`` is a PNS,
    ``21``-``29`` a PPPK.

    The appointment must not be after ``today`` (month for PNS, year for PPPK) and the person
    must be at least 18 by then, counted in months for a PNS (the TMT only names a month) and
    in years for a PPPK. A PPPK appointment year is 2019 or later.
    """
    nip = normalise_nip(value)
    if not nip:
        raise _error(_("NIP is required."), "nip.required")
    if not _is_ascii_digits(nip):
        raise _error(_("NIP may contain only digits and spaces."), "nip.not_digits")
    if len(nip) != NIP_LENGTH:
        raise _error(
            _("NIP must be exactly %(expected)s digits, not %(length)s."),
            "nip.length",
            expected=NIP_LENGTH,
            length=len(nip),
        )

    birth_part = nip[0:8]
    birth_date = _date_or_none(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth_date is None:
        raise _error(
            _("The birth date in the NIP (%(part)s) is not a valid date."),
            "nip.birth_date_invalid",
            part=birth_part,
        )
    if birth_date > today:
        raise _error(
            _("The birth date in the NIP (%(part)s) is in the future."),
            "nip.birth_date_future",
            part=birth_part,
        )

    appointment_year = int(nip[8:12])
    kind_part = nip[12:14]
    appointment_month: int | None
    if 1 <= int(kind_part) <= 12:
        asn_kind = AsnKind.PNS.value
        appointment_month = int(kind_part)
        appointment_part = nip[8:14]
        if (appointment_year, appointment_month) > (today.year, today.month):
            raise _error(
                _("The appointment date in the NIP (%(part)s) is in the future."),
                "nip.appointment_invalid",
                part=appointment_part,
            )
        earliest = (birth_date.year + MINIMUM_APPOINTMENT_AGE, birth_date.month)
        if (appointment_year, appointment_month) < earliest:
            raise _error(
                _("The appointment date in the NIP (%(part)s) is before the age of 18."),
                "nip.appointment_too_early",
                part=appointment_part,
            )
    elif kind_part[0] == "2" and kind_part[1] != "0":
        asn_kind = AsnKind.PPPK.value
        appointment_month = None
        appointment_part = nip[8:12]
        if appointment_year < PPPK_FIRST_YEAR:
            raise _error(
                _("A PPPK appointment year (%(part)s) cannot be before %(first_year)s."),
                "nip.appointment_invalid",
                part=appointment_part,
                first_year=PPPK_FIRST_YEAR,
            )
        if appointment_year > today.year:
            raise _error(
                _("The appointment year in the NIP (%(part)s) is in the future."),
                "nip.appointment_invalid",
                part=appointment_part,
            )
        if appointment_year < birth_date.year + MINIMUM_APPOINTMENT_AGE:
            raise _error(
                _("The appointment year in the NIP (%(part)s) is before the age of 18."),
                "nip.appointment_too_early",
                part=appointment_part,
            )
    else:
        raise _error(
            _("Digits 13-14 of the NIP (%(part)s) must be a month (01-12) or a PPPK code (21-29)."),
            "nip.appointment_invalid",
            part=kind_part,
        )

    gender_digit = nip[14]
    if gender_digit == "1":
        gender = Gender.MALE.value
    elif gender_digit == "2":
        gender = Gender.FEMALE.value
    else:
        raise _error(
            _("The gender digit of the NIP must be 1 or 2, not %(digit)s."),
            "nip.gender_invalid",
            digit=gender_digit,
        )

    sequence = int(nip[15:18])
    if sequence == 0:
        raise _error(_("The NIP sequence number cannot be 000."), "nip.sequence_invalid")

    return ParsedNip(
        nip=nip,
        asn_kind=asn_kind,
        birth_date=birth_date,
        appointment_year=appointment_year,
        appointment_month=appointment_month,
        gender=gender,
        sequence=sequence,
    )


def normalise_nik(value: str) -> str:
    """Return a NIK (UU 23/2006 jo. UU 24/2013) without surrounding whitespace or spaces."""
    return _normalise(value)


def _nik_birth_date(day: int, month: int, yy: int, today: date) -> date:
    """Return the latest real date ``day``/``month``/``[19|20]yy`` not after ``today``.

    A NIK carries only two year digits (UU 23/2006 jo. UU 24/2013), so the century is
    inferred: 20YY unless that would be after ``today``, else 19YY.
    """
    candidates = [d for d in (_date_or_none(c + yy, month, day) for c in (2000, 1900)) if d]
    if not candidates:
        raise _error(_("The birth date in the NIK is not a valid date."), "nik.birth_date_invalid")
    for candidate in candidates:
        if candidate <= today:
            return candidate
    raise _error(_("The birth date in the NIK is in the future."), "nik.birth_date_future")


def parse_nik(value: str, *, today: date) -> ParsedNik:
    """Parse and validate a NIK; raise ``IdentifierError`` if invalid.

    UU 23/2006 jo. UU 24/2013: digits 1-6 the Kemendagri region (province, regency/city,
    district), 7-12 the birth date ``DDMMYY`` with 40 added to the day for women, 13-16 a
    sequence from ``0001``. The century of the birth year is inferred against ``today``.
    """
    nik = normalise_nik(value)
    if not nik:
        raise _error(_("NIK is required."), "nik.required")
    if not _is_ascii_digits(nik):
        raise _error(_("NIK may contain only digits and spaces."), "nik.not_digits")
    if len(nik) != NIK_LENGTH:
        raise _error(
            _("NIK must be exactly %(expected)s digits, not %(length)s."),
            "nik.length",
            expected=NIK_LENGTH,
            length=len(nik),
        )

    province_code, regency_part, district_part = nik[0:2], nik[2:4], nik[4:6]
    if province_code not in PROVINCE_CODES or regency_part == "00" or district_part == "00":
        raise _error(
            _("The region code of the NIK (%(region)s) does not exist."),
            "nik.region_invalid",
            region=nik[0:6],
        )

    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 1 <= raw_day <= 31:
        gender, day = Gender.MALE.value, raw_day
    elif 1 + NIK_FEMALE_DAY_OFFSET <= raw_day <= 31 + NIK_FEMALE_DAY_OFFSET:
        gender, day = Gender.FEMALE.value, raw_day - NIK_FEMALE_DAY_OFFSET
    else:
        raise _error(_("The birth date in the NIK is not a valid date."), "nik.birth_date_invalid")
    birth_date = _nik_birth_date(day, month, yy, today)

    sequence = int(nik[12:16])
    if sequence == 0:
        raise _error(_("The NIK sequence number cannot be 0000."), "nik.sequence_invalid")

    return ParsedNik(
        nik=nik,
        province_code=province_code,
        regency_code=nik[0:4],
        district_code=nik[0:6],
        birth_date=birth_date,
        gender=gender,
        sequence=sequence,
    )


def mask_nik(nik: str) -> str:
    """Hide the middle of a NIK (UU 23/2006 jo. UU 24/2013), e.g. ``3404********0001``.

    The first four digits (province and regency) and the last four (sequence) are kept,
    every other character becomes ``*``. Input is normalised first; a value of eight
    characters or fewer is masked entirely so nothing personal leaks from bad data.
    """
    value = normalise_nik(nik)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def find_cycle(edges: Mapping[K, K | None]) -> list[K] | None:
    """Return one cycle of a parent mapping, in parent order, or ``None`` if it has none.

    ``edges`` maps each node to its parent (``None`` for a root); a parent that is not a key
    ends the walk. Used by the employee import to refuse leader (atasan) chains that loop back.

    Iterative and O(n): each node is walked once, so 100k-node chains are fine.
    """
    done: set[K] = set()
    for start in edges:
        if start in done:
            continue
        path: list[K] = []
        position: dict[K, int] = {}
        node: K | None = start
        while node is not None and node in edges and node not in done:
            if node in position:
                return path[position[node] :]
            position[node] = len(path)
            path.append(node)
            node = edges[node]
        done.update(path)
    return None
