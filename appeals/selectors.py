"""Read queries of the appeals app: the dean's triage list (AP-09) and the incoming journal (AP-04).

Both pages stay at a fixed number of queries whatever their row count: the rows come in one query with
their applicant and institute, the handlers in one more, and the working-day arithmetic of a whole page
reads the calendar's decree overrides once (`portal.workdays.overrides_between`).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from appeals import rules
from appeals.models import OPEN_STATUSES, ApplicantType, Application
from portal import workdays
from portal.models import Institute, User

DUE_SOON_DAYS = rules.REMINDER_DAYS[0]  # AP-09, AP-19: 3 working days or fewer left
CURRENT_DEADLINE = Coalesce(F("extended_to"), F("due_on"))


@dataclass(frozen=True)
class TriageFilters:
    """What the dean narrowed the list to; empty strings mean no filter."""

    kind: str = ""
    body: str = ""
    status: str = ""
    channel: str = ""
    applicant_type: str = ""
    q: str = ""


def search_q(query: str) -> Q:
    """Every word must match the registration number, the subject, the applicant's name or university ID
    code, or the legal representative's name."""
    q = Q()
    for word in query.split():
        q &= (
            Q(number__icontains=word)
            | Q(subject__icontains=word)
            | Q(applicant__last_name__icontains=word)
            | Q(applicant__first_name__icontains=word)
            | Q(applicant__patronymic__icontains=word)
            | Q(applicant__id_code__iexact=word)
            | Q(representative_name__icontains=word)
        )
    return q


def open_cases(institutes: Iterable[Institute] | QuerySet[Institute]) -> QuerySet[Application]:
    """AP-09: the cases of these institutes still to be answered (registered, in review, at the commission)."""
    return Application.objects.filter(institute__in=institutes, status__in=OPEN_STATUSES)


def triage_cases(
    institutes: Iterable[Institute] | QuerySet[Institute], filters: TriageFilters
) -> QuerySet[Application]:
    """AP-09: the open cases, filtered and searched, soonest deadline first (`current_deadline` annotated)."""
    rows = open_cases(institutes)
    for field in ("kind", "body", "status", "channel", "applicant_type"):
        if value := getattr(filters, field):
            rows = rows.filter(**{field: value})
    if filters.q.strip():
        rows = rows.filter(search_q(filters.q))
    handlers = User.objects.only("id", "last_name", "first_name", "patronymic").order_by("last_name", "first_name")
    return (
        rows.annotate(current_deadline=CURRENT_DEADLINE)
        .select_related("applicant", "institute")
        .prefetch_related(Prefetch("handlers", queryset=handlers))
        .order_by("current_deadline", "registered_on", "pk")
    )


@dataclass(frozen=True)
class TriageRow:
    """One case of the triage page with its standing against the deadline."""

    case: Application
    deadline: date
    state: rules.DeadlineState

    @property
    def days_overdue(self) -> int:
        return max(0, -self.state.working_days_left)


def deadline_states(cases: Sequence[Application], today: date) -> list[TriageRow]:
    """AP-09: each case's working days left (negative: overdue), overdue and due-soon flags, as
    `rules.deadline_state` computes them, with the calendar read once for the page's whole date span."""
    if not cases:
        return []
    deadlines = [case.deadline for case in cases]
    overrides = workdays.overrides_between(min(*deadlines, today), max(*deadlines, today))
    rows = []
    for case, deadline in zip(cases, deadlines, strict=True):
        if today > deadline:
            state = rules.DeadlineState(-workdays.working_days_between_in(deadline, today, overrides), True, False)
        else:
            left = workdays.working_days_between_in(today, deadline, overrides)
            state = rules.DeadlineState(left, False, left <= DUE_SOON_DAYS)
        rows.append(TriageRow(case, deadline, state))
    return rows


@dataclass(frozen=True)
class TriageCounts:
    open: int
    overdue: int
    due_soon: int


def triage_counts(institutes: Iterable[Institute] | QuerySet[Institute], today: date) -> TriageCounts:
    """AP-09: how many cases are open, overdue, and due within 3 working days (today included), in one query
    (and one for the calendar)."""
    # A deadline is "due soon" when at most DUE_SOON_DAYS working days are left: before the next one.
    soon_until = workdays.add_working_days(today, DUE_SOON_DAYS + 1)
    counts = (
        open_cases(institutes)
        .annotate(current_deadline=CURRENT_DEADLINE)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(current_deadline__lt=today)),
            due_soon=Count("pk", filter=Q(current_deadline__gte=today, current_deadline__lt=soon_until)),
        )
    )
    return TriageCounts(counts["open"], counts["overdue"], counts["due_soon"])


def journal(
    institutes: Iterable[Institute] | QuerySet[Institute], date_from: date | None = None, date_to: date | None = None
) -> QuerySet[Application]:
    """AP-04: the incoming journal, every registered application whatever became of it, in the order of
    registration (date, then number), with the number of co-applicants of a group application."""
    rows = Application.objects.filter(institute__in=institutes)
    if date_from:
        rows = rows.filter(registered_on__gte=date_from)
    if date_to:
        rows = rows.filter(registered_on__lte=date_to)
    co = (
        Application.co_applicants.through.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]  # django-stubs cannot see an annotation on the through model
    )
    return (
        rows.select_related("applicant", "institute")
        .annotate(co_count=Coalesce(Subquery(co, output_field=IntegerField()), Value(0)))
        .order_by("registered_on", "institute__code", "number")
    )


def applicant_label(application: Application) -> str:
    """The applicant as the journal writes it: the name (and ID code), the group's size, the representative."""
    if application.applicant is None:
        return str(ApplicantType.ANONYMOUS.label)
    label = f"{application.applicant.full_name} ({application.applicant.id_code})"
    others = getattr(application, "co_count", 0)
    if others:
        label += " " + _("and %(n)d more") % {"n": others}
    if application.representative_name:
        label += "; " + _("through %(name)s") % {"name": application.representative_name}
    return label


def result_label(application: Application) -> str:
    """The journal's last column: the outcome of an answered case, else what became of it (or its status)."""
    if application.outcome:
        return application.get_outcome_display()
    return application.get_status_display()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet must not run a cell as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def journal_header() -> list[str]:
    return [
        _("Registration No."),
        _("Registration date"),
        _("Applicant"),
        _("Kind"),
        _("Channel"),
        _("Subject"),
        _("Considered by"),
        _("Answer due"),
        _("Answered on"),
        _("Outcome"),
    ]


def journal_csv_rows(rows: QuerySet[Application]) -> Iterator[list[str]]:
    """AP-04: the journal as CSV rows, header first; read in chunks, so a year's journal streams."""
    yield journal_header()
    for a in rows.iterator(chunk_size=2000):
        yield [
            _cell(v)
            for v in (
                a.number,
                _day(a.registered_on),
                applicant_label(a),
                a.get_kind_display(),
                a.get_channel_display(),
                a.subject,
                a.get_body_display(),
                _day(a.deadline),
                _day(a.answered_on),
                result_label(a),
            )
        ]
