"""AP-04 on Postgres: filings at the same moment never share a registration number. The counter is one
INSERT ... ON CONFLICT DO UPDATE ... RETURNING whose row lock holds until each filing commits
(ARCHITECTURE.md, "Races are settled by the database")."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from appeals.models import Application, RegistrationCounter
from tests.appeals.factories import at, file_case, make_school
from tests.factories import make_student

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need Postgres"),
]
THREADS, EACH = 8, 5


def test_ap04_concurrent_filings_get_distinct_numbers_in_one_run():
    """8 threads file 5 applications each at once, the first of the year among them: 40 numbers, 1 to 40,
    none twice, and the counter stops at 40."""
    with translation.override("en"):
        school = make_school("IT")
        students = [make_student(group=school.student.group).user for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def file_some(student) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                for _ in range(EACH):
                    file_case(student, at(2026, 11, 17))
        except BaseException as exc:  # pragma: no cover (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_some, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert numbers == [f"IT-2026/{n:05d}" for n in range(1, THREADS * EACH + 1)]
    assert RegistrationCounter.objects.get(institute=school.institute, year=2026).last == THREADS * EACH
