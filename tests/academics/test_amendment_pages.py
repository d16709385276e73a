"""Amending a signed grade from the portal (AC-23, AC-09) and the dean's retake permission (AC-07)."""

from decimal import Decimal

import pytest
from django.test import Client

from academics.models import GradeAmendment, GradeRecord, MidtermRetakePermission
from academics.services.gradebook import record_scores, sign_statement
from portal.models import Role
from tests.academics.factories import OfferingFactory, enrol
from tests.factories import RoleAssignmentFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def signed():
    """An offering with one FX and one C grade, signed; and the dean of the students' institute."""
    UniversityFactory.create()
    offering = OfferingFactory.create()
    teacher = UserFactory.create()
    offering.teachers.add(teacher)
    fx = enrol(offering)
    group = fx.student.group
    passed = enrol(offering, group=group)
    offering.groups.add(group)
    record_scores(teacher, fx, r1=40, r2=40, exam=40)  # 40 % -> FX
    record_scores(teacher, passed, r1=70, r2=70, exam=60)  # 66 % -> C
    sign_statement(teacher, offering)
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=group.programme.department.institute)
    return offering, teacher, dean, fx.grade, passed.grade


def test_ac09_ac23_teacher_records_an_fx_retake_from_the_gradebook(signed):
    offering, teacher, _dean, fx, _passed = signed
    client = _client(teacher)
    gradebook = client.get(f"/academics/offerings/{offering.pk}/gradebook/").content.decode()
    url = f"/academics/grades/{fx.pk}/amend/fx_retake/"
    assert url in gradebook
    response = client.post(url, {"exam": "85", "reason": "FX retake", "document_reference": "FX-12, 20.01.2027"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    fx.refresh_from_db()
    # 40 x 0.6 + 85 x 0.4 = 58 -> D+; the teacher's entry stays 40/40/40.
    assert (fx.letter, fx.exam, fx.r1) == ("D+", Decimal(40), Decimal(40))
    assert "D+" in page and "FX-12, 20.01.2027" in page and "FX қайта тапсыру" in page


def test_ac10_a_passed_grade_cannot_be_retaken_from_the_page(signed):
    _offering, teacher, _dean, _fx, passed = signed
    response = _client(teacher).post(
        f"/academics/grades/{passed.pk}/amend/fx_retake/",
        {"exam": "100", "reason": "improve", "document_reference": "X"},
        follow=True,
    )
    assert "Тек FX бағасын қайта тапсыруға болады" in response.content.decode()
    passed.refresh_from_db()
    assert passed.letter == "C" and not GradeAmendment.objects.exists()


def test_ac23_dean_corrects_a_grade_from_the_transcript_and_the_teachers_entry_is_kept(signed):
    _offering, _teacher, dean, _fx, passed = signed
    client = _client(dean)
    student = passed.enrolment.student
    transcript = client.get(f"/academics/students/{student.pk}/transcript/").content.decode()
    url = f"/academics/grades/{passed.pk}/amend/dean_correction/"
    assert url in transcript
    bad = client.post(url, {"exam": "101", "reason": "typo", "document_reference": "No. 5"})
    assert bad.status_code == 200 and not GradeAmendment.objects.exists()
    assert "0-ден 100-ге дейінгі сан болуы керек" in bad.content.decode() and 'value="101"' in bad.content.decode()
    missing = client.post(url, {"exam": "90", "reason": "", "document_reference": ""})
    assert missing.status_code == 200 and not GradeAmendment.objects.exists()
    client.post(url, {"exam": "90", "reason": "Statement typo", "document_reference": "Order No. 5, 01.02.2027"})
    passed.refresh_from_db()
    amendment = GradeAmendment.objects.get()
    assert (amendment.kind, amendment.created_by, amendment.letter) == ("dean_correction", dean, "B-")  # 42 + 36 = 78
    assert passed.exam == Decimal(60) and passed.letter == "B-"
    page = client.get(url).content.decode()
    assert "Order No. 5, 01.02.2027" in page and "66,0" in page  # the teacher's own result is still shown


def test_amendment_pages_are_403_outside_scope_and_change_nothing(signed):
    _offering, teacher, dean, fx, passed = signed
    other_teacher = UserFactory.create()
    data = {"exam": "90", "reason": "x", "document_reference": "y"}
    assert _client(other_teacher).post(f"/academics/grades/{fx.pk}/amend/fx_retake/", data).status_code == 403
    assert _client(teacher).post(f"/academics/grades/{passed.pk}/amend/dean_correction/", data).status_code == 403
    assert _client(passed.enrolment.student.user).get(f"/academics/grades/{fx.pk}/amend/fx_retake/").status_code == 403
    assert _client(dean).get(f"/academics/grades/{fx.pk}/amend/appeal/").status_code == 404
    assert not GradeAmendment.objects.exists()
    assert GradeRecord.objects.get(pk=fx.pk).letter == "FX"


def test_ac07_dean_permits_an_individual_midterm_retake_on_the_admission_page():
    UniversityFactory.create()
    offering = OfferingFactory.create()
    teacher = UserFactory.create()
    offering.teachers.add(teacher)
    weak = enrol(offering)
    offering.groups.add(weak.student.group)
    record_scores(teacher, weak, r1=30, r2=40)
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=weak.student.group.programme.department.institute)
    url = f"/academics/enrolments/{weak.pk}/permit-retake/"
    admission = f"/academics/offerings/{offering.pk}/admission/"
    assert url in _client(dean).get(admission).content.decode()
    assert url not in _client(teacher).get(admission).content.decode()
    assert _client(teacher).post(url, {"document_reference": "No. 1"}).status_code == 403
    _client(dean).post(url, {"document_reference": ""})
    assert not MidtermRetakePermission.objects.exists()
    _client(dean).post(url, {"document_reference": "Decision No. 7, 10.12.2026"})
    permission = MidtermRetakePermission.objects.get()
    assert permission.granted_by == dean and permission.history.first().history_user == dean
    body = _client(dean).get(admission).content.decode()
    assert "Decision No. 7, 10.12.2026" in body and "жіберілді" in body
