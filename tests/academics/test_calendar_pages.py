"""The registrar's calendar pages (AC-01, AC-12)."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from academics.models import AcademicYear, Term
from academics.services.calendar import TERM_FIELDS, YEAR_FIELDS, create_academic_year
from portal.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.REGISTRAR)
    return user


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _year_form(year: AcademicYear) -> dict[str, str]:
    data = {name: str(getattr(year, name)) for name in YEAR_FIELDS}  # dates as ISO, like a date input
    for term in year.terms.all():
        for name in TERM_FIELDS:
            data[f"term-{term.pk}-{name}"] = getattr(term, name).isoformat()
    return data


def test_ac01_registrar_creates_a_year_from_the_page_and_sees_its_default_calendar(registrar):
    client = _client(registrar)
    response = client.post("/academics/registrar/calendar/new/", {"start_year": "2027"}, follow=True)
    assert response.status_code == 200
    year = AcademicYear.objects.get(start_year=2027)
    body = response.content.decode()
    assert "2027-2028" in body and "1-аралық бақылау аптасы (Р1)" in body
    assert 'value="2027-10-14"' in body  # R1 entry opens in week 7
    again = client.post("/academics/registrar/calendar/new/", {"start_year": "2027"}, follow=True)
    assert "2027-2028 оқу жылы бұрыннан бар." in again.content.decode()
    assert AcademicYear.objects.count() == 1 and year.terms.count() == 3


def test_ac12_registrar_revises_a_threshold_on_the_page_and_the_version_changes(registrar):
    year = create_academic_year(registrar, 2026)
    client = _client(registrar)
    data = _year_form(year) | {"transfer_to_year_3": "2,10".replace(",", ".")}
    response = client.post(f"/academics/registrar/calendar/{year.pk}/", data, follow=True)
    year.refresh_from_db()
    assert year.transfer_to_year_3 == Decimal("2.10") and year.policy_version == "2026-2027 r2"
    assert "2026-2027 r2" in response.content.decode()


def test_ac01_bad_calendar_input_keeps_what_was_typed_and_changes_nothing(registrar):
    year = create_academic_year(registrar, 2026)
    autumn = year.terms.get(kind=Term.Kind.AUTUMN)
    client = _client(registrar)
    data = _year_form(year) | {"midterm_1_week": "20", f"term-{autumn.pk}-r1_entry_closes": "2026-10-01"}
    response = client.post(f"/academics/registrar/calendar/{year.pk}/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "Ештеңе сақталмады" in body
    assert 'value="20"' in body
    year.refresh_from_db()
    autumn.refresh_from_db()
    assert year.midterm_1_week == 7 and autumn.r1_entry_closes == date(2026, 10, 27)
    shares = _year_form(year) | {"tranche_1_share": "0.70"}
    response = client.post(f"/academics/registrar/calendar/{year.pk}/", shares, follow=True)
    assert "қосындысы 1 (100 %) болуы керек" in response.content.decode()
    year.refresh_from_db()
    assert year.tranche_1_share == Decimal("0.50")


def test_calendar_pages_are_403_for_others_and_change_nothing(registrar):
    year = create_academic_year(registrar, 2026)
    teacher = UserFactory.create()
    RoleAssignmentFactory.create(user=teacher, role=Role.TEACHER)
    client = _client(teacher)
    assert client.get("/academics/registrar/calendar/").status_code == 403
    data = _year_form(year) | {"transfer_to_year_2": "1.00"}
    assert client.post(f"/academics/registrar/calendar/{year.pk}/", data).status_code == 403
    assert client.post("/academics/registrar/calendar/new/", {"start_year": "2030"}).status_code == 403
    year.refresh_from_db()
    assert year.transfer_to_year_2 == Decimal("1.67") and AcademicYear.objects.count() == 1


def test_registrar_board_links_the_calendar(registrar, django_assert_max_num_queries):
    for start in (2024, 2025, 2026):
        create_academic_year(registrar, start)
    client = _client(registrar)
    with django_assert_max_num_queries(20):
        body = client.get("/academics/registrar/calendar/").content.decode()
    assert body.count("/academics/registrar/calendar/") >= 3
    home = client.get("/", follow=True).content.decode()
    assert "/academics/registrar/calendar/" in home
