"""AP-17: Appendix 1 (a student's application form) and Appendix 2 (a staff member's) as PDFs with the case's
registration number and date, filled from the case and the applicant's profile."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from appeals.models import Application
from portal.models import StudentProfile
from tests.appeals.factories import at, file_case, make_school
from tests.factories import UniversityFactory

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _text(pdf: bytes, tmp_path: Path, name: str) -> str:
    assert pdf.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "poppler-utils missing"
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)  # kept to look at
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / name)], check=True)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


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


def test_ap17_appendix_1_is_the_student_form_with_the_registration_number(school, tmp_path):
    """AP-17: "Reg. No." with the case's number and date, addressed to the dean, the student's particulars."""
    case = file_case(
        school.student.user, at(2026, 11, 17), postal_address="Алматы, Төле би 94", phone="+7 701 111 22 33"
    )
    response = _client(school.student.user).get(f"/appeals/{case.pk}/appendix-1.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content, tmp_path, "appeal-appendix-1")
    assert "Appendix 1" in text and f"Reg. No. {case.number} of 17.11.2026" in text
    assert "Қасымова Әйгерім Ұланқызы" in text and school.dean.full_name in text
    programme = school.student.group.programme
    assert programme.code in text and "Year of study 3" in text
    assert "Paid" in text and "Алматы, Төле би 94" in text and "+7 701 111 22 33" in text
    assert case.subject in text and "Date of filing: 17.11.2026" in text
    assert _client(school.teacher).get(f"/appeals/{case.pk}/appendix-2.pdf").status_code == 403


def test_ap17_appendix_2_is_the_staff_form_with_place_of_work_and_position(school, tmp_path):
    case = file_case(school.teacher, at(2026, 11, 18))
    client = _client(school.dean)
    assert client.get(f"/appeals/{case.pk}/appendix-1.pdf").status_code == 404  # a staff member's case
    response = client.get(f"/appeals/{case.pk}/appendix-2.pdf")
    text = _text(response.content, tmp_path, "appeal-appendix-2")
    assert "Appendix 2" in text and f"Reg. No. {case.number} of 18.11.2026" in text
    staff = school.teacher.staff
    assert staff.position in text and staff.department.name in text and school.teacher.full_name in text


def test_ap17_the_form_is_in_kazakh_by_default(school, tmp_path):
    case = file_case(school.student.user)
    response = _client(school.student.user, "kk").get(f"/appeals/{case.pk}/appendix-1.pdf")
    text = _text(response.content, tmp_path, "appeal-appendix-1-kk")
    assert case.number in text and Application.objects.count() == 1


def test_ap17_the_case_page_links_the_form(school):
    case = file_case(school.student.user)
    page = _client(school.student.user).get(f"/appeals/{case.pk}/").content.decode()
    assert f"/appeals/{case.pk}/appendix-1.pdf" in page
