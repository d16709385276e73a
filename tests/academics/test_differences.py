"""AC-20 academic differences: cleared within one academic period, or they become academic debt (AC-14)."""

import itertools
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from academics import rules
from academics.errors import AcademicsError
from academics.models import AcademicDifference
from academics.services.differences import clear_difference, record_difference
from academics.services.gradebook import record_scores, sign_statement
from academics.services.standing import Debt, academic_debts, standing
from portal.models import Role
from tests.academics.factories import DisciplineFactory, OfferingFactory, TermFactory, make_staff
from tests.factories import InstituteFactory, make_student

pytestmark = pytest.mark.django_db
TRANSFER = AcademicDifference.Reason.TRANSFER
SECTIONS = itertools.count(1)


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are checked in English (pages by the language cookie); no language leaks to other tests."""
    with translation.override("en"):
        yield
    translation.activate(settings.LANGUAGE_CODE)


def _client(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def registrar():
    return make_staff(Role.REGISTRAR)


def _signed_grade(student, discipline, r1, r2, exam):
    offering = OfferingFactory.create(discipline=discipline, section=str(next(SECTIONS)))
    teacher = make_staff(Role.TEACHER)
    offering.teachers.add(teacher)
    grade = record_scores(teacher, offering.enrolments.create(student=student), r1=r1, r2=r2, exam=exam)
    sign_statement(teacher, offering)
    grade.refresh_from_db()
    return grade


def test_ac20_rule_uncleared_after_its_period_is_debt():
    """AC-20: the day after the period ends an uncleared difference is debt; on its last day, not yet."""
    end = timezone.localdate()
    assert not rules.difference_becomes_debt(end, end, cleared=False)
    assert rules.difference_becomes_debt(end, end + timedelta(days=1), cleared=False)
    assert not rules.difference_becomes_debt(end, end + timedelta(days=1), cleared=True)


def test_ac20_an_uncleared_difference_after_its_period_counts_as_academic_debt(registrar):
    """AC-20/AC-14: in `standing`, an overdue difference is academic debt; once cleared it is not."""
    student = make_student()
    discipline = DisciplineFactory.create(name_kk="Физика")
    due = timezone.localdate() + timedelta(days=10)
    difference = record_difference(registrar, student, discipline, TRANSFER, due_on=due, document_reference="№ 12-б")
    assert difference.history.get().history_user == registrar
    assert not standing(student, today=due).has_academic_debt
    record = standing(student, today=due + timedelta(days=1))
    assert record.has_academic_debt
    assert record.debts == (Debt("Физика", due.strftime("%d.%m.%Y"), "", False, kind="difference"),)
    clear_difference(registrar, difference, note="Recognised: order № 40")
    assert not standing(student, today=due + timedelta(days=1)).has_academic_debt


def test_ac20_a_term_period_ends_with_its_exam_session(registrar):
    """AC-20: due in a term, the difference becomes debt the day after that term's exam session ends."""
    student = make_student()
    today = timezone.localdate()
    term = TermFactory.create(
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        exams_start=today + timedelta(days=61),
        exams_end=today + timedelta(days=80),
    )
    record_difference(
        registrar, student, DisciplineFactory.create(), AcademicDifference.Reason.REINSTATEMENT, due_term=term
    )
    assert academic_debts(student, term.exams_end) == []
    [debt] = academic_debts(student, term.exams_end + timedelta(days=1))
    assert (debt.kind, debt.term) == ("difference", str(term))


def test_ac14_grade_debts_keep_their_kind():
    """The Debt record other apps read keeps its fields; `kind` defaults to a grade debt."""
    assert Debt("Физика", "2026-2027", "FX", False).kind == "grade"


def test_ac20_cleared_by_a_signed_passing_grade_of_the_discipline_only(registrar):
    student = make_student()
    discipline = DisciplineFactory.create()
    difference = record_difference(
        registrar, student, discipline, AcademicDifference.Reason.MOBILITY, due_on=timezone.localdate()
    )
    fx = _signed_grade(student, discipline, 40, 40, 40)
    other = _signed_grade(student, DisciplineFactory.create(), 90, 90, 90)
    for grade in (fx, other):
        with pytest.raises(AcademicsError):
            clear_difference(registrar, difference, grade=grade)
    with pytest.raises(AcademicsError):
        clear_difference(registrar, difference)  # neither a grade nor a note
    difference.refresh_from_db()
    assert not difference.is_cleared
    passed = _signed_grade(student, discipline, 80, 80, 80)
    cleared = clear_difference(registrar, difference, grade=passed)
    assert (cleared.clearing_grade, cleared.cleared_by, cleared.is_cleared) == (passed, registrar, True)
    with pytest.raises(AcademicsError, match="already cleared"):
        clear_difference(registrar, cleared, note="again")


