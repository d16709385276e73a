"""AP-09: the dean's triage list, rendered once per change (issue 5: the page at p95 under 150 ms).

The list (counts, filters, 50 rows, pagination) is kept in each process's memory under a key made of
what it shows: the institutes and their **versions**, the filters and page, the language and the date
(the deadlines' standing changes at midnight). A version is a number per institute raised in the same
transaction as every change to its cases or their handlers (the signals below; the single-statement
filing raises it in its own statement), and it is read before the list: a list is never kept under a
version older than its data, so once a change commits, no dean is shown the list from before it.
Names of people (an applicant's, a handler's) are not versioned: a kept list lives TTL seconds at most.
"""

import hashlib
from collections.abc import Callable, Sequence
from datetime import date

from django.core.cache import caches
from django.db import connection
from django.db.models.signals import post_delete, post_save

from appeals.models import Application, Assignment, TriageVersion

CACHE = "pages"
TTL = 300


def _table() -> str:
    return connection.ops.quote_name(TriageVersion._meta.db_table)


def raise_version(institute_id: int) -> None:
    """The institute's cases changed: a list kept for its old version is no longer shown."""
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (institute_id, version) VALUES (%s, 1) "
            f"ON CONFLICT (institute_id) DO UPDATE SET version = {table}.version + 1",
            [institute_id],
        )


def raise_version_sql(application: str) -> str:
    """The same as a statement's CTE, for the case inserted by the CTE named `application`."""
    table = _table()
    return (
        f"INSERT INTO {table} AS v (institute_id, version) SELECT institute_id, 1 FROM {application} "
        "ON CONFLICT (institute_id) DO UPDATE SET version = v.version + 1"
    )


def versions(institute_ids: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """Each institute's version (0 before its first change), in one query."""
    found = dict(TriageVersion.objects.filter(institute_id__in=institute_ids).values_list("institute_id", "version"))
    return tuple((pk, found.get(pk, 0)) for pk in sorted(institute_ids))


def cached_list(institute_ids: Sequence[int], query: str, language: str, today: date, render: Callable[[], str]) -> str:
    """The triage list for these institutes and this query string, rendered by `render` unless a list of
    the same versions, language and day is kept."""
    what = f"{versions(institute_ids)}|{language}|{today.isoformat()}|{query}"
    key = "triage:" + hashlib.sha256(what.encode()).hexdigest()  # any query string, a safe key
    cache = caches[CACHE]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TTL)
    return html


def _case_changed(sender: type, instance: Application, **kwargs: object) -> None:
    raise_version(instance.institute_id)


def _handlers_changed(sender: type, instance: Assignment, **kwargs: object) -> None:
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS v (institute_id, version) "
            f"SELECT institute_id, 1 FROM {Application._meta.db_table} WHERE id = %s "
            "ON CONFLICT (institute_id) DO UPDATE SET version = v.version + 1",
            [instance.application_id],
        )


def connect() -> None:
    """Called from the app's `ready()`."""
    for signal in (post_save, post_delete):
        signal.connect(_case_changed, sender=Application, dispatch_uid=f"triage-case-{signal}")
        signal.connect(_handlers_changed, sender=Assignment, dispatch_uid=f"triage-handlers-{signal}")
