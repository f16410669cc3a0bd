"""Tests of the pure identifier rules: NIP / NI PPPK, NIK and leader-cycle detection.

No database: every test calls plain functions with an explicit ``today``.
"""

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from datetime import date
from typing import TypeVar

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from abdi.organisations.choices import AsnKind, Gender
from abdi.organisations.exceptions import IdentifierError
from abdi.organisations.rules import (
    PROVINCE_CODES,
    ParsedNik,
    ParsedNip,
    find_cycle,
    mask_nik,
    normalise_nik,
    normalise_nip,
    parse_nik,
    parse_nip,
)

TODAY = date(2026, 11, 24)

T = TypeVar("T")
N = TypeVar("N", int, str)

NIP_CODES = {
    "nip.required",
    "nip.not_digits",
    "nip.length",
    "nip.birth_date_invalid",
    "nip.birth_date_future",
    "nip.appointment_invalid",
    "nip.appointment_too_early",
    "nip.gender_invalid",
    "nip.sequence_invalid",
}
NIK_CODES = {
    "nik.required",
    "nik.not_digits",
    "nik.length",
    "nik.region_invalid",
    "nik.birth_date_invalid",
    "nik.birth_date_future",
    "nik.sequence_invalid",
}


# --------------------------------------------------------------------------------------------
# NIP: valid
# --------------------------------------------------------------------------------------------

VALID_NIPS = [
    # value, kind, birth date, appointment year, month, gender, sequence
    pytest.param(
        "196608011988031001", AsnKind.PNS, date(1966, 8, 1), 1988, 3, Gender.MALE, 1, id="pns"
    ),
    pytest.param(
        "198902252024211013",
        AsnKind.PPPK,
        date(1989, 2, 25),
        2024,
        None,
        Gender.MALE,
        13,
        id="pppk",
    ),
    pytest.param(
        "197512312000122999",
        AsnKind.PNS,
        date(1975, 12, 31),
        2000,
        12,
        Gender.FEMALE,
        999,
        id="pns-female-seq-999",
    ),
    pytest.param(
        "199503172021292045",
        AsnKind.PPPK,
        date(1995, 3, 17),
        2021,
        None,
        Gender.FEMALE,
        45,
        id="pppk-female-9th-appointment",
    ),
    pytest.param(
        "199001012019211001",
        AsnKind.PPPK,
        date(1990, 1, 1),
        2019,
        None,
        Gender.MALE,
        1,
        id="pppk-first-year-2019",
    ),
    pytest.param(
        "200811202026211001",
        AsnKind.PPPK,
        date(2008, 11, 20),
        2026,
        None,
        Gender.MALE,
        1,
        id="pppk-18-in-appointment-year",
    ),
    pytest.param(
        "197003151988031001",
        AsnKind.PNS,
        date(1970, 3, 15),
        1988,
        3,
        Gender.MALE,
        1,
        id="pns-turns-18-in-tmt-month",
    ),
    pytest.param(
        "200001012026111001",
        AsnKind.PNS,
        date(2000, 1, 1),
        2026,
        11,
        Gender.MALE,
        1,
        id="pns-tmt-this-month",
    ),
    pytest.param(
        "196402291988011001",
        AsnKind.PNS,
        date(1964, 2, 29),
        1988,
        1,
        Gender.MALE,
        1,
        id="born-feb-29-leap-year",
    ),
    pytest.param(
        "200002292024211001",
        AsnKind.PPPK,
        date(2000, 2, 29),
        2024,
        None,
        Gender.MALE,
        1,
        id="born-feb-29-2000",
    ),
]


@pytest.mark.parametrize(
    ("value", "kind", "birth", "year", "month", "gender", "sequence"), VALID_NIPS
)
def test_parse_nip_valid(
    value: str,
    kind: str,
    birth: date,
    year: int,
    month: int | None,
    gender: str,
    sequence: int,
) -> None:
    assert parse_nip(value, today=TODAY) == ParsedNip(
        nip=value,
        asn_kind=kind,
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        gender=gender,
        sequence=sequence,
    )


