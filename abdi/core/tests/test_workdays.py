from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from abdi.core.workdays import DEFAULT, Calendar

LEBARAN_2026 = [date(2026, 3, d) for d in (20, 21, 22, 23, 24)]


def test_weekends_and_holidays_are_not_working_days():
    assert DEFAULT.is_working_day(date(2026, 11, 24))  # a Tuesday
    assert not DEFAULT.is_working_day(date(2026, 11, 28))  # Saturday
    assert not DEFAULT.is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan, a Monday
    assert DEFAULT.holiday_name(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"


def test_lebaran_cuti_bersama_closes_the_office_unless_the_calendar_keeps_it_open():
    # Thursday 19 March 2026 is Nyepi; 20–24 March are Idulfitri and its cuti bersama.
    assert DEFAULT.next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)
    assert DEFAULT.add_working_days(date(2026, 3, 17), 2) == date(2026, 3, 26)

    frontline = Calendar(cuti_bersama=False)
    assert frontline.is_working_day(date(2026, 3, 20))
    assert not frontline.is_working_day(date(2026, 3, 19))  # Nyepi is a national holiday
    assert frontline.next_working_day(date(2026, 3, 17)) == date(2026, 3, 18)


def test_corrections_to_the_published_list_win():
    moved = Calendar(extra_closed=frozenset({date(2026, 11, 24)}),
                     extra_open=frozenset({date(2026, 3, 23)}))  # fmt: skip

    assert not moved.is_working_day(date(2026, 11, 24))
    assert moved.is_working_day(date(2026, 3, 23))
    assert not moved.is_working_day(date(2026, 11, 28))  # the weekend still wins


def test_counting_working_days_over_lebaran():
    assert DEFAULT.count_working_days(date(2026, 3, 13), date(2026, 3, 27)) == 5
    assert DEFAULT.count_working_days(date(2026, 3, 27), date(2026, 3, 13)) == 0


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(min_value=0, max_value=40))  # fmt: skip
def test_adding_then_counting_working_days_round_trips(start, count):
    end = DEFAULT.add_working_days(start, count)

    assert DEFAULT.count_working_days(start, end) == count
    assert end == start or DEFAULT.is_working_day(end)
    assert end - start <= timedelta(days=count * 2 + 14)
