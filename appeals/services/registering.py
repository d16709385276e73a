"""AP-04: a plain portal filing registered in one Postgres statement (issue 5: filing at >= 0.5 of the floor).

`filing.register` builds the case in Python, validated and dated, as for every channel. A plain filing
(in the portal, by the applicant, no files, no co-applicants, no representative) is then written here in a
single statement of data-modifying CTEs: the journal's counter, the case, its audit row, the timeline's
"registered" step, the institute's triage version (appeals/triage_cache.py) and the notifications of the
applicant and the dean's office. One round trip where the ORM took eight (BEGIN, the counter, two
INSERTs, the event, the deans, the notifications, COMMIT), and none of the ORM's per-query work, which
was most of a filing's cost. What is stored is the same:

- the number comes from the same counter row, created or incremented by INSERT ... ON CONFLICT and
  locked until the statement commits, so two filings never share one;
- the columns of the case are the values of the unsaved `Application` the caller built, read through
  each field as the ORM would save them;
- the audit row is the one django-simple-history writes on `save()`: every tracked column, history type
  "+", the applicant as `history_user`;
- the notifications carry the same subjects, texts and links, the number and the case's id filled in by
  the statement.

tests/appeals/test_registering.py compares both paths row by row. Other databases (SQLite in the
embedded default) and the other filings take the ORM path in `filing.register`.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from appeals.models import Application, Event, RegistrationCounter
from appeals.triage_cache import raise_version_sql
from portal.models import Notification, Role, RoleAssignment, User

NUMBER, CASE = "\x1fnumber\x1f", "\x1fcase\x1f"  # filled in by the statement


@dataclass(frozen=True)
class Announcement:
    """What the applicant and the dean's office are told; NUMBER stands for the registration number."""

    applicant_subject: str
    applicant_body: str
    deans_subject: str
    deans_body: str


def supported() -> bool:
    """Whether the database runs the single statement (data-modifying CTEs: Postgres)."""
    return connection.vendor == "postgresql"


def _columns() -> list[str]:
    """The case's columns the caller's values fill (all but the key and the number)."""
    return [f.column for f in Application._meta.concrete_fields if not f.primary_key and f.name != "number"]


@cache
def _statement() -> str:
    table, quote = Application._meta.db_table, connection.ops.quote_name
    columns = _columns()
    history = Application.history.model._meta
    tracked = ", ".join(quote(f.column) for f in history.concrete_fields if not f.name.startswith("history_"))
    values = ", ".join(f"%(c_{column})s" for column in columns)
    roles = RoleAssignment._meta.db_table
    return f"""
WITH counter AS (
    INSERT INTO {RegistrationCounter._meta.db_table} AS c (institute_id, year, last)
    VALUES (%(institute)s, %(year)s, 1)
    ON CONFLICT (institute_id, year) DO UPDATE SET last = c.last + 1
    RETURNING last
),
application AS (
    INSERT INTO {table} (number, {", ".join(quote(c) for c in columns)})
    SELECT %(prefix)s || lpad(last::text, greatest(5, length(last::text)), '0'), {values} FROM counter
    RETURNING *
),
audit AS (
    INSERT INTO {history.db_table} ({tracked}, history_date, history_change_reason, history_type, history_user_id)
    SELECT {tracked}, %(now)s, NULL, '+', %(user)s FROM application
),
event AS (
    INSERT INTO {Event._meta.db_table} (application_id, type, at, actor_id, note, public)
    SELECT id, %(registered)s, %(now)s, %(user)s, number, true FROM application
),
version AS (
    {raise_version_sql("application")}
),
told AS (
    INSERT INTO {Notification._meta.db_table}
        (recipient_id, subject, body, url, created_at, read_at, send_email, emailed_at, email_attempts)
    SELECT p.recipient, replace(p.subject, %(number)s, a.number), replace(p.body, %(number)s, a.number),
           replace(%(url)s, %(case)s, a.id::text), %(now)s, NULL, p.send_email, NULL, 0
    FROM application a CROSS JOIN (
        SELECT 0 AS rank, %(user)s::bigint AS recipient, %(applicant_subject)s AS subject,
               %(applicant_body)s AS body, %(applicant_email)s AS send_email
        UNION ALL
        SELECT 1, u.id, %(deans_subject)s, %(deans_body)s, coalesce(u.email, '') <> ''
        FROM {User._meta.db_table} u
        WHERE u.is_active AND u.id IN (
            SELECT user_id FROM {roles}
            WHERE role = %(dean)s AND institute_id = %(institute)s
              AND (valid_from IS NULL OR valid_from <= %(today)s)
              AND (valid_until IS NULL OR valid_until >= %(today)s)
        )
    ) p
    ORDER BY p.rank, p.recipient
    RETURNING send_email
)
SELECT a.id, a.number, (SELECT count(*) FROM told WHERE send_email) FROM application a
"""


def save_plain_filing(application: Application, code: str, announcement: Announcement) -> int:
    """Write the unsaved `application` (filed in the portal by its applicant, who is told, as is the
    dean's office) with its number, audit row and first timeline step; set its key and number. Returns
    how many of the notifications go out by e-mail."""
    applicant = application.applicant
    assert applicant is not None and application.pk is None
    year = application.registered_on.year
    params: dict[str, object] = {
        f"c_{field.column}": field.get_db_prep_save(field.pre_save(application, True), connection)
        for field in Application._meta.concrete_fields
        if not field.primary_key and field.name != "number"
    }
    today: date = timezone.localdate()
    params |= {
        "institute": application.institute_id,
        "year": year,
        "prefix": f"{code}-{year}/",
        "now": timezone.now(),
        "user": applicant.pk,
        "registered": Event.Type.REGISTERED.value,
        "number": NUMBER,
        "case": CASE,
        "url": reverse("appeals:case", args=[0]).removesuffix("0/") + CASE + "/",
        "applicant_subject": announcement.applicant_subject,
        "applicant_body": announcement.applicant_body,
        "applicant_email": bool(applicant.email),
        "deans_subject": announcement.deans_subject,
        "deans_body": announcement.deans_body,
        "dean": Role.DEAN.value,
        "today": today,
    }
    # In autocommit mode the statement is a transaction of its own (no BEGIN and COMMIT round trips);
    # inside a caller's transaction a savepoint keeps a failure from aborting it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        application.pk, application.number, emails = cursor.fetchone()
    application._state.adding = False
    return int(emails)
