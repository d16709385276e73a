"""The gradebook services: entry, computed grades, signing and amendments (AC-03..AC-08, AC-23)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from academics.errors import AcademicsError
from academics.models import GradeAmendment, GradeRecord
from academics.services.gradebook import amend_grade, record_scores, sign_statement
from portal.models import Role
from tests.academics.factories import OfferingFactory, enrol
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    offering = OfferingFactory.create()
    offering.teachers.add(UserFactory.create())
    return offering


def teacher_of(offering):
    return offering.teachers.get()


def test_ac04_ac05_the_final_grade_is_computed_never_typed(offering):
    """AC-04/AC-05: R1 80, R2 90, E 70 -> 79 % -> B- 2.67, with the year's rules version."""
    grade = record_scores(teacher_of(offering), enrol(offering), current_control=85, r1=80, r2=90, exam=70)
    assert grade.final_percent == Decimal("79.000")
    assert (grade.letter, grade.points) == ("B-", Decimal("2.67"))
    assert grade.policy_version == "handbook"


def test_ac08_exam_no_show_counts_as_zero(offering):
    """AC-08: a no-show with midterms of 90 gives 54 % -> D."""
    grade = record_scores(teacher_of(offering), enrol(offering), r1=90, r2=90, exam_no_show=True)
    assert grade.final_percent == Decimal(54)
    assert grade.letter == "D"
    assert grade.exam is None


def test_incomplete_entry_has_no_letter_yet(offering):
    grade = record_scores(teacher_of(offering), enrol(offering), r1=90)
    assert grade.letter == "" and grade.final_percent is None


@pytest.mark.parametrize("bad", [-5, 101, "abc", "1e3"])
def test_ac03_bad_scores_are_refused_and_nothing_changes(offering, bad):
    """AC-03: 0-100 only; the error names the field and nothing is saved."""
    enrolment = enrol(offering)
    record_scores(teacher_of(offering), enrolment, r1=50)
    with pytest.raises(AcademicsError, match="0"):
        record_scores(teacher_of(offering), enrolment, r1=bad, r2=60, exam=60)
    assert GradeRecord.objects.get(enrolment=enrolment).r1 == Decimal(50)


def test_another_teacher_cannot_enter_grades(offering):
    """Scope: a teacher of another offering gets PermissionDenied (403) and nothing is written."""
    with pytest.raises(PermissionDenied):
        record_scores(UserFactory.create(), enrol(offering), r1=90, r2=90, exam=90)
    assert GradeRecord.objects.count() == 0


def test_ac23_signing_needs_complete_grades_then_freezes_them(offering):
    """AC-23: an incomplete statement cannot be signed; a signed one refuses direct edits."""
    teacher = teacher_of(offering)
    first, second = enrol(offering), enrol(offering)
    record_scores(teacher, first, r1=80, r2=80, exam=80)
    with pytest.raises(AcademicsError):
        sign_statement(teacher, offering)
    record_scores(teacher, second, r1=60, r2=60, exam=20)
    assert sign_statement(teacher, offering) == 2
    with pytest.raises(AcademicsError, match=r"түзету"):
        record_scores(teacher, first, r1=100, r2=100, exam=100)
    assert GradeRecord.objects.get(enrolment=first).final_percent == Decimal(80)
    with pytest.raises(AcademicsError):
        sign_statement(teacher, offering)


def test_ac23_an_amendment_keeps_the_teachers_entry_and_shows_the_new_grade(offering):
    """AC-23: an appeal decision raises the exam from 60 to 85; R1/R2/E entered by the teacher stay."""
    teacher = teacher_of(offering)
    enrolment = enrol(offering)
    record_scores(teacher, enrolment, r1=70, r2=70, exam=60)  # 66 % -> C
    sign_statement(teacher, offering)
    head = UserFactory.create()
    RoleAssignmentFactory.create(
        user=head, role=Role.HEAD_OF_DEPARTMENT, department=enrolment.student.group.programme.department
    )
    amendment = amend_grade(
        head,
        enrolment.grade,
        kind=GradeAmendment.Kind.APPEAL,
        reason="Сұрақ 7 қате құрастырылған",
        document_reference="Апелляция хаттамасы №3, 15.01.2027",
        exam=85,
    )
    grade = GradeRecord.objects.get(pk=enrolment.grade.pk)
    assert (grade.r1, grade.r2, grade.exam) == (Decimal(70), Decimal(70), Decimal(60))  # the teacher's entry
    assert amendment.final_percent == Decimal(76)  # 70 x 0.6 + 85 x 0.4
    assert (grade.letter, grade.points) == ("B-", Decimal("2.67"))
    assert grade.history.first().history_user == head


