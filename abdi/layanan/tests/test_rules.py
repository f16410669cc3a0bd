"""Pure rules: the working-day SLA (Lebaran 2026, WITA), the IKM and the sample size."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from abdi.core.workdays import Calendar
from abdi.layanan import rules

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"
OFFICE = Calendar()
FRONT_LINE = Calendar(cuti_bersama=False)


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


# --- Receipt day and due date --------------------------------------------------------------


def test_submission_in_office_hours_counts_the_same_day() -> None:
    assert rules.receipt_day(at(WIB, 2026, 3, 17, 10, 0), WIB, OFFICE) == date(2026, 3, 17)


def test_submission_before_opening_counts_the_same_working_day() -> None:
    assert rules.receipt_day(at(WIB, 2026, 3, 17, 6, 0), WIB, OFFICE) == date(2026, 3, 17)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Tuesday 16:00 is closing time (Mon–Thu): the next working day is after Lebaran.
        (at(WIB, 2026, 3, 17, 16, 0), date(2026, 3, 25)),
        # Friday closes at 16:30 (90-minute Friday break, Perpres 21/2023).
        (at(WIB, 2026, 3, 13, 16, 15), date(2026, 3, 13)),
        (at(WIB, 2026, 3, 13, 16, 30), date(2026, 3, 16)),
        # Saturday and a cuti bersama day count from the next working day.
        (at(WIB, 2026, 3, 14, 10, 0), date(2026, 3, 16)),
        (at(WIB, 2026, 3, 23, 10, 0), date(2026, 3, 25)),
    ],
)
def test_after_hours_and_closed_days_count_from_the_next_working_day(
    moment: datetime, expected: date
) -> None:
    assert rules.receipt_day(moment, WIB, OFFICE) == expected


def test_lebaran_2026_cuti_bersama_moves_the_due_date() -> None:
    # Tue 17 March 2026, 3 working days. Closed: 18 (cuti bersama Nyepi), 19 (Nyepi),
    # 20 (cuti bersama Idul Fitri), 21-22 (weekend, Idul Fitri), 23-24 (cuti bersama).
    submitted = at(WIB, 2026, 3, 17, 10, 0)

    assert rules.due_date(submitted, 3, WIB, OFFICE) == date(2026, 3, 27)
    # A front-line service open on cuti bersama days counts 18, 20 and 23 March.
    assert rules.due_date(submitted, 3, WIB, FRONT_LINE) == date(2026, 3, 23)


def test_wita_agency_counts_hours_in_its_own_zone() -> None:
    # 08:10 UTC on Tue 17 March is 15:10 in Jakarta but 16:10 in Makassar (after closing).
    moment = datetime(2026, 3, 17, 8, 10, tzinfo=UTC)

    assert rules.receipt_day(moment, WIB, OFFICE) == date(2026, 3, 17)
    assert rules.receipt_day(moment, WITA, OFFICE) == date(2026, 3, 25)
    assert rules.due_date(moment, 1, WIB, OFFICE) == date(2026, 3, 25)
    assert rules.due_date(moment, 1, WITA, OFFICE) == date(2026, 3, 26)


def test_wit_morning_is_the_previous_evening_in_utc() -> None:
    # 23:00 UTC on Sunday is 08:00 on Monday in Jayapura.
    moment = datetime(2026, 3, 29, 23, 0, tzinfo=UTC)
    assert rules.receipt_day(moment, WIT, OFFICE) == date(2026, 3, 30)


def test_zero_days_is_due_on_the_day_of_receipt() -> None:
    assert rules.due_date(at(WIB, 2026, 3, 13, 9, 0), 0, WIB, OFFICE) == date(2026, 3, 13)


def test_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        rules.receipt_day(datetime(2026, 3, 17, 10, 0), WIB, OFFICE)  # noqa: DTZ001


# --- Pause while waiting on the citizen ------------------------------------------------------


def test_pause_counts_the_working_days_until_the_correction_counts_as_received() -> None:
    paused = at(WIB, 2026, 3, 25, 10, 0)  # Wednesday
    resumed = at(WIB, 2026, 3, 30, 9, 0)  # Monday: Thu, Fri and Mon were spent waiting
    assert rules.working_days_paused(paused, resumed, WIB, OFFICE) == 3


def test_correction_the_same_day_costs_nothing() -> None:
    paused = at(WIB, 2026, 3, 25, 10, 0)
    assert rules.working_days_paused(paused, at(WIB, 2026, 3, 25, 15, 0), WIB, OFFICE) == 0


def test_correction_after_hours_counts_from_the_next_working_day() -> None:
    paused = at(WIB, 2026, 3, 25, 10, 0)
    assert rules.working_days_paused(paused, at(WIB, 2026, 3, 25, 19, 0), WIB, OFFICE) == 1


def test_paused_days_extend_the_due_date() -> None:
    submitted = at(WIB, 2026, 3, 25, 9, 0)
    assert rules.due_date(submitted, 3, WIB, OFFICE) == date(2026, 3, 30)
    # Six working days: 26, 27, 30, 31 March, 1 and 2 April (3 April is Good Friday).
    assert rules.due_date(submitted, 3, WIB, OFFICE, paused_days=3) == date(2026, 4, 2)


def test_working_days_taken_leaves_out_the_pause() -> None:
    submitted = at(WIB, 2026, 3, 25, 9, 0)
    completed = at(WIB, 2026, 4, 2, 11, 0)  # 26, 27, 30, 31 March, 1, 2 April
    assert rules.working_days_taken(submitted, completed, WIB, OFFICE) == 6
    assert rules.working_days_taken(submitted, completed, WIB, OFFICE, paused_days=2) == 4


# --- SLA state -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (date(2026, 3, 25), "on_track", 3),
        (date(2026, 3, 27), "near", 1),
        (date(2026, 3, 30), "near", 0),
        (date(2026, 3, 31), "overdue", -1),
        (date(2026, 4, 6), "overdue", -4),  # Good Friday (3 April) is not counted
    ],
)
def test_sla_state(today: date, state: str, left: int) -> None:
    clock = rules.sla_state(date(2026, 3, 30), today, OFFICE)
    assert (clock.state, clock.working_days_left) == (state, left)


def test_paused_case_is_not_flagged_until_past_due() -> None:
    assert rules.sla_state(date(2026, 3, 30), date(2026, 3, 27), OFFICE, paused=True).state == (
        "paused"
    )


# --- Properties ------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
zones = st.sampled_from([WIB, WITA, WIT])


@given(moments, zones, st.integers(min_value=0, max_value=20))
def test_due_date_is_a_working_day_not_before_receipt(
    moment: datetime, zone: str, days: int
) -> None:
    received = rules.receipt_day(moment, zone, OFFICE)
    due = rules.due_date(moment, days, zone, OFFICE)
    assert OFFICE.is_working_day(received)
    assert OFFICE.is_working_day(due)
    assert received >= moment.astimezone(ZoneInfo(zone)).date()
    assert OFFICE.count_working_days(received, due) == days


@given(moments, zones, st.integers(min_value=0, max_value=10), st.integers(0, 10))
def test_more_days_or_a_pause_never_bring_the_due_date_forward(
    moment: datetime, zone: str, days: int, paused: int
) -> None:
    base = rules.due_date(moment, days, zone, OFFICE)
    assert rules.due_date(moment, days + 1, zone, OFFICE) > base
    assert rules.due_date(moment, days, zone, OFFICE, paused_days=paused) >= base


@given(moments, zones, st.integers(min_value=0, max_value=72))
def test_later_submission_never_has_an_earlier_receipt_day(
    moment: datetime, zone: str, hours: int
) -> None:
    later = moment + timedelta(hours=hours)
    assert rules.receipt_day(later, zone, OFFICE) >= rules.receipt_day(moment, zone, OFFICE)


@given(moments, zones, st.integers(min_value=0, max_value=400))
def test_pause_is_never_negative(moment: datetime, zone: str, hours: int) -> None:
    assert rules.working_days_paused(moment, moment + timedelta(hours=hours), zone, OFFICE) >= 0


# --- IKM -------------------------------------------------------------------------------------

ELEMENTS = rules.IKM_ELEMENT_KEYS


def uniform(value: int) -> dict[str, int]:
    return dict.fromkeys(ELEMENTS, value)


def test_ikm_all_fours_is_100_grade_a() -> None:
    result = rules.ikm_score([uniform(4), uniform(4)])
    assert result is not None
    assert (result.ikm, result.converted, result.grade, result.respondents) == (
        Decimal("4.0000"), Decimal("100.00"), "A", 2,
    )  # fmt: skip


def test_ikm_exact_ninth_versus_rounded_weight() -> None:
    # 100 respondents whose NRRs are 3.66 (u1-u8) and 3.65 (u9), summing to 32.93: the
    # rounded weight 0.11 loses almost a point against the exact 1/9 (domain.md §2).
    nrr = [Decimal("3.66")] * 8 + [Decimal("3.65")]
    responses = []
    for index in range(100):
        responses.append(
            {
                key: 4 if index < int((value - 3) * 100) else 3
                for key, value in zip(ELEMENTS, nrr, strict=True)
            }
        )
    exact = rules.ikm_score(responses)
    rounded = rules.ikm_score(responses, weight=Decimal("0.11"))
    assert exact is not None
    assert rounded is not None
    assert exact.nrr["u1"] == Decimal("3.6600")
    assert exact.nrr["u9"] == Decimal("3.6500")
    assert exact.ikm == Decimal("3.6589")  # 32.93 / 9
    assert exact.converted == Decimal("91.47")
    assert rounded.ikm == Decimal("3.6223")  # 8 × 0.4026 + 0.4015
    assert rounded.converted == Decimal("90.56")
    assert (exact.grade, rounded.grade) == ("A", "A")


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
        ("65.00", "C"), ("64.99", "D"), ("25", "D"),
    ],
)  # fmt: skip
def test_grade_boundaries(converted: str, grade: str) -> None:
    assert rules.ikm_grade(Decimal(converted)) == grade


def test_unanswered_elements_are_left_out_of_their_average() -> None:
    result = rules.ikm_score([{**uniform(4), "u4": None}, uniform(2)])
    assert result is not None
    assert result.nrr["u4"] == Decimal("2.0000")
    assert result.nrr["u1"] == Decimal("3.0000")


def test_no_responses_has_no_index() -> None:
    assert rules.ikm_score([]) is None


def test_out_of_scale_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="between 1 and 4"):
        rules.ikm_score([uniform(5)])


@given(st.lists(st.fixed_dictionaries({k: st.integers(1, 4) for k in ELEMENTS}), min_size=1))
def test_ikm_stays_in_range_and_grade_matches(responses: list[dict[str, int]]) -> None:
    result = rules.ikm_score(responses)
    assert result is not None
    assert Decimal(1) <= result.ikm <= Decimal(4)
    assert Decimal(25) <= result.converted <= Decimal(100)
    assert result.grade == rules.ikm_grade(result.converted)


# --- Krejcie & Morgan ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0), (50, 44), (100, 80), (150, 108), (200, 132), (300, 169), (500, 217),
        (1_000, 278), (2_000, 322), (5_000, 357), (10_000, 370), (20_000, 377),
        (50_000, 381), (1_000_000, 384),
    ],
)  # fmt: skip
def test_krejcie_morgan_table(population: int, sample: int) -> None:
    assert rules.krejcie_morgan(population) == sample


@given(st.integers(min_value=1, max_value=10_000_000))
def test_sample_never_exceeds_population_or_384(population: int) -> None:
    sample = rules.krejcie_morgan(population)
    assert 1 <= sample <= min(population, 384)


# --- Tracking codes and the median -----------------------------------------------------------


def test_tracking_code_is_unambiguous_and_round_trips() -> None:
    code = rules.new_tracking_code()
    assert len(code) == rules.TRACKING_LENGTH
    assert not set(code) & set("0O1IL5S2Z8B")
    shown = rules.format_tracking_code(code)
    assert shown[5] == "-"
    assert rules.normalise_tracking_code(f" {shown.lower()} ") == code


def test_median() -> None:
    assert rules.median([]) is None
    assert rules.median([3, 1, 2]) == Decimal(2)
    assert rules.median([4, 1, 2, 3]) == Decimal("2.5")
