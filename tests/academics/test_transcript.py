"""AC-19: the transcript as a page and a PDF, in kk/ru/en, for the student and staff in scope only."""

import io
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from academics.services.gradebook import record_scores, sign_statement
from portal.models import Role
from tests.academics.factories import OfferingFactory, TermFactory
from tests.factories import RoleAssignmentFactory, UniversityFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"


@pytest.fixture
def graded_student():
    UniversityFactory.create()
    student = make_student()
    term = TermFactory.create()
    for name, credits, scores in (("Алгоритмдер", 5, (96, 96, 96)), ("Қазақ тілі", 3, (66, 66, 66))):
        offering = OfferingFactory.create(term=term, discipline__name_kk=name, discipline__credits=credits)
        teacher = UserFactory.create()
        offering.teachers.add(teacher)
        enrolment = offering.enrolments.create(student=student)
        record_scores(teacher, enrolment, r1=scores[0], r2=scores[1], exam=scores[2])
        sign_statement(teacher, offering)
    draft = OfferingFactory.create(term=term, discipline__name_kk="Жоба пән")
    teacher = UserFactory.create()
    draft.teachers.add(teacher)
    record_scores(teacher, draft.enrolments.create(student=student), r1=10, r2=10, exam=10)
    return student


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_ac19_transcript_page_lists_signed_grades_credits_and_gpa(graded_student):
    """AC-19: A x 5 and C x 3 -> GPA 3.25 over 8 credits; the unsigned draft is not on it."""
    body = _client(graded_student.user).get("/academics/transcript/").content.decode()
    assert "Алгоритмдер" in body and "Қазақ тілі" in body
    assert "Жоба пән" not in body
    assert "3,25" in body  # GPA, formatted for Kazakh
    assert ">8<" in body.replace(" ", "")


@pytest.mark.parametrize(("lang", "title"), [("kk", "Транскрипт"), ("ru", "Транскрипт"), ("en", "Transcript")])
def test_ac19_transcript_pdf_in_three_languages(graded_student, lang, title):
    """AC-19: the PDF carries the disciplines, letters and GPA; Kazakh words come out intact."""
    response = _client(graded_student.user).get(f"/academics/transcript.pdf?lang={lang}")
    assert response["Content-Type"] == "application/pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"transcript-{lang}.pdf").write_bytes(response.content)  # kept to look at
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert title in text
    assert "Алгоритмдер" in text and "Қазақ тілі" in text
    assert "3.25" in text or "3,25" in text
    assert graded_student.user.full_name.replace(" ", "") in "".join(text.split())  # the cell may wrap


def test_ac19_another_student_gets_403_staff_in_scope_see_it(graded_student):
    """Scope: a student on another student's transcript: 403; the group's advisor and a dean of another
    institute: 200 and 403."""
    other = make_student()
    url = f"/academics/students/{graded_student.pk}/transcript/"
    assert _client(other.user).get(url).status_code == 403
    assert _client(other.user).get(f"/academics/students/{graded_student.pk}/transcript.pdf").status_code == 403
    advisor = UserFactory.create()
    RoleAssignmentFactory.create(user=advisor, role=Role.ADVISOR, group=graded_student.group)
    assert _client(advisor).get(url).status_code == 200
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=other.group.programme.department.institute)
    assert _client(dean).get(url).status_code == 403


def test_transcript_page_query_count_is_fixed(graded_student, django_assert_max_num_queries):
    """The transcript page stays within 12 queries however many grades there are."""
    term = TermFactory.create()
    teacher = UserFactory.create()
    for _ in range(20):
        offering = OfferingFactory.create(term=term)
        offering.teachers.add(teacher)
        record_scores(teacher, offering.enrolments.create(student=graded_student), r1=80, r2=80, exam=80)
        sign_statement(teacher, offering)
    client = _client(graded_student.user)
    with django_assert_max_num_queries(12):
        response = client.get("/academics/transcript/")
    assert response.content.decode().count("<td>B</td>") == 20
