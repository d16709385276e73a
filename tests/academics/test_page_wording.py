"""The words a user reads on the academics pages: no requirement codes, no English aria labels, and
buttons whose Kazakh and Russian translations say what the button does (found in a review by hand)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from academics.models import AcademicDifference, Term, TuitionContract
from academics.services import tuition
from academics.services.differences import record_difference
from portal.models import Role, StudentProfile
from tests.academics.factories import AcademicYearFactory, DisciplineFactory, TermFactory
from tests.factories import RoleAssignmentFactory, UserFactory, make_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.REGISTRAR)
    return user


@pytest.fixture
def year():
    year = AcademicYearFactory.create(start_year=2026)
    TermFactory.create(academic_year=year, kind=Term.Kind.AUTUMN)
    return year


def _page(user, url: str, language: str) -> str:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_registrar_pages_show_no_requirement_codes_and_translate_the_breadcrumb(registrar, year, language):
    """Specification codes (AC-12, AC-17, AC-18) are for developers; the breadcrumb's label is translated."""
    urls = [
        "/dashboard/registrar/",
        "/academics/registrar/transfers/",
        "/academics/registrar/scholarship/",
        "/academics/tuition/not-admitted/",
        "/academics/tuition/expulsion/",
        f"/academics/registrar/calendar/{year.pk}/",
        "/academics/tuition/contracts/new/",
    ]
    for url in urls:
        body = _page(registrar, url, language)
        assert "AC-1" not in body, url
        assert 'aria-label="breadcrumb"' not in body, url


def test_transfer_filter_button_shows_the_list_rather_than_applying_for_a_course(registrar, year):
    """The filter's button once shared the summer page's "Apply" and read "Өтінім беру" (submit an application)."""
    kk = _page(registrar, "/academics/registrar/transfers/", "kk")
    ru = _page(registrar, "/academics/registrar/transfers/", "ru")
    assert "Көрсету" in kk and "Өтінім беру" not in kk
    assert "Показать" in ru and "Подать заявку" not in ru


def test_contract_link_on_the_student_tuition_page_is_a_verb(registrar, year):
    """The link to a contract once shared the state "Open" and read "Ашық" / "Открыто"."""
    student = make_student(funding=StudentProfile.Funding.PAID)
    tuition.create_contract(registrar, student, year, "500000.00", TuitionContract.Plan.TRANCHES, "Д-1")
    assert "Шартты ашу" in _page(registrar, f"/academics/tuition/students/{student.pk}/", "kk")
    assert "Открыть договор" in _page(registrar, f"/academics/tuition/students/{student.pk}/", "ru")


def test_differences_page_filters_and_record_button_read_well_in_russian(registrar, year):
    """Filters are plural ("Открытые"); a difference's state agrees with "разница" ("Открыта"); the button is a verb."""
    record_difference(
        registrar,
        make_student(),
        DisciplineFactory.create(),
        AcademicDifference.Reason.TRANSFER,
        due_on=timezone.localdate() + timedelta(days=30),
        document_reference="№ 1",
    )
    ru = _page(registrar, "/academics/differences/manage/", "ru")
    assert "Открытые" in ru and "Ликвидированные" in ru and "Открыта" in ru
    assert "Зарегистрировать разницу</button>" in ru and ">Запись<" not in ru
    kk = _page(registrar, "/academics/differences/manage/", "kk")
    assert "Айырмашылықты тіркеу</button>" in kk and ">Жазба<" not in kk
