"""Exam-grade appeal pages (AP-18, AP-22): the student's form and list, the step page, the boards."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academics.models import GradeAmendment, GradeRecord
from appeals.models import Application, GradeAppeal, Hearing, Outcome, Status
from appeals.panels_grades import dean_grade_appeals
from appeals.services import grades
from portal.models import Role
from tests.academics.factories import make_staff
from tests.appeals.factories import make_school
from tests.appeals.grades_support import REASON, client_for, file_appeal, make_grade_school, make_head, signed_enrolment

pytestmark = pytest.mark.django_db
Stage = GradeAppeal.Stage
NEW = reverse("appeals:grade_appeal_new")
MINE = reverse("appeals:my_grade_appeals")
LIST = reverse("appeals:grade_appeals")


def step(case):
    return reverse("appeals:grade_appeal", args=[case.pk])


def test_ap18_the_form_offers_only_the_students_signed_grades():
    """AC-23: a grade is appealed once its statement is signed; another student's grades are not offered."""
    gs = make_grade_school()
    unsigned = signed_enrolment(gs.school.student, signed=False, name="Химия")
    stranger = signed_enrolment(make_school().student, name="Биология")
    page = client_for(gs.student).get(NEW).content.decode()
    assert f'value="{gs.enrolment.pk}"' in page and "Физика" in page
    assert f'value="{unsigned.pk}"' not in page and f'value="{stranger.pk}"' not in page
    assert 'name="question_number"' in page and 'value="outside_syllabus"' in page


def test_ap18_a_student_files_an_appeal_and_sees_it_in_my_grade_appeals():
    gs = make_grade_school()
    client = client_for(gs.student)
    data = {"enrolment": gs.enrolment.pk, "question_number": 7, "ground": "several_correct", "text": REASON}
    response = client.post(NEW, data)
    assert response.status_code == 302 and response["Location"] == MINE
    case = Application.objects.get()
    assert (case.grade_appeal.question_number, case.grade_appeal.ground) == (7, "several_correct")
    page = client.get(MINE).content.decode()
    assert case.number in page and reverse("appeals:case", args=[case.pk]) in page


@pytest.mark.parametrize(
    "change", [{"question_number": 0}, {"ground": "too_hard"}, {"text": "қысқа"}, {"enrolment": 999999}]
)
def test_ap18_bad_input_shows_the_form_again_and_stores_nothing(change):
    gs = make_grade_school()
    data = {"enrolment": gs.enrolment.pk, "question_number": 7, "ground": "several_correct", "text": REASON}
    response = client_for(gs.student).post(NEW, {**data, **change})
    assert response.status_code == 200 and 'id="grade-appeal-form"' in response.content.decode()
    assert not Application.objects.exists()


def test_ap18_staff_without_a_student_profile_cannot_file():
    gs = make_grade_school()
    assert client_for(gs.dean).get(NEW).status_code == 403


def test_ap18_the_dean_forwards_on_the_step_page_then_the_head_upholds():
    """AP-18, AC-23: dean -> head of department -> upheld with the exam 60 -> 85: 76 % B-."""
    gs = make_grade_school()
    case = file_appeal(gs)
    dean = client_for(gs.dean)
    page = dean.get(step(case)).content.decode()
    assert 'id="forward"' in page and gs.head.full_name in page and 'id="uphold"' not in page
    response = dean.post(step(case), {"action": "forward", "forward-head": gs.head.pk})
    assert response.status_code == 302
    assert GradeAppeal.objects.get().stage == Stage.DEPARTMENT
    head = client_for(gs.head)
    page = head.get(step(case)).content.decode()
    assert 'id="uphold"' in page and 'id="forward"' not in page
    response = head.post(
        step(case), {"action": "uphold", "uphold-exam": "85", "uphold-answer": "Сұрақ қате құрастырылған."}
    )
    assert response.status_code == 302
    grade = GradeRecord.objects.get(enrolment=gs.enrolment)
    assert (grade.final_percent, grade.letter) == (Decimal(76), "B-")
    assert Application.objects.get().outcome == Outcome.UPHELD
    mine = client_for(gs.student).get(MINE).content.decode()
    assert "B-" in mine and "76" in mine


