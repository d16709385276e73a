"""AC-11 GPA per year and cumulative, AC-14 academic debt, and the standing other apps read."""

from datetime import date
from decimal import Decimal

import pytest

from academics.models import Term
from academics.services.gradebook import amend_grade, record_scores, sign_statement
from academics.services.standing import academic_debts, gpa_for, standing
from tests.academics.factories import AcademicYearFactory, OfferingFactory, TermFactory
from tests.factories import UserFactory, make_student

pytestmark = pytest.mark.django_db


def _graded(student, term, credits, r1, r2, exam, *, sign=True, no_show=False):
    offering = OfferingFactory.create(term=term, discipline__credits=credits)
    teacher = UserFactory.create()
    offering.teachers.add(teacher)
    enrolment = offering.enrolments.create(student=student)
    record_scores(teacher, enrolment, r1=r1, r2=r2, exam=exam, exam_no_show=no_show)
    if sign:
        sign_statement(teacher, offering)
    enrolment.refresh_from_db()
    return teacher, enrolment


def test_ac11_gpa_is_credit_weighted_over_signed_grades_and_per_year():
    """AC-11: A (4.0) x 5 + C (2.0) x 3 -> 3.25 this year; with last year's B (3.0) x 2 -> 3.20 overall."""
    student = make_student()
    year = AcademicYearFactory.create(start_year=2026)
    last_year = AcademicYearFactory.create(start_year=2025, starts_on=date(2025, 9, 2), ends_on=date(2026, 8, 31))
    autumn = TermFactory.create(academic_year=year)
    summer = TermFactory.create(
        academic_year=year,
        kind=Term.Kind.SUMMER,
        starts_on=date(2027, 6, 20),
        ends_on=date(2027, 7, 31),
        exams_start=date(2027, 8, 1),
        exams_end=date(2027, 8, 5),
    )
    old = TermFactory.create(
        academic_year=last_year,
        starts_on=date(2025, 9, 2),
        ends_on=date(2025, 12, 15),
        exams_start=date(2025, 12, 16),
        exams_end=date(2026, 1, 10),
    )
    _graded(student, autumn, 5, 96, 96, 96)  # A
    _graded(student, summer, 3, 66, 66, 66)  # C, summer counts in the year (AC-11)
    _graded(student, old, 2, 80, 80, 80)  # B
    _graded(student, autumn, 5, 20, 20, 20, sign=False)  # a draft does not count
    assert gpa_for(student, year) == Decimal("3.25")  # (20 + 6) / 8
    assert gpa_for(student) == Decimal("3.20")  # (20 + 6 + 6) / 10
    assert gpa_for(make_student()) == Decimal("0.00")


def test_ac14_fx_and_no_show_are_academic_debts_until_cleared():
    """AC-14: an FX and a no-show are debts; the FX retake to a pass clears the FX."""
    student = make_student()
    term = TermFactory.create()
    teacher, fx = _graded(student, term, 5, 40, 40, 40)  # 40 % -> FX
    _graded(student, term, 5, 100, 100, None, no_show=True)  # 60 % but a no-show
    _graded(student, term, 5, 80, 80, 80)  # B: no debt
    debts = academic_debts(student)
    assert sorted((d.letter, d.no_show) for d in debts) == [("C-", True), ("FX", False)]
    amend_grade(teacher, fx.grade, kind="fx_retake", reason="Қайта тапсыру", document_reference="В-12", exam=80)
    assert [(d.letter, d.no_show) for d in academic_debts(student)] == [("C-", True)]


def test_standing_brings_year_gpa_and_debts_together():
    student = make_student(year_of_study=3)
    term = TermFactory.create()
    _graded(student, term, 5, 40, 40, 40)
    record = standing(student, term.academic_year)
    assert record.year_of_study == 3
    assert record.gpa_year == Decimal("0.50")
    assert record.has_academic_debt
