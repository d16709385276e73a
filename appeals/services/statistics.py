"""AP-16: the dean's office keeps statistics of applications and analyses them: by kind, body, channel,
status and outcome, and timeliness (answered on time, median days to answer, open cases overdue now).

Everything is counted in the database, in a fixed number of queries whatever the number of cases: one
aggregate with a conditional count per category, one GROUP BY per institute, and one GROUP BY of the
(registered, answered) date pairs from which the medians are taken (calendar days, and working days from
one read of the working-day calendar).
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from academics.models import AcademicYear
from appeals.models import OPEN_STATUSES, Application, Body, Channel, Kind, Outcome, Status
from appeals.permissions import dean_institute_ids
from portal import workdays
from portal.models import Institute, Role, RoleAssignment, User
from portal.permissions import user_roles

# Whoever leads the university sees every institute (with a filter); a dean sees their own.
UNIVERSITY_WIDE = (Role.RECTOR, Role.VICE_RECTOR_SOCIAL, Role.ADMINISTRATOR)
NOT_ROUTED = "none"
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Period:
    """Applications registered from `start` to `end`, both included."""

    start: date
    end: date


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int
    share: Decimal  # percent of the breakdown's whole


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: Promise
    rows: list[Row]


@dataclass(frozen=True)
class Timeliness:
    answered: int  # cases with an answer date (answered, returned or terminated with a notice)
    on_time: int  # answered on or before the deadline (the extended one if extended)
    on_time_percent: Decimal | None
    median_days: Decimal | None  # calendar days from registration to the answer (a whole number or n.5)
    median_working_days: Decimal | None
    open: int
    open_overdue: int  # open today and past the deadline

    @property
    def late(self) -> int:
        return self.answered - self.on_time


@dataclass(frozen=True)
class InstituteRow:
    institute: Institute
    total: int
    answered: int
    on_time_percent: Decimal | None
    open: int
    open_overdue: int


@dataclass(frozen=True)
class Statistics:
    period: Period
    today: date
    institutes: list[Institute]  # the institutes counted
    total: int
    breakdowns: list[Breakdown]
    timeliness: Timeliness
    by_institute: list[InstituteRow]  # empty when one institute is counted


def scope(user: User) -> set[int] | None:
    """AP-16, AP-21: the institutes whose statistics the user sees; None for every institute (the rector,
    the vice-rector, an administrator, a university-wide dean). Anyone else: PermissionDenied."""
    if user.is_superuser or user_roles(user) & set(UNIVERSITY_WIDE):
        return None
    if Role.DEAN in user_roles(user):
        ids = dean_institute_ids(user)
        if ids is None or ids:
            return ids
    raise PermissionDenied


def institutes_in(scope_ids: set[int] | None) -> QuerySet[Institute]:
    qs = Institute.objects.order_by("code")
    return qs if scope_ids is None else qs.filter(pk__in=scope_ids)


def default_period(today: date) -> Period:
    """The current academic year: the one in the academic calendar, else 2 September to 1 September (AC-01)."""
    year = AcademicYear.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
    if year is not None:
        return Period(year.starts_on, year.ends_on)
    return default_period_by_rule(today)


def default_period_by_rule(today: date) -> Period:
    """AC-01: an academic year runs from 2 September to 1 September."""
    start_year = today.year if (today.month, today.day) >= (9, 2) else today.year - 1
    return Period(date(start_year, 9, 2), date(start_year + 1, 9, 1))


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _cases(institute_ids: Iterable[int], period: Period) -> QuerySet[Application]:
    return Application.objects.filter(
        institute_id__in=list(institute_ids), registered_on__gte=period.start, registered_on__lte=period.end
    ).annotate(deadline_on=Coalesce("extended_to", "due_on"))


def _timeliness_counts(today: date) -> dict[str, Count]:
    answered = Q(answered_on__isnull=False)
    open_ = Q(status__in=[str(s) for s in OPEN_STATUSES])
    return {
        "answered": Count("pk", filter=answered),
        "on_time": Count("pk", filter=answered & Q(answered_on__lte=Coalesce("extended_to", "due_on"))),
        "open": Count("pk", filter=open_),
        "open_overdue": Count("pk", filter=open_ & Q(deadline_on__lt=today)),
    }


def _dimensions() -> list[tuple[str, Promise, list[tuple[str, str]]]]:
    body_choices = [(NOT_ROUTED, str(_("Not sent to a body yet"))), *((v, str(lab)) for v, lab in Body.choices)]
    return [
        ("kind", _("By kind"), [(v, str(lab)) for v, lab in Kind.choices]),
        ("body", _("By body considering it"), body_choices),
        ("channel", _("By channel"), [(v, str(lab)) for v, lab in Channel.choices]),
        ("status", _("By status"), [(v, str(lab)) for v, lab in Status.choices]),
        ("outcome", _("By outcome of the answered"), [(v, str(lab)) for v, lab in Outcome.choices]),
    ]


def compute(institutes: list[Institute], period: Period, today: date) -> Statistics:
    """AP-16: every figure of the statistics page for these institutes and period (3 or 4 queries)."""
    cases = _cases((i.pk for i in institutes), period)
    dimensions = _dimensions()
    aggregates: dict[str, Count] = {"total": Count("pk"), **_timeliness_counts(today)}
    for field, _title, choices in dimensions:
        for i, (value, _label) in enumerate(choices):
            aggregates[f"{field}_{i}"] = Count("pk", filter=Q(**{field: "" if value == NOT_ROUTED else value}))
    counts = cases.aggregate(**aggregates)
    total = counts["total"]
    breakdowns = []
    for field, title, choices in dimensions:
        found = [(value, label, counts[f"{field}_{i}"]) for i, (value, label) in enumerate(choices)]
        # Shares of the breakdown's own whole: every case for kind, body, channel and status; the answered
        # ones (those with an outcome) for the outcome.
        whole = sum(n for _value, _label, n in found)
        breakdowns.append(
            Breakdown(field, title, [Row(v, lab, n, percent(n, whole) or Decimal("0.0")) for v, lab, n in found])
        )
    calendar_days, working_days = _medians(cases)
    timeliness = Timeliness(
        counts["answered"],
        counts["on_time"],
        percent(counts["on_time"], counts["answered"]),
        calendar_days,
        working_days,
        counts["open"],
        counts["open_overdue"],
    )
    by_institute = _by_institute(cases, institutes, today) if len(institutes) > 1 else []
    return Statistics(period, today, institutes, total, breakdowns, timeliness, by_institute)


@dataclass(frozen=True)
class Headline:
    """The dashboards' figures for the current academic year (no medians)."""

    everything: bool  # every institute, else the dean's own
    total: int
    timeliness: Timeliness


