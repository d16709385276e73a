"""AP-19: the handlers and the dean are reminded 3 working days and 1 working day before an answer is due
and on the day it is due; once it has passed, the case escalates to the official of the next level.

A periodic sweep (`appeals.tasks.send_reminders`, hourly on working days) reads the due dates stored on
the cases; nothing is queued days ahead. Each reminder is a `Reminder` row, unique per (case, threshold,
deadline). One INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING writes the rows due today for every
open case and returns exactly the rows it inserted, and only those are notified, in the same
transaction. So a sweep run twice sends nothing the second time; of two sweeps at once the later insert
waits on the unique index and skips what the earlier one wrote; a sweep that dies half-way rolls back
its rows with its notifications, and the next one sends them. An extension is a new deadline, so its
thresholds start again.

Working days are counted once per sweep, not once per case: `windows(today)` turns today into the
ranges of deadlines that each threshold covers, and SQL compares the cases' deadlines with them (the
ranges agree with `rules.reminder_threshold`, tested over a range of days). Only the threshold due today
is written: a day the sweep did not run is not made up by sending its reminders late.

People get one digest per kind of reminder and sweep (their cases listed), not one message per case.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appeals.models import OPEN_STATUSES, Application, Assignment, Event, Level, Reminder
from appeals.services.workflow import LEVEL_ROLES
from portal import workdays
from portal.models import Role, RoleAssignment, User
from portal.notifications import Message, notify_each

D3 = Reminder.Threshold.THREE_DAYS.value
D1 = Reminder.Threshold.ONE_DAY.value
D0 = Reminder.Threshold.DUE_TODAY.value
OVERDUE = Reminder.Threshold.OVERDUE.value
ESCALATED = "escalated"  # the digest to the higher level's official (not a threshold of its own)
CHUNK = 5000  # rows fetched at a time after the insert
EVENT_BATCH = 1000  # timeline rows per INSERT
DIGEST_LINES = 20  # cases listed in one message; the rest are counted
_NAME_FIELDS = ("pk", "last_name", "first_name", "patronymic")
Holders = dict[tuple[str, int | None], set[int]]  # (role, institute or department) -> user ids


@dataclass(frozen=True)
class Windows:
    """The deadlines each threshold covers on `today`, as half-open date ranges: "d0" [today, one_left),
    "d1" [one_left, two_left), "d3" [two_left, four_left), "overdue" before today."""

    today: date
    one_left: date  # the first date with 1 working day left: the next working day after today
    two_left: date
    four_left: date  # from here on more than 3 working days are left: no reminder yet

    def threshold(self, deadline: date) -> str | None:
        """The threshold due today for `deadline`: the same answer as `rules.reminder_threshold`."""
        if deadline < self.today:
            return OVERDUE
        if deadline < self.one_left:
            return D0
        if deadline < self.two_left:
            return D1
        if deadline < self.four_left:
            return D3
        return None


def windows(today: date) -> Windows:
    """AP-19: today's threshold ranges, from the working-day calendar (decree overrides included)."""
    return Windows(
        today,
        workdays.add_working_days(today, 1),
        workdays.add_working_days(today, 2),
        workdays.add_working_days(today, 4),
    )


@dataclass
class Due:
    """One reminder the sweep inserted, with what its message needs."""

    application_id: int
    threshold: str
    deadline: date
    number: str = ""
    subject: str = ""
    institute_id: int = 0
    level: int = Level.INSTITUTE
    department_id: int | None = None
    recipients: set[int] = field(default_factory=set)
    officials: set[int] = field(default_factory=set)
    official_level: int | None = None


@dataclass(frozen=True)
class SweepResult:
    reminders: int  # Reminder rows written (each sent once)
    escalated: int  # of which overdue: reported to the next level
    notifications: int  # messages queued (one per person and kind of reminder)