def test_ap18_bad_scores_on_the_step_page_show_the_error_and_change_nothing():
    gs = make_grade_school()
    case = file_appeal(gs)
    grades.forward_to_department(gs.dean, case, gs.head)
    response = client_for(gs.head).post(
        step(case), {"action": "uphold", "uphold-exam": "150", "uphold-answer": "Сұрақ қате құрастырылған."}
    )
    assert response.status_code == 200 and "150" in response.content.decode()
    assert not GradeAmendment.objects.exists() and GradeAppeal.objects.get().stage == Stage.DEPARTMENT


def test_ap22_the_head_sends_the_intended_refusal_first():
    gs = make_grade_school()
    case = file_appeal(gs)
    grades.forward_to_department(gs.dean, case, gs.head)
    head = client_for(gs.head)
    assert 'name="hearing-intended"' in head.get(step(case)).content.decode()
    response = head.post(step(case), {"action": "hearing", "hearing-intended": "Сұрақ силлабусқа сәйкес."})
    assert response.status_code == 302 and case.hearings.count() == 1
    page = head.get(step(case)).content.decode()
    assert 'name="refuse-answer"' not in page  # the 3 working days have not passed and no answer yet
    response = head.post(step(case), {"action": "refuse", "refuse-answer": "Бас тартылды."})
    assert response.status_code == 200
    assert Application.objects.get().status == Status.IN_REVIEW
    # The 3 working days are over: the refusal can be given; the grade stays.
    Hearing.objects.update(answer_due=timezone.localdate() - timedelta(days=1))
    assert 'name="refuse-answer"' in head.get(step(case)).content.decode()
    answer = "Сұрақ дұрыс, апелляция қанағаттандырылмайды."
    response = head.post(step(case), {"action": "refuse", "refuse-answer": answer})
    assert response.status_code == 302
    row = GradeAppeal.objects.get()
    assert (row.stage, row.upheld, row.application.outcome) == (Stage.DECIDED, False, Outcome.REFUSED)
    assert GradeRecord.objects.get(enrolment=gs.enrolment).letter == "C"


def test_ap18_anyone_but_the_dean_and_the_head_gets_403_and_nothing_changes():
    gs = make_grade_school()
    case = file_appeal(gs)
    other_dean = make_school().dean
    other_head = make_head(gs.department)  # a second head, not the one forwarded to
    grades.forward_to_department(gs.dean, case, gs.head)
    for person in (gs.student, other_dean, other_head, gs.school.teacher):
        client = client_for(person)
        assert client.get(step(case)).status_code == 403
        data = {"action": "uphold", "uphold-exam": "100", "uphold-answer": "Қайта есептелді."}
        assert client.post(step(case), data).status_code == 403
    data = {"action": "uphold", "uphold-exam": "100", "uphold-answer": "Қайта есептелді."}
    assert client_for(gs.dean).post(step(case), data).status_code == 403  # the dean forwards, the head decides
    assert not GradeAmendment.objects.exists() and GradeAppeal.objects.get().stage == Stage.DEPARTMENT


def test_ap18_the_lists_are_searchable_paginated_and_scoped():
    gs = make_grade_school()
    first = file_appeal(gs, question=1)
    other = make_grade_school()
    foreign = file_appeal(other, question=2)
    page = client_for(gs.dean).get(LIST).content.decode()
    assert first.number in page and foreign.number not in page
    assert first.number not in client_for(gs.dean).get(LIST, {"q": "nothing-like-it"}).content.decode()
    assert first.number in client_for(gs.dean).get(LIST, {"stage": "dean"}).content.decode()
    assert first.number not in client_for(gs.dean).get(LIST, {"stage": "department"}).content.decode()
    assert first.number not in client_for(gs.head).get(LIST).content.decode()  # not forwarded to this head yet
    grades.forward_to_department(gs.dean, first, gs.head)
    assert first.number in client_for(gs.head).get(LIST).content.decode()
    assert client_for(gs.student).get(LIST).status_code == 403
    assert foreign.number not in client_for(gs.student).get(MINE).content.decode()


