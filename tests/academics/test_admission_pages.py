"""Pages for attendance (AC-24) and the exam admission list with its PDF (AC-06)."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from academics.models import AttendanceMark
from academics.services.gradebook import record_scores
from portal.models import Role
from tests.academics.factories import OfferingFactory, enrol
from tests.factories import RoleAssignmentFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    UniversityFactory.create()
    offering = OfferingFactory.create(discipline__name_kk="Физика")
    offering.teachers.add(UserFactory.create())
    return offering


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_ac24_teacher_marks_attendance_on_the_page(offering):
    a, b = enrol(offering), enrol(offering)
    client = _client(offering.teachers.get())
    url = f"/academics/offerings/{offering.pk}/attendance/"
    response = client.post(url, {"held_on": "07.09.2026", "number": 1, "present": [a.pk]}, follow=True)
    assert "Қатысу сақталды." in response.content.decode()
    assert dict(AttendanceMark.objects.values_list("enrolment_id", "present")) == {a.pk: True, b.pk: False}
    again = client.post(url, {"held_on": "07.09.2026", "number": 1, "present": [a.pk, b.pk]}, follow=True)
    assert "Бұл сабаққа қатысу бұрын белгіленген." in again.content.decode()
    assert AttendanceMark.objects.count() == 2
    bad = client.post(url, {"held_on": "32.13.2026", "number": 1})
    assert bad.status_code == 200 and AttendanceMark.objects.count() == 2
    assert _client(UserFactory.create()).post(url, {"held_on": "08.09.2026", "number": 1}).status_code == 403


def test_ac06_admission_page_and_pdf_show_reasons_in_kazakh(offering):
    teacher = offering.teachers.get()
    weak = enrol(offering)
    record_scores(teacher, weak, r1=40, r2=45)
    body = _client(teacher).get(f"/academics/offerings/{offering.pk}/admission/").content.decode()
    assert "аралық бақылаудың орташасы шектен төмен (ең азы 50)" in body
    pdf = _client(teacher).get(f"/academics/offerings/{offering.pk}/admission.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Физика" in text and "жіберілмеді" in text


def test_admission_list_scope(offering):
    """A dean over one of the offering's groups sees it; a student does not (403)."""
    student = enrol(offering).student
    offering.groups.add(student.group)
    dean = UserFactory.create()
    RoleAssignmentFactory.create(user=dean, role=Role.DEAN, institute=student.group.programme.department.institute)
    assert _client(dean).get(f"/academics/offerings/{offering.pk}/admission/").status_code == 200
    assert _client(student.user).get(f"/academics/offerings/{offering.pk}/admission/").status_code == 403
