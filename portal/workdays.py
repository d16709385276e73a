"""PT-04: the working-day calendar of Kazakhstan, used by every deadline.

Defaults come from the `holidays` package (country KZ, with its observed and substituted days);
`WorkdayOverride` rows entered by an administrator win over them. The function names are a
public interface: other apps and acceptance checks call them.
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

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


def working_days_in(first: date, last: date) -> list[date]:
    """The working days from `first` to `last`, both included, in order: one query for a whole range, so a
    report can count working days between many pairs of dates (bisect) without a query per pair."""
    if last < first:
        return []
    overrides = _overrides(first, last)
    return [day for day in _days(first, last) if _is_working(day, overrides)]


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
# decree overrides of its whole date span once and then never queries. The public functions above are
# unchanged; these take what they would otherwise read.


def overrides_between(start: date, end: date) -> dict[date, bool]:
    """The decree overrides in [start, end], read once: date -> True if it is a working day."""
    return _overrides(start, end)


def is_working_day_in(day: date, overrides: dict[date, bool]) -> bool:
    """`is_working_day` with the overrides preloaded by `overrides_between`: no query."""
    return _is_working(day, overrides)


class WorkdaySpan:
    """The calendar of the span [start, end], read once (one query for its decree overrides): afterwards
    working-day arithmetic on dates in the span never queries, and `working_days_between` costs the
    same however far apart the dates are (weekdays by arithmetic, then the holidays and decree days)."""

    def __init__(self, start: date, end: date) -> None:
        if end < start:
            raise ValueError("the span ends before it starts")
        self.start, self.end = start, end
        self._overrides = overrides_between(start, end)
        # The days whose status differs from "Monday to Friday": public holidays and decree days.
        odd: dict[date, int] = {}
        for year in range(start.year, end.year + 1):
            for day in (*_public_holidays(year), *self._overrides):
                if start <= day <= end:
                    delta = int(_is_working(day, self._overrides)) - int(day.weekday() < 5)
                    if delta:
                        odd[day] = delta
        self._odd_days = sorted(odd)
        self._odd_sums = list(accumulate(odd[d] for d in self._odd_days))

    def _check(self, day: date) -> None:
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the span {self.start}..{self.end}")

    def _count(self, day: date) -> int:
        """Working days from the beginning of the calendar up to and including `day`."""
        self._check(day)
        weeks, rest = divmod(day.toordinal(), 7)  # ordinal 1 is a Monday
        i = bisect_right(self._odd_days, day)
        return weeks * 5 + min(rest, 5) + (self._odd_sums[i - 1] if i else 0)

    def is_working_day(self, day: date) -> bool:
        self._check(day)
        return _is_working(day, self._overrides)

    def working_days_between(self, a: date, b: date) -> int:
        """As `working_days_between(a, b)`: working days after `a` up to and including `b` (0 if b <= a)."""
        return self._count(b) - self._count(a) if b > a else 0

    def add_working_days(self, start: date, n: int) -> date:
        """As `add_working_days(start, n)`, within the span."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, left = start, n
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day
