"""Exam-grade appeals (AP-18, AC-22, AC-23), the services: filing, forwarding, deciding."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from academics.models import GradeAmendment, GradeRecord
from appeals.errors import AppealError
from appeals.models import Application, Body, Event, GradeAppeal, Kind, Level, Outcome, Status
from appeals.services import grades
from appeals.services.grades import GradeAppealFiling, file_grade_appeal
from portal.models import Notification
from tests.appeals.factories import at, make_school
from tests.appeals.grades_support import REASON, file_appeal, make_grade_school, make_head, signed_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The errors are matched by their English msgids, whatever the catalogues hold."""
    with translation.override("en"):
        yield


Stage = GradeAppeal.Stage


def _appeal(gs, **kwargs):
    data = {"enrolment": gs.enrolment, "question_number": 7, "ground": "no_correct_answer", "text": REASON}
    return GradeAppealFiling(**{**data, **kwargs})


def test_ap18_a_student_appeals_a_signed_grade_registered_like_every_application():
    """AP-18, AP-04, AP-06: number, date and a due date 15 working days on (19.01.2027 -> 09.02.2027), to the
    dean of the student's school; the question and the AC-22 ground are kept."""
    gs = make_grade_school("IT")
    case = file_appeal(gs, question=7, ground="no_correct_answer")
    assert (case.number, case.kind, case.status) == ("IT-2027/00001", Kind.GRADE_APPEAL, Status.REGISTERED)
    assert (case.registered_on, case.due_on) == (date(2027, 1, 19), date(2027, 2, 9))
    assert case.institute == gs.school.institute and case.applicant == gs.student
    row = case.grade_appeal
    assert (row.enrolment, row.question_number, row.ground, row.stage) == (gs.enrolment, 7, "no_correct_answer", "dean")
    assert "Физика" in case.subject and "7" in case.subject
    assert list(case.events.values_list("type", flat=True)) == [Event.Type.REGISTERED]
    assert Notification.objects.filter(recipient=gs.dean, subject__contains=case.number).exists()


def test_ap18_the_handbook_sets_no_time_limit_a_year_old_grade_can_be_appealed():
    """AP-18 (004 "Апелляция рәсімі"): the handbook names no period for filing, so a grade signed
    15.01.2026 is appealed on 19.01.2027 and registered."""
    gs = make_grade_school()
    GradeRecord.objects.filter(enrolment=gs.enrolment).update(signed_at=datetime(2026, 1, 15, tzinfo=ZoneInfo("UTC")))
    case = file_appeal(gs, now=at(2027, 1, 19))
    assert case.registered_on == date(2027, 1, 19) and case.grade_appeal.stage == Stage.DEAN


def test_ac23_a_grade_not_yet_signed_cannot_be_appealed_and_nothing_is_stored():
    """AC-23: the grade is final (frozen) once the exam statement is signed; before that there is no appeal."""
    gs = make_grade_school()
    unsigned = signed_enrolment(gs.school.student, signed=False)
    with pytest.raises(AppealError, match="signed"):
        file_grade_appeal(gs.student, _appeal(gs, enrolment=unsigned), now=at(2027, 1, 19))
    assert not Application.objects.exists() and not GradeAppeal.objects.exists()


def test_ap18_only_the_students_own_discipline_can_be_appealed():
    gs = make_grade_school()
    other = make_school()
    with pytest.raises(AppealError, match="own"):
        file_grade_appeal(other.student.user, _appeal(gs), now=at(2027, 1, 19))
    with pytest.raises(AppealError, match="students"):
        file_grade_appeal(gs.dean, _appeal(gs), now=at(2027, 1, 19))
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question_number": 0}, "1 to 999"),
        ({"question_number": 1000}, "1 to 999"),
        ({"ground": "too_hard"}, "ground"),
        ({"text": "қысқа"}, "substance"),
    ],
)
def test_ac22_bad_question_or_ground_is_refused_and_nothing_stored(kwargs, message):
    """AC-22: only the four grounds; the question is numbered 1..999; the text states the substance."""
    gs = make_grade_school()
    with pytest.raises(AppealError, match=message):
        file_grade_appeal(gs.student, _appeal(gs, **kwargs), now=at(2027, 1, 19))
    assert not Application.objects.exists() and not GradeAppeal.objects.exists()


@pytest.mark.parametrize("ground", ["badly_worded", "no_correct_answer", "several_correct", "outside_syllabus"])
def test_ac22_each_of_the_four_grounds_is_accepted(ground):
    gs = make_grade_school()
    assert file_appeal(gs, ground=ground).grade_appeal.ground == ground


def test_ap18_the_same_question_is_not_appealed_twice_while_pending():
    gs = make_grade_school()
    file_appeal(gs, question=7)
    with pytest.raises(AppealError, match="already"):
        file_appeal(gs, question=7)
    assert file_appeal(gs, question=8).grade_appeal.question_number == 8


def test_ap18_the_dean_forwards_to_the_head_of_department_who_is_assigned_and_told():
    """AP-18: dean -> head of department: stage "department", the head a handler, the case at the
    department level (its decision is appealed to the dean, AP-14)."""
    gs = make_grade_school()
    case = file_appeal(gs)
    grades.forward_to_department(gs.dean, case, gs.head)
    case.refresh_from_db()
    assert case.grade_appeal.stage == Stage.DEPARTMENT
    assert (case.status, case.body, case.level, case.department) == (
        Status.IN_REVIEW,
        Body.DEPARTMENT,
        Level.DEPARTMENT,
        gs.department,
    )
    assert list(case.handlers.all()) == [gs.head]
    assert Notification.objects.filter(recipient=gs.head, subject__contains=case.number).exists()
    assert {Event.Type.ROUTED, Event.Type.ASSIGNED} <= set(case.events.values_list("type", flat=True))
    assert case.grade_appeal.history.first().history_user == gs.dean


