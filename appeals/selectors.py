"""Read queries of the appeals app: the dean's triage list (AP-09) and the incoming journal (AP-04).

Both pages stay at a fixed number of queries whatever their row count: the rows come in one query with
their applicant and institute, the handlers in one more, and the working-day arithmetic of a whole page
counts the working days of its date span once (`portal.workdays.WorkdaySpan`).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appeals import rules
from appeals.models import OPEN_STATUSES, ApplicantType, Application, Assignment, Body, Channel, Kind, Outcome, Status
from portal import workdays
from portal.models import Institute

DUE_SOON_DAYS = rules.REMINDER_DAYS[0]  # AP-09, AP-19: 3 working days or fewer left
CURRENT_DEADLINE = Coalesce(F("extended_to"), F("due_on"))
LONG_TEXTS = ("text", "answer_text", "closing_note", "delay_reason")  # lists never show them
# What a triage row shows: fewer columns read and fewer fields set on each instance.
TRIAGE_FIELDS = (
    *("number", "registered_on", "due_on", "extended_to", "extension_reason", "institute", "subject"),
    *("kind", "channel", "applicant_type", "status", "body"),
    *("applicant__id_code", "applicant__last_name", "applicant__first_name", "applicant__patronymic"),
)
SUBJECT_CHARS = 90  # the triage list shortens longer subjects
CALENDAR_BACK_DAYS, CALENDAR_AHEAD_DAYS = 5 * 366, 366  # arithmetic: a wide span costs nothing


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
    return (
        rows.annotate(current_deadline=CURRENT_DEADLINE)
        .select_related("applicant")
        .only(*TRIAGE_FIELDS)
        .order_by("current_deadline", "registered_on", "pk")
    )


@dataclass(frozen=True)
class TriageRow:
    """One case of the triage page: its standing against the deadline, and its labels read once a page."""

    case: Application
    deadline: date
    state: rules.DeadlineState
    kind: str
    channel: str
    body: str
    status: str
    applicant_type: str
    handlers: str
    url: str
    institute_code: str

    @property
    def deadline_text(self) -> str:
        return self.deadline.strftime("%d.%m.%Y")

    @property
    def registered_text(self) -> str:
        return self.case.registered_on.strftime("%d.%m.%Y")

    @property
    def short_subject(self) -> str:
        subject = self.case.subject
        return subject if len(subject) <= SUBJECT_CHARS else subject[: SUBJECT_CHARS - 1] + "…"

    @property
    def days_overdue(self) -> int:
        return max(0, -self.state.working_days_left)

    @property
    def deadline_note(self) -> str:
        """AP-09: how the case stands, in working days (written here: a translation tag per row is slow)."""
        if self.state.overdue:
            n = self.days_overdue
            return ngettext("Overdue by %(n)d working day", "Overdue by %(n)d working days", n) % {"n": n}
        n = self.state.working_days_left
        if n == 0:
            return _("Due today")
        return ngettext("%(n)d working day left", "%(n)d working days left", n) % {"n": n}


def page_calendar(today: date, cases: Sequence[Application] = ()) -> workdays.WorkdaySpan:
    """The working-day calendar a triage page needs, in one query: five years back and one ahead (overdue
    cases, the due-soon count), wider if one of `cases` is due outside that."""
    deadlines = [case.deadline for case in cases]
    first, last = today - timedelta(days=CALENDAR_BACK_DAYS), today + timedelta(days=CALENDAR_AHEAD_DAYS)
    return workdays.WorkdaySpan(min([*deadlines, first]), max([*deadlines, last]))


def _labels(choices: type[models.Choices]) -> dict[object, str]:
    return {value: str(label) for value, label in choices.choices}


def handler_names(cases: Sequence[Application]) -> dict[int, str]:
    """The handlers of each case, names joined, in one query (a prefetch would build a queryset per case)."""
    names: dict[int, list[str]] = {}
    rows = (
        Assignment.objects.filter(application__in=[c.pk for c in cases])
        .order_by("user__last_name", "user__first_name", "pk")
        .values_list("application_id", "user__last_name", "user__first_name", "user__patronymic")
    )
    for case_id, *parts in rows:
        names.setdefault(case_id, []).append(" ".join(p for p in parts if p))
    return {case_id: ", ".join(people) for case_id, people in names.items()}


def deadline_states(
    cases: Sequence[Application],
    today: date,
    calendar: workdays.WorkdaySpan | None = None,
    institutes: Iterable[Institute] = (),
) -> list[TriageRow]:
    """AP-09: each case's working days left (negative: overdue), overdue and due-soon flags, as
    `rules.deadline_state` computes them, with the calendar read once for the page's whole date span;
    and what the row shows, its handlers included (one query)."""
    if not cases:
        return []
    deadlines = [case.deadline for case in cases]
    if calendar is None or min(deadlines) < calendar.start or max(deadlines) > calendar.end:
        calendar = page_calendar(today, cases)
    handlers = handler_names(cases)
    codes = {institute.pk: institute.code for institute in institutes}
    # One reverse() for the page: the case links differ only by the number at the end.
    url = reverse("appeals:case", args=[0]).removesuffix("0/") + "{}/"
    kinds, channels, bodies = _labels(Kind), _labels(Channel), _labels(Body)
    statuses, applicants = _labels(Status), _labels(ApplicantType)
    rows = []
    for case in cases:
        deadline = case.deadline
        if today > deadline:
            state = rules.DeadlineState(-calendar.working_days_between(deadline, today), True, False)
        else:
            left = calendar.working_days_between(today, deadline)
            state = rules.DeadlineState(left, False, left <= DUE_SOON_DAYS)
        rows.append(
            TriageRow(
                case,
                deadline,
                state,
                kind=kinds.get(case.kind, case.kind),
                channel=channels.get(case.channel, case.channel),
                body=bodies.get(case.body, ""),
                status=statuses.get(case.status, case.status),
                applicant_type=applicants.get(case.applicant_type, case.applicant_type),
                handlers=handlers.get(case.pk, ""),
                url=url.format(case.pk),
                institute_code=codes.get(case.institute_id, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class TriageCounts:
    open: int
    overdue: int
    due_soon: int


def triage_counts(
    institutes: Iterable[Institute] | QuerySet[Institute], today: date, calendar: workdays.WorkdaySpan | None = None
) -> TriageCounts:
    """AP-09: how many cases are open, overdue, and due within 3 working days (today included), in one query
    (and one for the calendar, unless the page's is given)."""
    # A deadline is "due soon" when at most DUE_SOON_DAYS working days are left: before the next one.
    add = calendar.add_working_days if calendar else workdays.add_working_days
    soon_until = add(today, DUE_SOON_DAYS + 1)
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
        rows.defer(*LONG_TEXTS)
        .select_related("applicant")
        .annotate(co_count=Coalesce(Subquery(co, output_field=IntegerField()), Value(0)))
        # The number starts with the institute's code: ordering by it also keeps the institutes apart.
        .order_by("registered_on", "number")
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


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


@dataclass(frozen=True)
class JournalRow:
    """One entry of the incoming journal as the page, the CSV and the PDF show it (AP-04)."""

    pk: int
    number: str
    registered: str
    applicant: str
    kind: str
    channel: str
    subject: str
    body: str
    due: str
    answered: str
    outcome: str  # the outcome of an answered case, else what became of it (or its status)
    is_open: bool
    url: str

    def cells(self) -> list[str]:
        return [
            self.number,
            self.registered,
            self.applicant,
            self.kind,
            self.channel,
            self.subject,
            self.body,
            self.due,
            self.answered,
            self.outcome,
        ]


def journal_rows(applications: Iterable[Application]) -> Iterator[JournalRow]:
    """The journal's entries with their labels, the choices translated once (not once a cell)."""
    kinds, channels, bodies = _labels(Kind), _labels(Channel), _labels(Body)
    statuses, outcomes = _labels(Status), _labels(Outcome)
    url = reverse("appeals:case", args=[0]).removesuffix("0/") + "{}/"
    for a in applications:
        yield JournalRow(
            pk=a.pk,
            number=a.number,
            registered=_day(a.registered_on),
            applicant=applicant_label(a),
            kind=kinds.get(a.kind, a.kind),
            channel=channels.get(a.channel, a.channel),
            subject=a.subject,
            body=bodies.get(a.body, ""),
            due=_day(a.deadline),
            answered=_day(a.answered_on),
            outcome=outcomes[a.outcome] if a.outcome in outcomes else statuses.get(a.status, a.status),
            is_open=a.is_open,
            url=url.format(a.pk),
        )


def _cell(value: str) -> str:
    # A spreadsheet must not run a cell as a formula (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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
    for row in journal_rows(rows.iterator(chunk_size=2000)):
        yield [_cell(v) for v in row.cells()]