def test_ac23_amendment_needs_reason_document_and_scope(offering):
    teacher = teacher_of(offering)
    enrolment = enrol(offering)
    record_scores(teacher, enrolment, r1=40, r2=40, exam=40)  # 40 % -> FX
    sign_statement(teacher, offering)
    with pytest.raises(PermissionDenied):  # a stranger
        amend_grade(
            UserFactory.create(), enrolment.grade, kind="fx_retake", reason="x", document_reference="y", exam=90
        )
    with pytest.raises(AcademicsError):
        amend_grade(teacher, enrolment.grade, kind="fx_retake", reason=" ", document_reference="", exam=90)
    amendment = amend_grade(
        teacher,
        enrolment.grade,
        kind="fx_retake",
        reason="FX қайта тапсыру",
        document_reference="Ведомость 12",
        exam=90,
    )
    assert (amendment.final_percent, amendment.letter) == (Decimal(60), "C-")  # 40 x 0.6 + 90 x 0.4


def test_ac10_a_positive_grade_cannot_be_retaken_to_improve_it(offering):
    """AC-09/AC-10: the FX retake is for FX only; a passed grade is not retaken in the same session."""
    teacher = teacher_of(offering)
    enrolment = enrol(offering)
    record_scores(teacher, enrolment, r1=70, r2=70, exam=70)
    sign_statement(teacher, offering)
    with pytest.raises(AcademicsError):
        amend_grade(teacher, enrolment.grade, kind="fx_retake", reason="жақсарту", document_reference="-", exam=100)
    assert GradeAmendment.objects.count() == 0


def test_ac09_fx_not_retaken_before_the_next_period_becomes_f(offering):
    """AC-09: the sweep turns an FX into F once the next period has started; it runs twice harmlessly."""
    from datetime import date

    from academics.models import Term
    from academics.services.gradebook import expire_fx_grades
    from tests.academics.factories import TermFactory

    teacher = teacher_of(offering)
    fx, passed = enrol(offering), enrol(offering)
    record_scores(teacher, fx, r1=40, r2=40, exam=40)
    record_scores(teacher, passed, r1=80, r2=80, exam=80)
    sign_statement(teacher, offering)
    spring = TermFactory.create(
        academic_year=offering.term.academic_year,
        kind=Term.Kind.SPRING,
        starts_on=date(2027, 1, 25),
        ends_on=date(2027, 5, 9),
        exams_start=date(2027, 5, 10),
        exams_end=date(2027, 5, 30),
    )
    assert expire_fx_grades(date(2027, 1, 24)) == 0  # still time to retake
    assert expire_fx_grades(spring.starts_on) == 1
    assert expire_fx_grades(spring.starts_on) == 0
    grade = GradeRecord.objects.get(enrolment=fx)
    assert (grade.letter, grade.points, grade.exam) == ("F", Decimal(0), Decimal(40))  # teacher's entry kept
    assert grade.amendments.get().kind == GradeAmendment.Kind.FX_EXPIRED
    assert GradeRecord.objects.get(enrolment=passed).letter == "B"


def test_ac22_the_four_appeal_grounds():
    """AC-22: badly worded item, no correct answer, several correct answers, outside the syllabus."""
    from academics.models import AppealGround

    assert set(AppealGround.values) == {"badly_worded", "no_correct_answer", "several_correct", "outside_syllabus"}


def test_ac20_an_uncleared_academic_difference_becomes_debt():
    """AC-20: cleared within its academic period, or it becomes academic debt the day after."""
    from datetime import date

    from academics.rules import difference_becomes_debt

    end = date(2027, 1, 10)
    assert not difference_becomes_debt(end, date(2027, 1, 10), cleared=False)
    assert difference_becomes_debt(end, date(2027, 1, 11), cleared=False)
    assert not difference_becomes_debt(end, date(2027, 3, 1), cleared=True)


def test_ac09_an_fx_retake_is_recorded_only_in_the_fx_window(offering):
    """AC-09/AC-01: the FX retake window of the calendar bounds when the teacher records the retake."""
    teacher = teacher_of(offering)
    enrolment = enrol(offering)
    record_scores(teacher, enrolment, r1=40, r2=40, exam=40)
    sign_statement(teacher, offering)
    term = offering.term
    today = timezone.localdate()
    term.fx_retake_opens, term.fx_retake_closes = today - timedelta(days=10), today - timedelta(days=3)
    term.save()
    grade = GradeRecord.objects.get()
    with pytest.raises(AcademicsError, match="FX қайта тапсыру"):
        amend_grade(teacher, grade, kind="fx_retake", reason="retake", document_reference="FX-1", exam=80)
    assert not GradeAmendment.objects.exists()
    term.fx_retake_closes = today
    term.save()
    amendment = amend_grade(teacher, grade, kind="fx_retake", reason="retake", document_reference="FX-1", exam=80)
    assert (amendment.final_percent, amendment.letter) == (Decimal(56), "D+")  # 40 x 0.6 + 80 x 0.4