def send_reminders(now: datetime | None = None) -> SweepResult:
    """AP-19: the sweep. On a day off nothing is sent (the dean's office is closed); the next working
    day's sweep sends what is due then."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not workdays.is_working_day(today):
        return SweepResult(0, 0, 0)
    span = windows(today)
    with transaction.atomic():
        due = _insert(span, now)
        _load(due, span)
        notifications = _notify_all(due)
        _record(due, now)
    return SweepResult(len(due), sum(1 for d in due if d.threshold == OVERDUE), notifications)


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _insert(span: Windows, now: datetime) -> list[Due]:
    """One statement: the reminder due today of every open case, skipping those already written."""
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    deadline = "COALESCE(a.extended_to, a.due_on)"
    statuses = [str(s) for s in OPEN_STATUSES]
    # WHERE (not only ON CONFLICT) after the SELECT: SQLite needs it to parse the upsert.
    sql = (
        f"INSERT INTO {qn(Reminder._meta.db_table)} (application_id, threshold, deadline, sent_at) "
        f"SELECT a.id, CASE WHEN {deadline} < %s THEN %s WHEN {deadline} < %s THEN %s "
        f"WHEN {deadline} < %s THEN %s ELSE %s END, {deadline}, %s "
        f"FROM {qn(Application._meta.db_table)} a "
        f"WHERE a.status IN ({', '.join(['%s'] * len(statuses))}) AND {deadline} < %s "
        "ON CONFLICT DO NOTHING RETURNING application_id, threshold, deadline"
    )
    params = [
        adapt(span.today),
        OVERDUE,
        adapt(span.one_left),
        D0,
        adapt(span.two_left),
        D1,
        D3,
        connection.ops.adapt_datetimefield_value(now),
        *statuses,
        adapt(span.four_left),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Due(app_id, threshold, _date(deadline)) for app_id, threshold, deadline in rows]


def _load(due: list[Due], span: Windows) -> None:
    """The cases' numbers, handlers, deans and (when overdue) the next level's officials, in four queries
    whatever the number of reminders. The cases are read with the insert's own condition rather than by
    a list of ids, which also returns open cases reminded on earlier days (skipped here)."""
    if not due:
        return
    by_id = {d.application_id: d for d in due}
    candidates = (
        Application.objects.filter(status__in=[str(s) for s in OPEN_STATUSES])
        .annotate(deadline_on=Coalesce("extended_to", "due_on"))
        .filter(deadline_on__lt=span.four_left)
    )
    rows = candidates.values_list("pk", "number", "subject", "institute_id", "level", "department_id")
    for pk, number, subject, institute_id, level, department_id in rows.iterator(chunk_size=CHUNK):
        if (d := by_id.get(pk)) is not None:
            d.number, d.subject = number, subject
            d.institute_id, d.level, d.department_id = institute_id, level, department_id
    handlers = Assignment.objects.filter(application__in=candidates.values("pk"), user__is_active=True)
    for app_id, user_id in handlers.values_list("application_id", "user_id").iterator(chunk_size=CHUNK):
        if (d := by_id.get(app_id)) is not None:
            d.recipients.add(user_id)
    deans = _holders(Q(role=Role.DEAN, institute_id__in={d.institute_id for d in due}))
    for d in due:
        d.recipients |= deans.get((Role.DEAN, d.institute_id), set())
    overdue = [d for d in due if d.threshold == OVERDUE]
    if overdue:
        officials = _holders(
            Q(role=Role.HEAD_OF_DEPARTMENT, department_id__in={d.department_id for d in overdue if d.department_id})
            | Q(role__in=(Role.VICE_RECTOR_SOCIAL, Role.RECTOR))
        )
        for d in overdue:
            _escalate(d, deans, officials)


def _holders(q: Q) -> Holders:
    """Active holders of the roles in `q`, by (role, scope): institute for deans, department for heads of
    department, None for the university-wide vice-rector and rector."""
    found: Holders = defaultdict(set)
    rows = RoleAssignment.objects.active().filter(q, user__is_active=True)
    for role, institute_id, department_id, user_id in rows.values_list(
        "role", "institute_id", "department_id", "user_id"
    ):
        scope = institute_id if role == Role.DEAN else department_id if role == Role.HEAD_OF_DEPARTMENT else None
        found[(role, scope)].add(user_id)
    return found


def _escalate(d: Due, deans: Holders, officials: Holders) -> None:
    """AP-19, AP-20: the official of the next level up that has someone in the post (a case at the
    rector's level goes to the rector)."""
    for level in range(min(d.level + 1, Level.RECTOR), Level.RECTOR + 1):
        role = LEVEL_ROLES[level]
        if role == Role.DEAN:
            people = deans.get((role, d.institute_id), set())
        elif role == Role.HEAD_OF_DEPARTMENT:
            people = officials.get((role, d.department_id), set()) if d.department_id else set()
        else:
            people = officials.get((role, None), set())
        if people:
            d.officials, d.official_level = set(people), level
            d.recipients -= people  # they get the escalation, not also the plain reminder
            return


def _notify_all(due: list[Due]) -> int:
    """One message per person and kind, listing their cases; returns how many were queued."""
    digests: dict[tuple[int, str], list[Due]] = defaultdict(list)
    for d in due:
        for user_id in d.recipients:
            digests[(user_id, d.threshold)].append(d)
        for user_id in d.officials:
            digests[(user_id, ESCALATED)].append(d)
    if not digests:
        return 0
    users = User.objects.in_bulk({user_id for user_id, _kind in digests})
    messages = []
    for (user_id, kind), cases in digests.items():
        cases.sort(key=lambda d: (d.deadline, d.number))
        subject, body = _message(kind, cases)
        url = reverse("appeals:case", args=[cases[0].application_id]) if len(cases) == 1 else ""
        messages.append(Message(users[user_id], subject, body, url))
    return len(notify_each(messages))


def _subject(kind: str, cases: list[Due]) -> str:
    n = len(cases)
    if n == 1:
        number = {"number": cases[0].number}
        return {
            D3: _("Reminder: the answer to %(number)s is due within 3 working days"),
            D1: _("Reminder: the answer to %(number)s is due in 1 working day"),
            D0: _("Reminder: the answer to %(number)s is due today"),
            OVERDUE: _("The answer to %(number)s is overdue"),
            ESCALATED: _("Overdue application reported to you: %(number)s"),
        }[kind] % number
    count = {"count": n}
    return {
        D3: ngettext(
            "Reminder: %(count)d answer is due within 3 working days",
            "Reminder: %(count)d answers are due within 3 working days",
            n,
        ),
        D1: ngettext(
            "Reminder: %(count)d answer is due in 1 working day",
            "Reminder: %(count)d answers are due in 1 working day",
            n,
        ),
        D0: ngettext("Reminder: %(count)d answer is due today", "Reminder: %(count)d answers are due today", n),
        OVERDUE: ngettext("%(count)d answer is overdue", "%(count)d answers are overdue", n),
        ESCALATED: ngettext(
            "%(count)d overdue application reported to you", "%(count)d overdue applications reported to you", n
        ),
    }[kind] % count


def _message(kind: str, cases: list[Due]) -> tuple[str, str]:
    intro = {
        D3: _("Applications whose answer is due within 3 working days:"),
        D1: _("Applications whose answer is due in 1 working day:"),
        D0: _("Applications whose answer is due today:"),
        OVERDUE: _("Applications whose answer is overdue:"),
        ESCALATED: _("Overdue applications, reported to you as the official of the higher level:"),
    }[kind]
    lines = [intro, *(_line(d) for d in cases[:DIGEST_LINES])]
    more = len(cases) - DIGEST_LINES
    if more > 0:
        lines.append(
            ngettext("and %(count)d more application", "and %(count)d more applications", more) % {"count": more}
        )
    return _subject(kind, cases), "\n".join(lines)


def _line(d: Due) -> str:
    return _("%(number)s «%(subject)s», due %(date)s") % {
        "number": d.number,
        "subject": d.subject,
        "date": d.deadline.strftime("%d.%m.%Y"),
    }


def _record(due: list[Due], now: datetime) -> None:
    """Each reminder on the case's internal timeline (not shown to the applicant); an overdue case's
    escalation names the level and the officials told. The notes repeat across cases (same threshold and
    date, same officials), so each is worded once; the rows go in one statement on Postgres (arrays), in
    batches of 1,000 elsewhere."""
    officials = {user_id for d in due for user_id in d.officials}
    names = {u.pk: u.full_name for u in User.objects.filter(pk__in=officials).only(*_NAME_FIELDS)} if officials else {}
    notes: dict[tuple[object, ...], str] = {}

    def note(d: Due) -> str:
        key = (d.threshold, d.deadline, d.official_level, frozenset(d.officials))
        if key not in notes:
            notes[key] = _note(d, names)
        return notes[key]

    table = connection.ops.quote_name(Event._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(now)
    rows = [
        (
            d.application_id,
            Event.Type.ESCALATED.value if d.threshold == OVERDUE else Event.Type.REMINDED.value,
            at,
            note(d),
            False,
        )
        for d in due
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement, three array parameters
            cursor.execute(
                f"INSERT INTO {table} (application_id, type, at, actor_id, note, public) "
                "SELECT u.a, u.t, %s, NULL, u.n, false FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS u(a, t, n)",
                [at, [r[0] for r in rows], [r[1] for r in rows], [r[3] for r in rows]],
            )
            return
        for start in range(0, len(rows), EVENT_BATCH):
            batch = rows[start : start + EVENT_BATCH]
            values = ", ".join(["(%s, %s, %s, NULL, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (application_id, type, at, actor_id, note, public) VALUES {values}",
                [value for row in batch for value in row],
            )


def _note(d: Due, names: dict[int, str]) -> str:
    day = d.deadline.strftime("%d.%m.%Y")
    if d.threshold != OVERDUE:
        return f"{Reminder.Threshold(d.threshold).label} ({day})"
    if d.official_level is None:
        return _("The answer was due on %(date)s. Nobody holds a post at the higher levels to report to.") % {
            "date": day
        }
    return _("The answer was due on %(date)s. Reported to the higher level (%(level)s): %(names)s.") % {
        "date": day,
        "level": Level(d.official_level).label,
        "names": ", ".join(sorted(names[u] for u in d.officials)),
    }