@pytest.mark.parametrize(
    "value",
    [
        "19660801 198803 1 001",
        "  196608011988031001  ",
        "\t196608011988031001\n",
        "1966 0801 1988 0310 01",
        "19660801\u00a0198803\u00a01\u00a0001",
    ],
)
def test_parse_nip_accepts_spaces(value: str) -> None:
    parsed = parse_nip(value, today=TODAY)
    assert parsed.nip == "196608011988031001"
    assert parsed.birth_date == date(1966, 8, 1)


def test_normalise_nip() -> None:
    assert normalise_nip(" 19660801 198803 1 001 ") == "196608011988031001"
    assert normalise_nip("19660801-198803") == "19660801-198803"


def test_parsed_nip_is_frozen() -> None:
    parsed = parse_nip("196608011988031001", today=TODAY)
    with pytest.raises(FrozenInstanceError):
        parsed.sequence = 2  # type: ignore[misc]


def test_parse_nip_kind_values_are_plain_choices() -> None:
    pns = parse_nip("196608011988031001", today=TODAY)
    pppk = parse_nip("198902252024211013", today=TODAY)
    assert (pns.asn_kind, pns.gender) == ("PNS", "L")
    assert (pppk.asn_kind, pppk.appointment_month) == ("PPPK", None)


# --------------------------------------------------------------------------------------------
# NIP: errors
# --------------------------------------------------------------------------------------------

INVALID_NIPS = [
    # required
    pytest.param("", "nip.required", id="empty"),
    pytest.param("    ", "nip.required", id="blank"),
    # not_digits
    pytest.param("19660801-198803-1-001", "nip.not_digits", id="dashes"),
    pytest.param("19660801.198803.1.001", "nip.not_digits", id="dots"),
    pytest.param("19660801\t198803 1 001", "nip.not_digits", id="inner-tab"),
    pytest.param("1966080119880310O1", "nip.not_digits", id="letter-o"),
    pytest.param("\u0661" * 18, "nip.not_digits", id="arabic-indic-digits"),
    pytest.param("\uff11" * 18, "nip.not_digits", id="fullwidth-digits"),
    pytest.param("\u00b2" * 18, "nip.not_digits", id="superscript-digits"),
    # length
    pytest.param("19660801198803100", "nip.length", id="17-digits"),
    pytest.param("1966080119880310011", "nip.length", id="19-digits"),
    pytest.param("1", "nip.length", id="1-digit"),
    # birth date
    pytest.param("196613011988031001", "nip.birth_date_invalid", id="birth-month-13"),
    pytest.param("196600011988031001", "nip.birth_date_invalid", id="birth-month-00"),
    pytest.param("196608001988031001", "nip.birth_date_invalid", id="birth-day-00"),
    pytest.param("196602301988031001", "nip.birth_date_invalid", id="birth-feb-30"),
    pytest.param("196504311988031001", "nip.birth_date_invalid", id="birth-apr-31"),
    pytest.param("196502291988031001", "nip.birth_date_invalid", id="birth-feb-29-non-leap"),
    pytest.param("190002291988031001", "nip.birth_date_invalid", id="birth-feb-29-1900"),
    pytest.param("000001011988031001", "nip.birth_date_invalid", id="birth-year-0000"),
    pytest.param("202701011988031001", "nip.birth_date_future", id="birth-next-year"),
    pytest.param("202611251988031001", "nip.birth_date_future", id="birth-tomorrow"),
    # appointment part
    pytest.param("196608011988001001", "nip.appointment_invalid", id="tmt-month-00"),
    pytest.param("196608011988131001", "nip.appointment_invalid", id="tmt-month-13"),
    pytest.param("196608011988191001", "nip.appointment_invalid", id="tmt-19"),
    pytest.param("196608012024201001", "nip.appointment_invalid", id="pppk-count-0"),
    pytest.param("196608012024301001", "nip.appointment_invalid", id="tmt-30"),
    pytest.param("196608012024991001", "nip.appointment_invalid", id="tmt-99"),
    pytest.param("196608012026121001", "nip.appointment_invalid", id="pns-tmt-next-month"),
    pytest.param("196608012027011001", "nip.appointment_invalid", id="pns-tmt-next-year"),
    pytest.param("198902252018211013", "nip.appointment_invalid", id="pppk-before-2019"),
    pytest.param("198902252027211013", "nip.appointment_invalid", id="pppk-next-year"),
    pytest.param("196608011984031001", "nip.appointment_too_early", id="pns-aged-17"),
    pytest.param("197003151988021001", "nip.appointment_too_early", id="pns-month-before-18"),
    pytest.param("196608011960031001", "nip.appointment_too_early", id="pns-before-birth"),
    pytest.param("201001012024211001", "nip.appointment_too_early", id="pppk-aged-14"),
    pytest.param("200901012026211001", "nip.appointment_too_early", id="pppk-aged-17"),
    # gender
    pytest.param("196608011988030001", "nip.gender_invalid", id="gender-0"),
    pytest.param("196608011988033001", "nip.gender_invalid", id="gender-3"),
    pytest.param("196608011988039001", "nip.gender_invalid", id="gender-9"),
    # sequence
    pytest.param("196608011988031000", "nip.sequence_invalid", id="pns-seq-000"),
    pytest.param("198902252024212000", "nip.sequence_invalid", id="pppk-seq-000"),
]