def _many_appeals(gs, n):
    for question in range(2, n + 2):
        file_appeal(gs, question=question)


@pytest.mark.parametrize("url_for", ["mine", "list"])
def test_the_lists_query_count_does_not_grow_with_rows(url_for, django_assert_max_num_queries):
    gs = make_grade_school()
    _many_appeals(gs, 25)
    user, url = (gs.student, MINE) if url_for == "mine" else (gs.dean, LIST)
    client = client_for(user)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count("<tr>") == 21  # the header and a page of 20


def _queries(client, url):
    client.get(url)  # the first request of a session writes it
    with CaptureQueriesContext(connection) as context:
        page = client.get(url).content.decode()
    return len(context), page


def test_the_boards_show_the_grade_appeals_at_each_stage_in_queries_that_do_not_grow():
    gs = make_grade_school()
    file_appeal(gs, question=1)
    student, dean = client_for(gs.student), client_for(gs.dean)
    student_board, dean_board = reverse("dashboard", args=["student"]), reverse("dashboard", args=["dean"])
    few = (_queries(student, student_board)[0], _queries(dean, dean_board)[0])
    _many_appeals(gs, 8)
    count, page = _queries(student, student_board)
    assert count == few[0] and 'id="panel-grade-appeals"' in page
    pks = Application.objects.values_list("pk", flat=True)
    panel = page[page.index('id="panel-grade-appeals"') :]
    panel = panel[: panel.index("</ul>")]  # other panels on the board link to the same cases
    shown = [pk for pk in pks if reverse("appeals:case", args=[pk]) in panel]
    assert len(shown) == 5
    count, page = _queries(dean, dean_board)
    assert count == few[1] and 'id="panel-grade-appeals-dean"' in page
    case = Application.objects.order_by("pk")[0]
    grades.forward_to_department(gs.dean, case, gs.head)
    page = client_for(gs.head).get(reverse("dashboard", args=["head"])).content.decode()
    assert 'id="panel-grade-appeals-head"' in page and case.number in page


def test_ap18_the_case_page_block_shows_the_outcome_to_the_student():
    """AP-18: the outcome is shown in the portal: the block the case page includes names the new grade."""
    gs = make_grade_school()
    case = file_appeal(gs, question=7)
    html = render_to_string("appeals/grades/includes/case_grade_appeal.html", {"application": case})
    assert 'id="grade-appeal-outcome"' in html and "Физика" in html and "7" in html
    grades.forward_to_department(gs.dean, case, gs.head)
    grades.uphold(gs.head, case, "Сұрақ қате құрастырылған.", None, None, "85")
    case = Application.objects.get(pk=case.pk)
    html = render_to_string("appeals/grades/includes/case_grade_appeal.html", {"application": case})
    assert "B- (76%)" in html
    plain = Application.objects.create(
        number="X-1",
        registered_on=case.registered_on,
        received_at=case.received_at,
        institute=case.institute,
        kind="complaint",
        applicant_type="student",
        applicant=gs.student,
        subject="s",
        text="t",
        due_on=case.due_on,
    )
    assert 'id="grade-appeal-outcome"' not in render_to_string(
        "appeals/grades/includes/case_grade_appeal.html", {"application": plain}
    )


def test_ap18_the_deans_panel_shows_only_the_deans_institutes():
    gs, other = make_grade_school(), make_grade_school()
    mine, theirs = file_appeal(gs), file_appeal(other)

    def shown(user):
        panel = dean_grade_appeals(user)
        assert panel is not None
        return {row.application for row in panel.context["rows"]}  # type: ignore[attr-defined]

    assert shown(gs.dean) == {mine}
    assert shown(make_staff(Role.DEAN)) == {mine, theirs}  # a university-wide dean's role
    assert dean_grade_appeals(gs.head) is None and dean_grade_appeals(gs.student) is None
