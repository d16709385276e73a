"""PT-04: working days of Kazakhstan, from the holidays package plus decree overrides."""

from datetime import date

import pytest

from portal.models import WorkdayOverride
from portal.workdays import add_working_days, is_working_day, next_working_day_on_or_after, working_days_between

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 7),
        date(2026, 3, 23),
        date(2026, 5, 1),
        date(2026, 5, 7),
        date(2026, 7, 6),
        date(2026, 12, 16),
    ],
)
def test_pt04_public_holidays_on_weekdays_are_days_off(day):
    """PT-04: Jan 1-2, Jan 7, Nauryz, May 1, May 7, Jul 6, Dec 16 are days off."""
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_pt04_weekend_holiday_moves_to_next_working_day():
    """PT-04: 8 March 2026 is a Sunday, so Monday 9 March is a day off; 25 Oct 2026 (Sun) moves to 26 Oct."""
    assert not is_working_day(date(2026, 3, 9))
    assert not is_working_day(date(2026, 10, 26))
    assert is_working_day(date(2026, 3, 10))


def test_pt04_weekends_are_days_off_and_ordinary_weekdays_work():
    """PT-04: Monday to Friday work, Saturday and Sunday do not."""
    assert is_working_day(date(2026, 11, 23))  # Monday
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 22))  # Sunday


def test_pt04_add_working_days_does_not_count_the_start_day():
    """PT-04: from Monday 23 Nov 2026, 15 working days end on Monday 14 Dec (no holiday between)."""
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)
    assert add_working_days(date(2026, 11, 23), 15) == date(2026, 12, 14)
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_pt04_add_working_days_skips_holidays():
    """PT-04: 15 working days from Tue 1 Dec 2026 skip 16 Dec (Independence Day): Wed 23 Dec, not 22."""
    assert add_working_days(date(2026, 12, 1), 15) == date(2026, 12, 23)
    assert add_working_days(date(2026, 11, 2), 15) == date(2026, 11, 23)  # no holiday in between


def test_pt04_add_working_days_over_new_year():
    """PT-04: from Wed 30 Dec 2026 the working days are 31 Dec, 5 Jan, 6 Jan, then 8 Jan (1-2 and 7 Jan are off)."""
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 6)
    assert add_working_days(date(2026, 12, 30), 4) == date(2027, 1, 8)  # 7 Jan is Christmas


def test_pt04_working_days_between_is_the_inverse_of_add():
    """PT-04: working_days_between(a, add_working_days(a, n)) == n."""
    start = date(2026, 2, 20)
    for n in (0, 1, 5, 15, 30, 60):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(date(2026, 12, 14), date(2026, 11, 23)) == 0


def test_pt04_decree_override_makes_a_day_off_and_a_working_day():
    """PT-04: an administrator's decree entries win over the defaults."""
    WorkdayOverride.objects.create(date=date(2026, 11, 27), kind=WorkdayOverride.Kind.DAY_OFF, reason="Decree 1")
    WorkdayOverride.objects.create(date=date(2026, 11, 28), kind=WorkdayOverride.Kind.WORKING_DAY, reason="Decree 1")
    assert not is_working_day(date(2026, 11, 27))
    assert is_working_day(date(2026, 11, 28))
    # Thu 26 -> Fri 27 is off, Sat 28 works.
    assert add_working_days(date(2026, 11, 26), 1) == date(2026, 11, 28)
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 3


def test_pt04_next_working_day_on_or_after():
    """PT-04: a Saturday submission counts from Monday."""
    assert next_working_day_on_or_after(date(2026, 11, 21)) == date(2026, 11, 23)
    assert next_working_day_on_or_after(date(2026, 11, 23)) == date(2026, 11, 23)


def test_pt04_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
