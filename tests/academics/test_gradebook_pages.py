"""The teacher's gradebook page and the student's grades panel."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from academics.models import GradeRecord
from portal.models import Role
from tests.academics.factories import OfferingFactory, enrol
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    teacher = UserFactory.create()
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    offering = OfferingFactory.create()
    offering.teachers.add(teacher)
    enrolments = [enrol(offering) for _ in range(3)]
    client = Client()
    client.force_login(teacher)
    return teacher, offering, enrolments, client


def _form(enrolments, **override):
    data = {}
    for e in enrolments:
        data.update({f"r1-{e.pk}": "80", f"r2-{e.pk}": "90", f"exam-{e.pk}": "70", f"current_control-{e.pk}": "85"})
    data.update(override)
    return data


def test_teacher_saves_the_gradebook_and_sees_computed_letters(setup):
    """AC-04/AC-05: entered on the page, computed on the server: 79 % -> B-."""
    _, offering, enrolments, client = setup
    response = client.post(f"/academics/offerings/{offering.pk}/gradebook/", _form(enrolments), follow=True)
    assert "Бағалар сақталды." in response.content.decode()
    assert GradeRecord.objects.filter(letter="B-").count() == 3
    assert "B-" in response.content.decode()


def test_one_bad_row_saves_nothing_and_is_marked(setup):
    """Bad input: a score of 120 in one row: a Kazakh error on that row, no grade saved at all."""
    _, offering, enrolments, client = setup
    bad = {f"exam-{enrolments[1].pk}": "120"}
    response = client.post(f"/academics/offerings/{offering.pk}/gradebook/", _form(enrolments, **bad))
    body = response.content.decode()
    assert response.status_code == 200
    assert "0-ден 100-ге дейінгі сан болуы керек" in body
    assert 'value="120"' in body  # what the teacher typed is kept
    assert GradeRecord.objects.count() == 0


def test_another_teacher_gets_403_and_changes_nothing(setup):
    """Scope: a teacher on another teacher's offering."""
    _, offering, enrolments, _client = setup
    other = Client()
    other.force_login(UserFactory.create())
    assert other.get(f"/academics/offerings/{offering.pk}/gradebook/").status_code == 403
    assert other.post(f"/academics/offerings/{offering.pk}/gradebook/", _form(enrolments)).status_code == 403
    assert other.post(f"/academics/offerings/{offering.pk}/sign/").status_code == 403
    assert GradeRecord.objects.count() == 0


def test_signing_from_the_page_freezes_the_inputs(setup):
    """AC-23: after signing the page shows no editable inputs and a POST changes nothing."""
    _, offering, enrolments, client = setup
    client.post(f"/academics/offerings/{offering.pk}/gradebook/", _form(enrolments))
    response = client.post(f"/academics/offerings/{offering.pk}/sign/", follow=True)
    body = response.content.decode()
    assert "Емтихан ведомосіне қол қойылды" in body
    assert 'id="sign-statement"' not in body
    client.post(
        f"/academics/offerings/{offering.pk}/gradebook/", _form(enrolments, **{f"exam-{enrolments[0].pk}": "100"})
    )
    assert GradeRecord.objects.get(enrolment=enrolments[0]).exam == Decimal(70)


def test_gradebook_query_count_is_fixed(setup, django_assert_max_num_queries):
    """The gradebook page of a 30-student offering stays within 12 queries."""
    _teacher, offering, _enrolments, client = setup
    for _ in range(27):
        enrol(offering)
    client.post(f"/academics/offerings/{offering.pk}/gradebook/", _form(list(offering.enrolments.all())))
    with django_assert_max_num_queries(12):
        response = client.get(f"/academics/offerings/{offering.pk}/gradebook/")
    assert response.content.decode().count("B-") == 30


