"""AP-19 on Postgres: two sweeps at the same moment (two workers, or beat firing twice) send each reminder
once; the unique index settles it (ARCHITECTURE.md, "Races are settled by the database")."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.utils import translation

from appeals.models import Assignment, Event, Reminder
from appeals.services import reminders
from portal.models import Notification, Role
from tests.appeals.factories import at, file_case, make_school
from tests.factories import RoleAssignmentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks on the unique index need Postgres"),
]
CASES = 40


@pytest.mark.parametrize("day", [date(2026, 12, 8), date(2026, 12, 9)])
def test_ap19_two_concurrent_sweeps_send_each_reminder_once(day):
    """40 cases due on 8 December swept by two threads at once: 40 reminder rows, one digest each for the
    handler and the dean (and the vice-rector once overdue), one timeline event per case."""
    with translation.override("en"):
        school = make_school()
        vice_rector = RoleAssignmentFactory.create(role=Role.VICE_RECTOR_SOCIAL).user
        for _ in range(CASES):
            case = file_case(school.student.user, at(2026, 11, 17))
            Assignment.objects.create(application=case, user=school.teacher, assigned_by=school.dean)
    Notification.objects.all().delete()
    now = at(day.year, day.month, day.day, 9)
    barrier = threading.Barrier(2)
    results: list[reminders.SweepResult] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results.append(reminders.send_reminders(now))
        except BaseException as exc:  # pragma: no cover (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(r.reminders for r in results) == [0, CASES]
    assert Reminder.objects.count() == CASES
    recipients = [school.teacher, school.dean] + ([vice_rector] if day > date(2026, 12, 8) else [])
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(u.pk for u in recipients)
    assert Event.objects.filter(type__in=[Event.Type.REMINDED, Event.Type.ESCALATED]).count() == CASES