def test_ap18_only_the_dean_forwards_and_only_to_the_students_department_head():
    gs = make_grade_school()
    case = file_appeal(gs)
    other_dean = make_school().dean
    for stranger in (gs.head, gs.student, other_dean):
        with pytest.raises(PermissionDenied):
            grades.forward_to_department(stranger, case, gs.head)
    other_head = make_head(make_school().student.group.programme.department)
    with pytest.raises(AppealError, match="head"):
        grades.forward_to_department(gs.dean, case, other_head)
    case.refresh_from_db()
    assert (case.grade_appeal.stage, case.status) == (Stage.DEAN, Status.REGISTERED)
    assert not case.assignments.exists()
    grades.forward_to_department(gs.dean, case, gs.head)
    with pytest.raises(AppealError, match="not possible"):
        grades.forward_to_department(gs.dean, case, gs.head)


def test_ap18_ac23_upheld_the_grade_changes_through_academics_as_an_audited_amendment():
    """AC-23: exam 60 -> 85 gives 70 x 0.6 + 85 x 0.4 = 76 % (B-, 2.67); the teacher's entry stays; the
    amendment names the case number and date; the case is answered "upheld"."""
    gs = make_grade_school("IT")
    case = file_appeal(gs)
    grades.forward_to_department(gs.dean, case, gs.head)
    row = grades.uphold(gs.head, case, "7-сұрақтың дұрыс жауабы жоқ: балл қайта есептелді.", None, None, "85")
    grade = GradeRecord.objects.get(enrolment=gs.enrolment)
    assert (grade.r1, grade.r2, grade.exam) == (Decimal(70), Decimal(70), Decimal(60))
    assert (grade.final_percent, grade.letter, grade.points) == (Decimal(76), "B-", Decimal("2.67"))
    amendment = row.amendment
    assert amendment is not None
    assert amendment.kind == GradeAmendment.Kind.APPEAL and amendment.created_by == gs.head
    assert amendment.document_reference == "IT-2027/00001, 19.01.2027"
    assert "7" in amendment.reason
    assert (row.upheld, row.stage) == (True, Stage.DECIDED)
    case.refresh_from_db()
    assert (case.status, case.outcome, case.answered_by) == (Status.ANSWERED, Outcome.UPHELD, gs.head)
    event = case.events.get(type=Event.Type.GRADE_CHANGED)
    assert event.public and event.note == "Физика: C (66%) → B- (76%)"
    assert grade.history.first().history_user == gs.head


def test_ap18_only_the_head_it_was_forwarded_to_decides():
    gs = make_grade_school()
    case = file_appeal(gs)
    with pytest.raises(PermissionDenied):  # not forwarded yet
        grades.uphold(gs.head, case, "Қайта есептелді", None, None, "85")
    grades.forward_to_department(gs.dean, case, gs.head)
    second_head = make_head(gs.department)
    for stranger in (gs.dean, gs.student, second_head):
        with pytest.raises(PermissionDenied):
            grades.uphold(stranger, case, "Қайта есептелді", None, None, "85")
    assert not GradeAmendment.objects.exists()
    assert GradeRecord.objects.get(enrolment=gs.enrolment).letter == "C"


@pytest.mark.parametrize(("scores", "message"), [(("", "", ""), "new scores"), (("", "", "101"), "0 to 100")])
def test_ap18_bad_scores_are_refused_and_nothing_changes(scores, message):
    gs = make_grade_school()
    case = file_appeal(gs)
    grades.forward_to_department(gs.dean, case, gs.head)
    with pytest.raises(AppealError, match=message):
        grades.uphold(gs.head, case, "Қайта есептелді", *scores)
    case.refresh_from_db()
    assert (case.status, case.grade_appeal.stage, case.grade_appeal.amendment) == (
        Status.IN_REVIEW,
        Stage.DEPARTMENT,
        None,
    )
    assert not GradeAmendment.objects.exists()
    assert not case.events.filter(type=Event.Type.GRADE_CHANGED).exists()


def test_ap22_a_refusal_waits_for_the_hearing_then_the_grade_stays():
    """AP-22: the intended refusal is sent on 20.01.2027; the student may answer by 25.01.2027 (3 working
    days); the head refuses on 26.01.2027 and the grade is unchanged."""
    gs = make_grade_school()
    case = file_appeal(gs)
    grades.forward_to_department(gs.dean, case, gs.head)
    with pytest.raises(AppealError, match="3 working days"):
        grades.refuse(gs.head, case, "Сұрақ дұрыс құрастырылған.", today=date(2027, 1, 20))
    hearing = grades.send_intended_refusal(gs.head, case, "7-сұрақ силлабусқа сәйкес.", today=date(2027, 1, 20))
    assert hearing.answer_due == date(2027, 1, 25)
    with pytest.raises(AppealError, match="3 working days"):
        grades.refuse(gs.head, case, "Сұрақ дұрыс құрастырылған.", today=date(2027, 1, 25))
    row = grades.refuse(gs.head, case, "Сұрақ дұрыс құрастырылған.", today=date(2027, 1, 26))
    assert (row.upheld, row.stage, row.amendment) == (False, Stage.DECIDED, None)
    case.refresh_from_db()
    assert (case.status, case.outcome, case.answered_on) == (Status.ANSWERED, Outcome.REFUSED, date(2027, 1, 26))
    assert GradeRecord.objects.get(enrolment=gs.enrolment).letter == "C"
    assert not GradeAmendment.objects.exists()
    with pytest.raises(AppealError, match="not possible"):
        grades.uphold(gs.head, case, "Қайта есептелді", None, None, "85")
