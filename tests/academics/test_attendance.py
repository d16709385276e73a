"""AC-24 attendance per class and the AC-06/AC-07 exam admission list."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from academics.errors import AcademicsError
from academics.rules import AdmissionReason
from academics.services.attendance import admission_list, permit_midterm_retake, record_attendance
from academics.services.gradebook import record_scores
from portal.models import Role
from tests.academics.factories import OfferingFactory, enrol
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    offering = OfferingFactory.create()
    offering.teachers.add(UserFactory.create())
    return offering


def _classes(offering, count, present_for):
    teacher = offering.teachers.get()
    start = date(2026, 9, 7)
    for i in range(count):
        record_attendance(teacher, offering, start + timedelta(days=i), {e.pk for e in present_for(i)})


def test_ac24_attendance_is_recorded_per_class_once(offering):
    """AC-24: a class records every enrolled student; the same class twice is refused."""
    a, b = enrol(offering), enrol(offering)
    teacher = offering.teachers.get()
    session = record_attendance(teacher, offering, date(2026, 9, 7), {a.pk})
    assert {(m.enrolment_id, m.present) for m in session.marks.all()} == {(a.pk, True), (b.pk, False)}
    with pytest.raises(AcademicsError):
        record_attendance(teacher, offering, date(2026, 9, 7), {a.pk})
    with pytest.raises(PermissionDenied):
        record_attendance(UserFactory.create(), offering, date(2026, 9, 8), {a.pk})


def test_ac06_admission_list_gives_each_reason(offering):
    """AC-06: midterms 60/60 and 9 of 10 classes: admitted; 45/50 average 47.5: not; 7 of 10 classes: not."""
    teacher = offering.teachers.get()
    good, weak_midterm, absent = enrol(offering), enrol(offering), enrol(offering)
    record_scores(teacher, good, r1=60, r2=60)
    record_scores(teacher, weak_midterm, r1=45, r2=50)
    record_scores(teacher, absent, r1=90, r2=90)

    def present(i):  # ten classes: `good` misses the last, `absent` misses the last three
        if i == 9:
            return [weak_midterm]
        return [good, weak_midterm] + ([absent] if i < 7 else [])

    _classes(offering, 10, present)
    rows = {r.enrolment.pk: r for r in admission_list(offering)}
    assert rows[good.pk].admitted and rows[good.pk].attendance_percent == 90
    assert rows[weak_midterm.pk].reasons == [AdmissionReason.MIDTERM_BELOW_50]
    assert rows[absent.pk].reasons == [AdmissionReason.ATTENDANCE_BELOW_80]


def test_ac07_deans_permission_admits_a_weak_midterm(offering):
    """AC-07: the dean's written permission lifts the midterm condition; only a dean in scope may give it."""
    teacher = offering.teachers.get()
    weak = enrol(offering)
    record_scores(teacher, weak, r1=30, r2=30)
    with pytest.raises(PermissionDenied):
        permit_midterm_retake(teacher, weak, "Өкім 5")
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=weak.student.group.programme.department.institute)
    with pytest.raises(AcademicsError):
        permit_midterm_retake(dean, weak, "  ")
    permit_midterm_retake(dean, weak, "Деканның өкімі №5, 01.12.2026")
    assert admission_list(offering)[0].admitted


def test_admission_list_query_count_is_fixed(offering, django_assert_max_num_queries):
    teacher = offering.teachers.get()
    enrolments = [enrol(offering) for _ in range(30)]
    for e in enrolments:
        record_scores(teacher, e, r1=70, r2=70)
    _classes(offering, 5, lambda i: enrolments)
    with django_assert_max_num_queries(2):
        rows = admission_list(offering)
    assert len(rows) == 30 and all(r.admitted for r in rows)