def test_teacher_dashboard_lists_offerings_and_student_sees_grades(setup):
    _teacher, offering, enrolments, client = setup
    body = client.get("/dashboard/teacher/").content.decode()
    assert f"/academics/offerings/{offering.pk}/gradebook/" in body
    client.post(f"/academics/offerings/{offering.pk}/gradebook/", _form(enrolments))
    student = Client()
    student.force_login(enrolments[0].student.user)
    body = student.get("/dashboard/student/").content.decode()
    assert str(offering.discipline) in body
    assert "B-" in body


def test_decimal_commas_are_accepted_and_the_page_can_be_saved_again_as_shown(setup):
    """kk/ru users type 80,5; the page shows saved scores with a comma and saving it again works."""
    _, offering, enrolments, client = setup
    url = f"/academics/offerings/{offering.pk}/gradebook/"
    client.post(url, _form(enrolments, **{f"r1-{enrolments[0].pk}": "80,5"}))
    assert GradeRecord.objects.get(enrolment=enrolments[0]).r1 == Decimal("80.5")
    body = client.get(url).content.decode()
    assert 'value="80,50"' in body
    resubmit = _form(enrolments, **{f"r1-{enrolments[0].pk}": "80,50", f"exam-{enrolments[1].pk}": "75,00"})
    response = client.post(url, resubmit, follow=True)
    assert "Бағалар сақталды." in response.content.decode()
    assert GradeRecord.objects.get(enrolment=enrolments[1]).exam == Decimal(75)


def test_signing_issues_the_exam_statement_pdf_with_a_registration_number(setup):
    """AC-23/PT-07: the signed statement is stored as a PDF with its number; others cannot download it."""
    import io

    from pypdf import PdfReader

    from tests.factories import UniversityFactory

    UniversityFactory.create()
    _, offering, enrolments, client = setup
    client.post(f"/academics/offerings/{offering.pk}/gradebook/", _form(enrolments))
    client.post(f"/academics/offerings/{offering.pk}/sign/")
    offering.refresh_from_db()
    assert offering.statement is not None
    assert offering.statement.registration_number.startswith(offering.discipline.code)
    response = client.get(f"/academics/offerings/{offering.pk}/statement.pdf")
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "exam-statement-kk.pdf").write_bytes(response.content)  # kept to look at
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Емтихан ведомосі" in text
    assert text.count("B-") == 3
    assert offering.statement.registration_number in "".join(text.split())
    outsider = Client()
    outsider.force_login(UserFactory.create())
    assert outsider.get(f"/academics/offerings/{offering.pk}/statement.pdf").status_code == 403


def test_ac01_ac03_scores_outside_their_entry_window_are_refused_row_by_row_and_nothing_is_saved(setup):
    """AC-01/AC-03: R1 only in its window; the refused page keeps what was typed; open components still save."""
    _, offering, enrolments, client = setup
    today = timezone.localdate()
    term = offering.term
    term.r1_entry_opens, term.r1_entry_closes = today - timedelta(days=30), today - timedelta(days=1)
    term.r2_entry_opens, term.r2_entry_closes = today - timedelta(days=1), today + timedelta(days=10)
    term.exam_entry_opens, term.exam_entry_closes = today + timedelta(days=20), today + timedelta(days=40)
    term.save()
    url = f"/academics/offerings/{offering.pk}/gradebook/"
    response = client.post(url, _form(enrolments, **{f"r1-{enrolments[0].pk}": "77"}))
    body = response.content.decode()
    assert response.status_code == 200
    closes = (today - timedelta(days=1)).strftime("%d.%m.%Y")
    assert f"тек {(today - timedelta(days=30)).strftime('%d.%m.%Y')} мен {closes} аралығында енгізіледі" in body
    assert 'value="77"' in body
    assert GradeRecord.objects.count() == 0
    only_r2 = {f"r2-{e.pk}": "66" for e in enrolments}
    assert client.post(url, only_r2).status_code == 302
    assert list(GradeRecord.objects.values_list("r2", flat=True)) == [Decimal(66)] * 3
    assert set(GradeRecord.objects.values_list("r1", flat=True)) == {None}
