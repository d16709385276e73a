"""AC-21 disciplinary sanctions with validity periods; AC-13 the two-retake limit at enrolment."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from academics.errors import AcademicsError
from academics.models import Enrolment, Sanction, Term
from academics.rules import retake_allowed
from academics.services.enrolment import enrol_student
from academics.services.standing import standing
from portal.models import Role
from tests.academics.factories import AcademicYearFactory, DisciplineFactory, OfferingFactory, TermFactory
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db


def test_ac21_only_sanctions_valid_today_count():
    """AC-21: a sanction counts from the day it is imposed to its end, unless lifted early."""
    student = make_student()
    today = timezone.localdate()
    common = {"student": student, "kind": Sanction.Kind.REPRIMAND, "reason": "Тәртіп бұзу", "decision_reference": "№4"}
    Sanction.objects.create(**common, imposed_on=today - timedelta(days=10), valid_until=today + timedelta(days=10))
    Sanction.objects.create(**common, imposed_on=today - timedelta(days=400), valid_until=today - timedelta(days=35))
    Sanction.objects.create(
        **common, imposed_on=today - timedelta(days=5), valid_until=today + timedelta(days=50), lifted_on=today
    )
    assert Sanction.objects.valid_on(today).count() == 1  # the lifted one stops counting on its lifting day
    assert Sanction.objects.valid_on(today - timedelta(days=1)).count() == 2
    assert Sanction.objects.valid_on(today + timedelta(days=11)).count() == 0
    assert len(standing(student).sanctions) == 1


def test_ac13_a_discipline_is_retaken_at_most_twice():
    """AC-13: first attempt plus two retakes; the fourth enrolment is refused and nothing is created."""
    assert retake_allowed(0) and retake_allowed(2) and not retake_allowed(3)
    registrar = UserFactory.create()
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR)
    student = make_student()
    discipline = DisciplineFactory.create()
    kinds = [Term.Kind.AUTUMN, Term.Kind.SPRING, Term.Kind.SUMMER]
    offerings = []
    for year in (2025, 2026):
        academic_year = AcademicYearFactory.create(
            start_year=year, starts_on=date(year, 9, 2), ends_on=date(year + 1, 8, 31)
        )
        for kind in kinds:
            start = date(year, 9, 2) + timedelta(days=120 * kinds.index(kind))
            term = TermFactory.create(
                academic_year=academic_year,
                kind=kind,
                starts_on=start,
                ends_on=start + timedelta(days=100),
                exams_start=start + timedelta(days=101),
                exams_end=start + timedelta(days=110),
            )
            offerings.append(OfferingFactory.create(discipline=discipline, term=term))
    for offering in offerings[:3]:
        enrol_student(registrar, offering, student)
    with pytest.raises(AcademicsError):
        enrol_student(registrar, offerings[3], student)
    assert Enrolment.objects.filter(student=student).count() == 3


def test_enrolment_needs_the_registrar_and_refuses_duplicates():
    offering = OfferingFactory.create()
    student = make_student()
    with pytest.raises(PermissionDenied):
        enrol_student(UserFactory.create(), offering, student)
    registrar = UserFactory.create()
    RoleAssignmentFactory.create(user=registrar, role=Role.REGISTRAR)
    enrol_student(registrar, offering, student)
    with pytest.raises(AcademicsError):
        enrol_student(registrar, offering, student)
    assert Enrolment.objects.count() == 1