def test_ac20_bad_input_records_nothing(registrar):
    student = make_student()
    discipline = DisciplineFactory.create()
    today = timezone.localdate()
    term = TermFactory.create(
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(1),
        exams_start=today,
        exams_end=today + timedelta(30),
    )
    with translation.override("en"):
        with pytest.raises(AcademicsError, match="either the term or the date"):
            record_difference(registrar, student, discipline, TRANSFER)
        with pytest.raises(AcademicsError, match="either the term or the date"):
            record_difference(registrar, student, discipline, TRANSFER, due_term=term, due_on=today)
        with pytest.raises(AcademicsError, match="already ended"):
            record_difference(registrar, student, discipline, TRANSFER, due_on=today - timedelta(days=1))
        with pytest.raises(AcademicsError):
            record_difference(registrar, student, discipline, "whim", due_on=today)
    assert not AcademicDifference.objects.exists()
    record_difference(registrar, student, discipline, TRANSFER, due_on=today)
    with pytest.raises(AcademicsError, match="already has an open difference"):
        record_difference(registrar, student, discipline, TRANSFER, due_on=today)
    assert AcademicDifference.objects.count() == 1


def test_ac20_the_database_holds_the_period_and_the_clearing():
    """A difference has exactly one of a term or a date; a cleared one says by whom and how."""
    student = make_student()
    registrar = make_staff(Role.REGISTRAR)
    base = {"student": student, "discipline": DisciplineFactory.create(), "reason": TRANSFER, "recorded_by": registrar}
    with pytest.raises(IntegrityError), transaction.atomic():
        AcademicDifference.objects.create(**base)
    with pytest.raises(IntegrityError), transaction.atomic():
        AcademicDifference.objects.create(
            **base, due_on=timezone.localdate(), cleared_at=timezone.now(), cleared_by=registrar
        )


def test_ac20_dean_records_in_scope_only(registrar):
    """Scope: a dean over the student's institute records; another institute's dean and a student get 403."""
    student = make_student()
    institute = student.group.programme.department.institute
    dean = make_staff(Role.DEAN, institute=institute)
    stranger = make_staff(Role.DEAN, institute=InstituteFactory.create())
    discipline = DisciplineFactory.create()
    data = {
        "student": student.user.id_code,
        "discipline": discipline.pk,
        "reason": "academic_leave",
        "due_on": (timezone.localdate() + timedelta(days=40)).isoformat(),
    }
    assert _client(stranger).post("/academics/differences/manage/", data).status_code == 403
    assert _client(student.user).post("/academics/differences/manage/", data).status_code == 403
    assert _client(student.user).get("/academics/differences/manage/").status_code == 403
    assert not AcademicDifference.objects.exists()
    response = _client(dean).post("/academics/differences/manage/", data, follow=True)
    assert "The academic difference is recorded." in response.content.decode()
    difference = AcademicDifference.objects.get()
    assert (difference.student, difference.recorded_by, difference.reason) == (student, dean, "academic_leave")
    clear_url = f"/academics/differences/{difference.pk}/clear/"
    assert _client(stranger).post(clear_url, {"note": "x"}).status_code == 403
    assert _client(stranger).get(clear_url).status_code == 403
    with pytest.raises(PermissionDenied):
        clear_difference(stranger, difference, note="x")
    difference.refresh_from_db()
    assert not difference.is_cleared
    _client(registrar).post(clear_url, {"note": "Exam passed, statement № 7"})
    difference.refresh_from_db()
    assert difference.is_cleared and difference.clearance_note == "Exam passed, statement № 7"


def test_ac20_unknown_student_id_records_nothing(registrar):
    data = {"student": "000", "discipline": DisciplineFactory.create().pk, "reason": "transfer"}
    response = _client(registrar).post("/academics/differences/manage/", data)
    assert response.status_code == 200 and "No student has this ID." in response.content.decode()
    assert not AcademicDifference.objects.exists()


def test_ac20_student_sees_open_differences_on_their_pages(registrar):
    student = make_student()
    discipline = DisciplineFactory.create(code="PHY101")
    record_difference(registrar, student, discipline, TRANSFER, due_on=timezone.localdate() + timedelta(days=3))
    client = _client(student.user)
    assert "PHY101" in client.get("/academics/differences/").content.decode()
    assert 'id="panel-differences"' in client.get("/dashboard/student/").content.decode()
    other = _client(make_student().user)
    assert "PHY101" not in other.get("/academics/differences/").content.decode()
    assert 'id="panel-differences"' not in other.get("/dashboard/student/").content.decode()


def test_differences_pages_queries_do_not_grow(registrar, django_assert_max_num_queries):
    """Query budgets with 60 differences across students, groups and disciplines."""
    disciplines = DisciplineFactory.create_batch(6)
    due = timezone.localdate() + timedelta(days=5)
    students = [make_student() for _ in range(20)]
    for i, student in enumerate(students):
        for discipline in disciplines[i % 3 :: 2]:
            difference = record_difference(registrar, student, discipline, TRANSFER, due_on=due)
            if i % 4 == 0:
                clear_difference(registrar, difference, note="ok")
    client = _client(registrar)
    with django_assert_max_num_queries(12):
        response = client.get("/academics/differences/manage/?state=all")
    assert response.content.decode().count("<tr>") >= 50
    with django_assert_max_num_queries(12):
        assert client.get("/academics/differences/manage/?state=overdue").status_code == 200
    student_client = _client(students[1].user)
    with django_assert_max_num_queries(10):
        assert student_client.get("/academics/differences/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/dashboard/registrar/").status_code == 200
