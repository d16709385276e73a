"""PT-04: the working-day calendar of Kazakhstan, used by every deadline.

Defaults come from the `holidays` package (country KZ, with its observed and substituted days);
`WorkdayOverride` rows entered by an administrator win over them. The function names are a
public interface: other apps and acceptance checks call them.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year).keys())


def _overrides(start: date, end: date) -> dict[date, bool]:
    """Decree overrides in [start, end]: date -> True if it is a working day."""
    from portal.models import WorkdayOverride

    rows = WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "kind")
    return {d: kind == WorkdayOverride.Kind.WORKING_DAY for d, kind in rows}


def _default_is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def _is_working(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return _default_is_working_day(day)


def is_working_day(day: date) -> bool:
    """True if `day` is a working day in Kazakhstan, decree overrides included."""
    return _is_working(day, _overrides(day, day))


def add_working_days(start: date, n: int) -> date:
    """The date n working days after `start`; the start day itself is not counted (n >= 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    # A generous window: n working days never span more than 2n + 30 calendar days here.
    overrides = _overrides(start, start + timedelta(days=2 * n + 60))
    day, left = start, n
    while left > 0:
        day += timedelta(days=1)
        if _is_working(day, overrides):
            left -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b` (0 if b <= a), so add_working_days(a, n) gives n."""
    if b <= a:
        return 0
    overrides = _overrides(a, b)
    return sum(1 for day in _days(a + timedelta(days=1), b) if _is_working(day, overrides))


def next_working_day_on_or_after(day: date) -> date:
    """`day` itself if it is a working day, else the next working day."""
    overrides = _overrides(day, day + timedelta(days=60))
    while not _is_working(day, overrides):
        day += timedelta(days=1)
    return day


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# Preloaded calendars: a page or a sweep that needs working-day arithmetic for many dates reads the
# decree overrides of its whole date span once (`overrides_between`) and passes them to the functions
# below, which then never query. The span must cover every date they are asked about.


def overrides_between(start: date, end: date) -> dict[date, bool]:
    """The decree overrides in [start, end], read once: date -> True if it is a working day."""
    return _overrides(start, end)


def is_working_day_in(day: date, overrides: dict[date, bool]) -> bool:
    """`is_working_day` with overrides preloaded by `overrides_between`: no query."""
    return _is_working(day, overrides)


def working_days_between_in(a: date, b: date, overrides: dict[date, bool]) -> int:
    """`working_days_between` with overrides preloaded by `overrides_between` (covering a..b): no query."""
    if b <= a:
        return 0
    return sum(1 for day in _days(a + timedelta(days=1), b) if _is_working(day, overrides))