def headline(user: User, today: date) -> Headline | None:
    """AP-16 on the leadership and dean boards: this academic year's applications of the institutes the user
    sees, in one query (the dean's institutes and the academic year are subqueries; the roles are the ones
    the dashboard has already read). None for anyone who sees no statistics."""
    roles = user_roles(user)
    cases = Application.objects.all()
    everything = user.is_superuser or bool(roles & set(UNIVERSITY_WIDE))
    if not everything:
        if Role.DEAN not in roles:
            return None
        deans = RoleAssignment.objects.active().filter(user=user, role=Role.DEAN)
        university_wide = deans.filter(institute__isnull=True, department__isnull=True, group__isnull=True)
        cases = cases.filter(Q(institute_id__in=deans.values("institute_id")) | Q(Exists(university_wide)))
    fallback = default_period_by_rule(today)
    year = AcademicYear.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on")
    start = Coalesce(Subquery(year.values("starts_on")[:1]), Value(fallback.start))
    end = Coalesce(Subquery(year.values("ends_on")[:1]), Value(fallback.end))
    counts = (
        cases.annotate(deadline_on=Coalesce("extended_to", "due_on"))
        .filter(registered_on__gte=start, registered_on__lte=end)
        .aggregate(total=Count("pk"), **_timeliness_counts(today))
    )
    timeliness = Timeliness(
        counts["answered"],
        counts["on_time"],
        percent(counts["on_time"], counts["answered"]),
        None,
        None,
        counts["open"],
        counts["open_overdue"],
    )
    return Headline(everything, counts["total"], timeliness)


def _by_institute(cases: QuerySet[Application], institutes: list[Institute], today: date) -> list[InstituteRow]:
    rows = {
        r["institute_id"]: r
        for r in cases.values("institute_id").annotate(total=Count("pk"), **_timeliness_counts(today)).order_by()
    }
    result = []
    for institute in institutes:
        r = rows.get(institute.pk, {"total": 0, "answered": 0, "on_time": 0, "open": 0, "open_overdue": 0})
        result.append(
            InstituteRow(
                institute,
                r["total"],
                r["answered"],
                percent(r["on_time"], r["answered"]),
                r["open"],
                r["open_overdue"],
            )
        )
    return result


def _medians(cases: QuerySet[Application]) -> tuple[Decimal | None, Decimal | None]:
    """Median days from registration to the answer, in calendar and in working days (the day of
    registration not counted, as for the deadline, AP-06)."""
    pairs = list(
        cases.filter(answered_on__isnull=False)
        .values_list("registered_on", "answered_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not pairs:
        return None, None
    first = min(r for r, _a, _n in pairs)
    last = max(max(a for _r, a, _n in pairs), first)
    working = workdays.working_days_in(first, last)
    calendar: dict[int, int] = {}
    work: dict[int, int] = {}
    for registered, answered, n in pairs:
        days = max((answered - registered).days, 0)
        calendar[days] = calendar.get(days, 0) + n
        counted = max(bisect_right(working, answered) - bisect_right(working, registered), 0)
        work[counted] = work.get(counted, 0) + n
    return median(calendar), median(work)


def median(histogram: dict[int, int]) -> Decimal | None:
    """The median of values given as {value: how many times}; the mean of the middle two if even."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for value, n in sorted(histogram.items()):
        while len(found) < 2 and wanted[len(found)] < seen + n:
            found.append(value)
        seen += n
        if len(found) == 2:
            break
    middle = Decimal(found[0] + found[1]) / 2
    return middle if middle % 1 else middle.to_integral_value()  # 17 or 17.5
