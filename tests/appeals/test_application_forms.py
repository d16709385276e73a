"""AP-17: Appendix 1 (a student's application form) and Appendix 2 (a staff member's) as PDFs with the case's
registration number and date, filled from the case and the applicant's profile."""

import pytest
from django.conf import settings
from django.test import Client

from appeals.models import Application
from portal.models import StudentProfile
from tests.appeals.factories import at, file_case, make_school
from tests.factories import UniversityFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def school():
    UniversityFactory.create(name_kk="С.Ж. Асфендияров атындағы ҚазҰМУ", name_en="Asfendiyarov KazNMU")
    school = make_school("MED")
    user = school.student.user
    user.last_name, user.first_name, user.patronymic = "Қасымова", "Әйгерім", "Ұланқызы"
    user.save()
    school.student.funding = StudentProfile.Funding.PAID
    school.student.year_of_study = 3
    school.student.save()
    return school


def test_ap17_appendix_1_is_the_student_form_with_the_registration_number(school):
    """AP-17: "Reg. No." with the case's number and date, addressed to the dean, the student's particulars."""
    case = file_case(
        school.student.user, at(2026, 11, 17), postal_address="Алматы, Төле би 94", phone="+7 701 111 22 33"
    )
    response = _client(school.student.user).get(f"/appeals/{case.pk}/appendix-1.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, "appeal-appendix-1", collapse=True)
    assert "Appendix 1" in text and f"Reg. No. {case.number} of 17.11.2026" in text
    assert "Қасымова Әйгерім Ұланқызы" in text and school.dean.full_name in text
    programme = school.student.group.programme
    assert programme.code in text and "Year of study 3" in text
    assert "Paid" in text and "Алматы, Төле би 94" in text and "+7 701 111 22 33" in text
    assert case.subject in text and "Date of filing: 17.11.2026" in text
    assert _client(school.teacher).get(f"/appeals/{case.pk}/appendix-2.pdf").status_code == 403


def test_ap17_appendix_2_is_the_staff_form_with_place_of_work_and_position(school):
    case = file_case(school.teacher, at(2026, 11, 18))
    client = _client(school.dean)
    assert client.get(f"/appeals/{case.pk}/appendix-1.pdf").status_code == 404  # a staff member's case
    response = client.get(f"/appeals/{case.pk}/appendix-2.pdf")
    text = pdf_text(response.content, "appeal-appendix-2", collapse=True)
    assert "Appendix 2" in text and f"Reg. No. {case.number} of 18.11.2026" in text
    staff = school.teacher.staff
    assert staff.position in text and staff.department.name in text and school.teacher.full_name in text


def test_ap17_the_form_is_in_kazakh_by_default(school):
    case = file_case(school.student.user)
    response = _client(school.student.user, "kk").get(f"/appeals/{case.pk}/appendix-1.pdf")
    text = pdf_text(response.content, "appeal-appendix-1-kk", collapse=True)
    assert case.number in text and Application.objects.count() == 1


def test_ap17_the_case_page_links_the_form(school):
    case = file_case(school.student.user)
    page = _client(school.student.user).get(f"/appeals/{case.pk}/").content.decode()
    assert f"/appeals/{case.pk}/appendix-1.pdf" in page