@pytest.mark.parametrize(("value", "code"), INVALID_NIPS)
def test_parse_nip_invalid(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as excinfo:
        parse_nip(value, today=TODAY)
    assert excinfo.value.code == code


def test_every_nip_code_has_an_example() -> None:
    assert {param.values[1] for param in INVALID_NIPS} == NIP_CODES


def test_nip_required_for_none_like_whitespace_only() -> None:
    with pytest.raises(IdentifierError) as excinfo:
        parse_nip("\n\t ", today=TODAY)
    assert excinfo.value.code == "nip.required"


def test_nip_future_checks_follow_today() -> None:
    # The same NIP is fine once its appointment month has arrived.
    with pytest.raises(IdentifierError) as excinfo:
        parse_nip("196608012026121001", today=TODAY)
    assert excinfo.value.code == "nip.appointment_invalid"
    assert parse_nip("196608012026121001", today=date(2026, 12, 1)).appointment_month == 12


# --------------------------------------------------------------------------------------------
# NIK: valid
# --------------------------------------------------------------------------------------------

VALID_NIKS = [
    # value, birth date, gender, sequence
    pytest.param("3404015508900001", date(1990, 8, 15), Gender.FEMALE, 1, id="female-day+40"),
    pytest.param("3404011508900001", date(1990, 8, 15), Gender.MALE, 1, id="male"),
    pytest.param("3171011203851234", date(1985, 3, 12), Gender.MALE, 1234, id="dki"),
    pytest.param("3404014101009999", date(2000, 1, 1), Gender.FEMALE, 9999, id="female-day-41"),
    pytest.param("3404017112990001", date(1999, 12, 31), Gender.FEMALE, 1, id="female-day-71"),
    pytest.param("3404010101250001", date(2025, 1, 1), Gender.MALE, 1, id="century-2025"),
    pytest.param("3404010101900001", date(1990, 1, 1), Gender.MALE, 1, id="century-1990"),
    pytest.param("3404012411260001", date(2026, 11, 24), Gender.MALE, 1, id="born-today"),
    pytest.param("3404012511260001", date(1926, 11, 25), Gender.MALE, 1, id="tomorrow-is-1926"),
    pytest.param("3404010112260001", date(1926, 12, 1), Gender.MALE, 1, id="december-is-1926"),
    pytest.param("3404010101000001", date(2000, 1, 1), Gender.MALE, 1, id="year-00"),
    pytest.param("3404012902000001", date(2000, 2, 29), Gender.MALE, 1, id="feb-29-2000"),
    pytest.param("3404016902960001", date(1996, 2, 29), Gender.FEMALE, 1, id="feb-29-1996"),
    pytest.param("3404012902240001", date(2024, 2, 29), Gender.MALE, 1, id="feb-29-2024"),
    pytest.param("1101010101900001", date(1990, 1, 1), Gender.MALE, 1, id="aceh"),
    pytest.param("9601010101900001", date(1990, 1, 1), Gender.MALE, 1, id="papua-barat-daya"),
]


@pytest.mark.parametrize(("value", "birth", "gender", "sequence"), VALID_NIKS)
def test_parse_nik_valid(value: str, birth: date, gender: str, sequence: int) -> None:
    assert parse_nik(value, today=TODAY) == ParsedNik(
        nik=value,
        province_code=value[:2],
        regency_code=value[:4],
        district_code=value[:6],
        birth_date=birth,
        gender=gender,
        sequence=sequence,
    )


def test_parse_nik_region_parts() -> None:
    parsed = parse_nik("3404015508900001", today=TODAY)
    assert parsed.province_code == "34"
    assert parsed.regency_code == "3404"
    assert parsed.district_code == "340401"


@pytest.mark.parametrize(
    "value", ["3404 0155 0890 0001", "340401 550890 0001", " 3404015508900001\n"]
)
def test_parse_nik_accepts_spaces(value: str) -> None:
    assert parse_nik(value, today=TODAY).nik == "3404015508900001"
    assert normalise_nik(value) == "3404015508900001"


def test_province_codes() -> None:
    # 38 provinces (Kemendagri); Papua Barat Daya (96) is the newest, created in 2022.
    assert len(PROVINCE_CODES) == 38
    assert {"11", "19", "21", "31", "36", "51", "53", "61", "65", "71", "76", "81", "82"} <= (
        PROVINCE_CODES
    )
    assert {f"{code}" for code in range(91, 97)} <= PROVINCE_CODES
    assert not {"00", "10", "20", "22", "30", "37", "50", "54", "60", "66", "70", "77", "80"} & (
        PROVINCE_CODES
    )
    assert not {"83", "90", "97", "98", "99"} & PROVINCE_CODES


# --------------------------------------------------------------------------------------------
# NIK: errors
# --------------------------------------------------------------------------------------------

INVALID_NIKS = [
    pytest.param("", "nik.required", id="empty"),
    pytest.param("  ", "nik.required", id="blank"),
    pytest.param("3404-0155-0890-0001", "nik.not_digits", id="dashes"),
    pytest.param("3404.0155.0890.0001", "nik.not_digits", id="dots"),
    pytest.param("340401550890000I", "nik.not_digits", id="letter-i"),
    pytest.param("\u0663" * 16, "nik.not_digits", id="arabic-indic-digits"),
    pytest.param("340401550890001", "nik.length", id="15-digits"),
    pytest.param("34040155089000011", "nik.length", id="17-digits"),
    pytest.param("196608011988031001", "nik.length", id="a-nip"),
    pytest.param("0004015508900001", "nik.region_invalid", id="province-00"),
    pytest.param("2004015508900001", "nik.region_invalid", id="province-20"),
    pytest.param("9904015508900001", "nik.region_invalid", id="province-99"),
    pytest.param("3704015508900001", "nik.region_invalid", id="province-37"),
    pytest.param("3400015508900001", "nik.region_invalid", id="regency-00"),
    pytest.param("3404005508900001", "nik.region_invalid", id="district-00"),
    pytest.param("3404010008900001", "nik.birth_date_invalid", id="day-00"),
    pytest.param("3404013208900001", "nik.birth_date_invalid", id="day-32"),
    pytest.param("3404014008900001", "nik.birth_date_invalid", id="day-40"),
    pytest.param("3404017208900001", "nik.birth_date_invalid", id="day-72"),
    pytest.param("3404019908900001", "nik.birth_date_invalid", id="day-99"),
    pytest.param("3404011500900001", "nik.birth_date_invalid", id="month-00"),
    pytest.param("3404011513900001", "nik.birth_date_invalid", id="month-13"),
    pytest.param("3404013104900001", "nik.birth_date_invalid", id="apr-31"),
    pytest.param("3404017102900001", "nik.birth_date_invalid", id="female-feb-31"),
    pytest.param("3404012902970001", "nik.birth_date_invalid", id="feb-29-1997-2097"),
    pytest.param("3404016902010001", "nik.birth_date_invalid", id="female-feb-29-1901-2001"),
    pytest.param("3404015508900000", "nik.sequence_invalid", id="sequence-0000"),
]


@pytest.mark.parametrize(("value", "code"), INVALID_NIKS)
def test_parse_nik_invalid(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as excinfo:
        parse_nik(value, today=TODAY)
    assert excinfo.value.code == code


def test_parse_nik_birth_date_future() -> None:
    # Only reachable when both centuries lie after ``today``.
    with pytest.raises(IdentifierError) as excinfo:
        parse_nik("3404010101600001", today=date(1950, 1, 1))
    assert excinfo.value.code == "nik.birth_date_future"


def test_parse_nik_feb_29_only_valid_in_earlier_century_before_its_date() -> None:
    # 29 Feb 2000 exists, 29 Feb 1900 does not: before 2000-02-29 the date is not real yet.
    with pytest.raises(IdentifierError) as excinfo:
        parse_nik("3404012902000001", today=date(1999, 12, 31))
    assert excinfo.value.code == "nik.birth_date_future"


def test_every_nik_code_has_an_example() -> None:
    codes = {param.values[1] for param in INVALID_NIKS} | {"nik.birth_date_future"}
    assert codes == NIK_CODES


# --------------------------------------------------------------------------------------------
# Error messages
# --------------------------------------------------------------------------------------------

ALL_INVALID = [
    pytest.param(parse_nip, *param.values, id=f"nip-{param.id}") for param in INVALID_NIPS
] + [pytest.param(parse_nik, *param.values, id=f"nik-{param.id}") for param in INVALID_NIKS]


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(("parse", "value", "code"), ALL_INVALID)
def test_error_messages_render(
    parse: Callable[..., object], value: str, code: str, language: str
) -> None:
    with pytest.raises(IdentifierError) as excinfo:
        parse(value, today=TODAY)
    error = excinfo.value
    with translation.override(language):
        message = error.message
        rendered = str(error)
    assert message
    assert "%(" not in message
    assert rendered.startswith(f"{code}: ")
    assert error.field == code.split(".")[0]
    assert error.status == 422


def test_error_messages_carry_params() -> None:
    with pytest.raises(IdentifierError) as excinfo:
        parse_nip("19660801198803100", today=TODAY)
    assert excinfo.value.params == {"expected": 18, "length": 17}
    with translation.override("en"):
        assert excinfo.value.message == "NIP must be exactly 18 digits, not 17."


@pytest.mark.parametrize(("value", "code"), INVALID_NIKS)
def test_nik_errors_do_not_echo_the_whole_nik(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as excinfo:
        parse_nik(value, today=TODAY)
    with translation.override("en"):
        message = excinfo.value.message
    assert excinfo.value.code == code
    assert len(normalise_nik(value)) != 16 or normalise_nik(value) not in message


# --------------------------------------------------------------------------------------------
# mask_nik
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("3404015508900001", "3404********0001"),
        ("3404 0155 0890 0001", "3404********0001"),
        (" 3171011203851234 ", "3171********1234"),
        ("123456789", "1234*6789"),
        ("12345678", "********"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_nik(value: str, masked: str) -> None:
    assert mask_nik(value) == masked


# --------------------------------------------------------------------------------------------
# find_cycle
# --------------------------------------------------------------------------------------------


def _rotated(cycle: list[N]) -> tuple[N, ...]:
    """Rotate a cycle so it starts at its smallest node, to compare regardless of start."""
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


def test_find_cycle_empty() -> None:
    assert find_cycle({}) is None


def test_find_cycle_forest_without_cycle() -> None:
    edges = {"a": None, "b": "a", "c": "a", "d": "c", "e": "outside"}
    assert find_cycle(edges) is None


def test_find_cycle_self_loop() -> None:
    assert find_cycle({"a": None, "b": "b"}) == ["b"]


def test_find_cycle_two_cycle() -> None:
    cycle = find_cycle({"a": "b", "b": "a"})
    assert cycle is not None
    assert _rotated(cycle) == ("a", "b")


def test_find_cycle_reachable_from_tail() -> None:
    edges = {0: 1, 1: 2, 2: 3, 3: 4, 4: 2, 5: None}
    cycle = find_cycle(edges)
    assert cycle is not None
    assert _rotated(cycle) == (2, 3, 4)


def test_find_cycle_after_acyclic_part() -> None:
    edges = {"boss": None, "x": "boss", "y": "z", "z": "y"}
    cycle = find_cycle(edges)
    assert cycle is not None
    assert _rotated(cycle) == ("y", "z")


def test_find_cycle_long_chain_without_cycle() -> None:
    n = 100_000
    edges: dict[int, int | None] = {i: i + 1 for i in range(n - 1)}
    edges[n - 1] = None
    assert find_cycle(edges) is None


def test_find_cycle_long_chain_reversed_insertion_order() -> None:
    n = 100_000
    edges: dict[int, int | None] = {i: i - 1 for i in range(n - 1, 0, -1)}
    edges[0] = n + 5  # outside: terminates
    assert find_cycle(edges) is None


def test_find_cycle_wide_star_is_linear() -> None:
    edges: dict[int, int | None] = dict.fromkeys(range(1, 100_000), 0)
    edges[0] = None
    assert find_cycle(edges) is None


def test_find_cycle_long_cycle() -> None:
    n = 100_000
    edges: dict[int, int | None] = {i: (i + 1) % n for i in range(n)}
    cycle = find_cycle(edges)
    assert cycle is not None
    assert _rotated(cycle) == tuple(range(n))


def test_find_cycle_long_tail_into_cycle() -> None:
    n = 100_000
    edges: dict[int, int | None] = {i: i + 1 for i in range(n)}
    edges[n] = n - 3  # n-3 -> n-2 -> n-1 -> n -> n-3
    cycle = find_cycle(edges)
    assert cycle is not None
    assert _rotated(cycle) == (n - 3, n - 2, n - 1, n)


@given(st.dictionaries(st.integers(0, 30), st.none() | st.integers(0, 35), max_size=30))
def test_find_cycle_property(edges: dict[int, int | None]) -> None:
    cycle = find_cycle(edges)
    # Brute force: a node lies on a cycle iff following parents from it comes back to it.
    on_cycle = set()
    for start in edges:
        node = edges[start]
        for _ in range(len(edges)):
            if node is None or node not in edges:
                break
            if node == start:
                on_cycle.add(start)
                break
            node = edges[node]
    if cycle is None:
        assert not on_cycle
    else:
        assert cycle
        assert len(set(cycle)) == len(cycle)
        for i, node in enumerate(cycle):
            assert edges[node] == cycle[(i + 1) % len(cycle)]
        assert set(cycle) <= on_cycle


def _outcome(parse: Callable[..., T], value: str, today: date) -> T | IdentifierError:
    """Return what ``parse`` returns or the ``IdentifierError`` it raises; anything else escapes."""
    try:
        return parse(value, today=today)
    except IdentifierError as error:
        return error


# --------------------------------------------------------------------------------------------
# Hypothesis: NIP
# --------------------------------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
todays = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@st.composite
def pns_nips(draw: st.DrawFn) -> tuple[str, date, int, int, str, int]:
    birth = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 11, 24)))
    year = draw(st.integers(birth.year + 18, min(birth.year + 40, TODAY.year)))
    lowest = birth.month if year == birth.year + 18 else 1
    highest = TODAY.month if year == TODAY.year else 12
    assume(lowest <= highest)
    month = draw(st.integers(lowest, highest))
    gender = draw(st.sampled_from(["1", "2"]))
    sequence = draw(st.integers(1, 999))
    nip = f"{birth:%Y%m%d}{year:04d}{month:02d}{gender}{sequence:03d}"
    return nip, birth, year, month, gender, sequence


@st.composite
def pppk_nips(draw: st.DrawFn) -> tuple[str, date, int, int, str, int]:
    birth = draw(st.dates(min_value=date(1960, 1, 1), max_value=date(2008, 12, 31)))
    year = draw(st.integers(max(2019, birth.year + 18), TODAY.year))
    count = draw(st.integers(1, 9))
    gender = draw(st.sampled_from(["1", "2"]))
    sequence = draw(st.integers(1, 999))
    nip = f"{birth:%Y%m%d}{year:04d}2{count}{gender}{sequence:03d}"
    return nip, birth, year, count, gender, sequence


@given(pns_nips())
def test_pns_nip_round_trip(case: tuple[str, date, int, int, str, int]) -> None:
    nip, birth, year, month, gender, sequence = case
    parsed = parse_nip(nip, today=TODAY)
    assert parsed == ParsedNip(
        nip=nip,
        asn_kind=AsnKind.PNS,
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        gender=Gender.MALE if gender == "1" else Gender.FEMALE,
        sequence=sequence,
    )


@given(pppk_nips())
def test_pppk_nip_round_trip(case: tuple[str, date, int, int, str, int]) -> None:
    nip, birth, year, _count, gender, sequence = case
    spaced = f" {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]} "
    parsed = parse_nip(spaced, today=TODAY)
    assert parsed == ParsedNip(
        nip=nip,
        asn_kind=AsnKind.PPPK,
        birth_date=birth,
        appointment_year=year,
        appointment_month=None,
        gender=Gender.MALE if gender == "1" else Gender.FEMALE,
        sequence=sequence,
    )


@given(st.text(alphabet="0123456789", min_size=18, max_size=18), todays)
def test_any_18_digits_parse_or_raise_identifier_error(value: str, today: date) -> None:
    parsed = _outcome(parse_nip, value, today)
    if isinstance(parsed, IdentifierError):
        assert parsed.code in NIP_CODES
    else:
        assert parsed.nip == value
        assert parsed.birth_date <= today
        assert parsed.asn_kind in {AsnKind.PNS, AsnKind.PPPK}
        assert 1 <= parsed.sequence <= 999


@given(st.text(max_size=25), todays)
def test_any_text_is_a_nip_or_an_identifier_error(value: str, today: date) -> None:
    outcome = _outcome(parse_nip, value, today)
    assert isinstance(outcome, ParsedNip) or outcome.code in NIP_CODES


# --------------------------------------------------------------------------------------------
# Hypothesis: NIK
# --------------------------------------------------------------------------------------------


@st.composite
def niks(draw: st.DrawFn) -> tuple[str, date, str, int]:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    regency = draw(st.integers(1, 99))
    district = draw(st.integers(1, 99))
    # The two-digit year round-trips for the hundred years up to ``today``.
    birth = draw(st.dates(min_value=date(1926, 11, 25), max_value=TODAY))
    gender = draw(st.sampled_from([Gender.MALE, Gender.FEMALE]))
    sequence = draw(st.integers(1, 9999))
    day = birth.day + (40 if gender == Gender.FEMALE else 0)
    nik = (
        f"{province}{regency:02d}{district:02d}"
        f"{day:02d}{birth.month:02d}{birth.year % 100:02d}{sequence:04d}"
    )
    return nik, birth, gender, sequence


@given(niks())
def test_nik_round_trip(case: tuple[str, date, str, int]) -> None:
    nik, birth, gender, sequence = case
    assert parse_nik(nik, today=TODAY) == ParsedNik(
        nik=nik,
        province_code=nik[:2],
        regency_code=nik[:4],
        district_code=nik[:6],
        birth_date=birth,
        gender=gender,
        sequence=sequence,
    )
    assert mask_nik(nik) == nik[:4] + "*" * 8 + nik[-4:]


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), todays)
def test_any_16_digits_parse_or_raise_identifier_error(value: str, today: date) -> None:
    parsed = _outcome(parse_nik, value, today)
    if isinstance(parsed, IdentifierError):
        assert parsed.code in NIK_CODES
    else:
        assert parsed.nik == value
        assert parsed.birth_date <= today
        assert 1900 <= parsed.birth_date.year <= 2099
        assert parsed.province_code in PROVINCE_CODES
        assert parsed.sequence >= 1


@given(st.text(max_size=22), todays)
def test_any_text_is_a_nik_or_an_identifier_error(value: str, today: date) -> None:
    outcome = _outcome(parse_nik, value, today)
    assert isinstance(outcome, ParsedNik) or outcome.code in NIK_CODES
