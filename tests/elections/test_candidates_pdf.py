"""EL-19: Appendix 1 (candidate information sheet) and Appendix 2 (application to the DESW director) as PDFs."""

import pytest
from django.utils import timezone, translation

from elections import rules
from elections.models import Candidate
from portal.models import Role, RoleAssignment
from tests.academics.factories import make_staff
from tests.elections.candidates_support import complete, eligible_student, english_client
from tests.elections.factories import add_candidate, make_election
from tests.factories import UniversityFactory, UserFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
PROGRAMME = "Әділ стипендия, ашық бюджет және әр институтта жаңа студенттік клубтар."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    translation.activate("en")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def candidate() -> Candidate:
    UniversityFactory.create(name_kk="Тынышбаев атындағы ALT университеті", name_en="ALT University")
    election = make_election(phase=rules.Phase.REGISTRATION)
    student = eligible_student(user__last_name="Қасымова", user__first_name="Әйгерім", user__patronymic="Ұланқызы")
    candidate = complete(add_candidate(election, student, status=Candidate.Status.APPLIED))
    candidate.programme = PROGRAMME
    candidate.intent = "Студенттердің дауысы естілуі үшін сайлауға түскім келеді."
    candidate.save()
    return candidate


def _url(candidate: Candidate, number: int) -> str:
    return f"/elections/{candidate.election_id}/candidates/{candidate.pk}/appendix-{number}.pdf"


def test_el19_appendix_1_is_the_information_sheet_with_name_and_programme(candidate):
    """EL-19: Appendix 1 carries the name, group, institute, year, leadership experience and the programme."""
    response = english_client(candidate.student.user).get(_url(candidate, 1))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, "appendix-1", collapse=True)
    student = candidate.student
    assert "Appendix 1" in text and "Candidate information sheet" in text
    assert "Қасымова Әйгерім Ұланқызы" in text
    assert PROGRAMME in text
    assert str(student.group) in text and str(student.group.programme.department.institute) in text
    assert "Year of study 3" in text
    assert "Group head" in text  # the leadership experience from the role history
    assert "10 words" in text


def test_el19_appendix_2_is_the_application_to_the_desw_director(candidate):
    """EL-19: Appendix 2 is addressed to the DESW director and carries the consent, the intent and the date."""
    director = UserFactory.create(last_name="Ташимбетова", first_name="Алия", patronymic="Тлеубайқызы")
    RoleAssignment.objects.create(user=director, role=Role.DESW_DIRECTOR)
    chair = candidate.election.test_chair
    response = english_client(chair).get(_url(candidate, 2))
    assert response.status_code == 200
    text = pdf_text(response.content, "appendix-2", collapse=True)
    assert "Appendix 2" in text
    assert "To the Director of the Department of Educational and Social Work" in text
    assert "Ташимбетова Алия Тлеубайқызы" in text
    assert "I, Қасымова Әйгерім Ұланқызы, consent to stand as a candidate" in text
    assert "Student Government President" in text
    assert "Студенттердің дауысы естілуі үшін сайлауға түскім келеді." in text
    assert f"{timezone.localtime(candidate.applied_at):%d.%m.%Y}" in text  # the local day, also after 19:00 UTC


def test_el19_appendices_in_kazakh_render_the_kazakh_letters(candidate):
    """PT-07, EL-19: the default language is Kazakh and DejaVu renders Ә Ғ Қ Ң Ө Ұ Ү Һ І."""
    from django.test import Client

    client = Client()
    client.force_login(candidate.student.user)
    text = pdf_text(client.get(_url(candidate, 1)).content, "appendix-1-kk")
    assert "Қасымова Әйгерім Ұланқызы" in text
    assert "Әділ стипендия" in text


def test_el19_only_the_candidate_and_the_commission_download_the_appendices(candidate):
    assert english_client(eligible_student().user).get(_url(candidate, 1)).status_code == 403
    assert english_client(make_staff(Role.DEAN)).get(_url(candidate, 2)).status_code == 403
    assert english_client(candidate.student.user).get(_url(candidate, 3)).status_code == 404
